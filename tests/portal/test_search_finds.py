"""Search finds what a reader means, the same on SQLite and PostgreSQL: every form of a word
(the language's Snowball stemmer), any case (full Unicode case folding), parts of compound
words, countries and committees by their names in every language. A list of queries per
language and the pages each must find, on the demo (Ballerup)."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction

from portal.search import document, snippet, terms
from tests.factories import PersonFactory, TripFactory, rows_of

BRANDENBURG_TRIP = "/trips/2025-05-kb-brandenburg/"
WUXI_TRIP = "/trips/2025-10-bsu-wuxi/"
NACKA_TRIP = "/trips/2026-04-ecn-nacka/"
BRANDENBURG = "/partner-cities/brandenburg-an-der-havel/"

# Each query and pages it must find, per language of the page searched from.
MUST_FIND = {
    "da": {
        "rejser": [WUXI_TRIP, BRANDENBURG_TRIP],  # the title says "rejse til Wuxi"
        "rejsen": [WUXI_TRIP],
        "rejse wuxi": [WUXI_TRIP],
        "jens KJÆR": ["/trips/people/jens-kjaer/"],  # case folded beyond ASCII
        "Tyskland": [BRANDENBURG, BRANDENBURG_TRIP],  # the country, in Danish
        "Germany": [BRANDENBURG, BRANDENBURG_TRIP],
        "Deutschland": [BRANDENBURG, BRANDENBURG_TRIP],
        "Økonomiudvalget": [NACKA_TRIP],  # the committee that travelled
        "økonomiudvalg": [NACKA_TRIP],
        "studierejsefond": ["/grants/studierejsefond/apply/"],
        "udlandsrejser": ["/follow-up/2026/"],  # an initiative of the year's follow-up
        "venskabsby": ["/partner-cities/prag-10/"],
    },
    "en": {
        "trip": [WUXI_TRIP, BRANDENBURG_TRIP, NACKA_TRIP],
        "trips Wuxi": [WUXI_TRIP],
        "Germany": [BRANDENBURG, BRANDENBURG_TRIP],
        "twin town": ["/partner-cities/prag-10/"],
        "JENS kjær": ["/trips/people/jens-kjaer/"],
    },
    "de": {
        "Reise": [WUXI_TRIP, BRANDENBURG_TRIP, NACKA_TRIP],
        "Reisen Wuxi": [WUXI_TRIP],
        "Deutschland": [BRANDENBURG, BRANDENBURG_TRIP],
        "Partnerstadt": [BRANDENBURG],
        "Økonomiudvalget": [NACKA_TRIP],
    },
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


def found(client, language: str, query: str) -> list[str]:
    """The addresses of the results, in the order shown, without the language prefix and
    without a fragment (an initiative's anchor names its key, which PostgreSQL's sequences
    do not give back when a test rolls back)."""
    prefix = "" if language == "da" else f"/{language}"
    page = client.get(f"{prefix}/search/", {"q": query}).content.decode()
    lists = re.findall(r'<ul class="search-results">(.*?)</ul>', page, re.S)
    return [
        address.removeprefix(prefix).split("#")[0]
        for results in lists
        for address in re.findall(r'<a href="([^"]+)"', results)
    ]


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_each_query_finds_its_pages(demo, client, db, language):
    missing = {
        query: [page for page in pages if page not in found(client, language, query)]
        for query, pages in MUST_FIND[language].items()
    }
    assert {query: pages for query, pages in missing.items() if pages} == {}


def test_a_word_left_out_or_not_there_finds_nothing_of_it(demo, client, db):
    assert WUXI_TRIP not in found(client, "da", "rejse -wuxi")
    assert found(client, "da", "rejse stockholmsgade") == []
    assert found(client, "da", "-wuxi") == []  # nothing to look for but what to leave out
    assert found(client, "da", '"til Wuxi"') == [WUXI_TRIP]


def test_a_compound_is_found_by_its_parts(client, db):
    trip = TripFactory(slug="fond", title="Studierejsefondens tur", purpose="Udlandsrejser")
    with rows_of(trip):
        trip.save()
    assert "/trips/fond/" in found(client, "da", "rejse")
    assert "/trips/fond/" in found(client, "da", "fond")
    assert "/trips/fond/" in found(client, "da", "studierejse")
    # A stem too short to mean anything inside another word must stand alone.
    assert "/trips/fond/" not in found(client, "da", "tu")


def test_a_traveller_is_found_whatever_the_case_of_a_letter_beyond_ascii(client, db):
    TripFactory(travellers=[PersonFactory(name="Åse Ærø", slug="aase-aeroe")])
    assert "/trips/people/aase-aeroe/" in found(client, "da", "åSE ÆRØ")
    assert "/trips/people/aase-aeroe/" in found(client, "en", "ÅSE")


def test_the_stored_text_holds_words_in_order_and_their_stems():
    text = document([("Børne- og Skoleudvalgets rejse", "da"), ("Die Reisen", "de")])
    assert text == " børne og skoleudvalgets rejse die reisen børn skoleudvalg rejs reis "
    assert [term.forms for term in terms("REJSER Straße")] == [("rejs",), ("stras",)]


def test_a_snippet_marks_the_word_the_stem_found():
    assert snippet(["Børne- og Skoleudvalgets rejse til Wuxi"], "rejser") == (
        "Børne- og Skoleudvalgets <mark>rejs</mark>e til Wuxi"
    )
