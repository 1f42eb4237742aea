"""What a citizen or journalist sees of trips: filters, totals, feed, PDF, per person."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import CommitteeFactory, PartnerCityFactory, PersonFactory, TripFactory
from travel.models import Correction

pytestmark = pytest.mark.django_db


@pytest.fixture
def trips():
    bsu = CommitteeFactory(slug="bsu", name_da="Børne- og Skoleudvalget")
    kb = CommitteeFactory(slug="kb", name_da="Kommunalbestyrelsen")
    wuxi = PartnerCityFactory(slug="wuxi", name="Wuxi", country="CN")
    holm, kjaer = PersonFactory(name="Mette Holm"), PersonFactory(name="Jens Kjær")
    dahl = PersonFactory(name="Henrik Dahl", kind="official")
    return {
        "wuxi": TripFactory(
            title="Wuxi",
            committee=bsu,
            partner_city=wuxi,
            destination_country="CN",
            travellers=[kjaer, dahl],
            costs=[("transport", 32000, 31450), ("accommodation", 16000, 17900)],
        ),
        "brandenburg": TripFactory(
            title="Brandenburg",
            committee=kb,
            destination_country="DE",
            starts_on=datetime.date(2025, 5, 14),
            ends_on=datetime.date(2025, 5, 16),
            travellers=[holm, kjaer],
            costs=[("transport", 10000, 10240)],
        ),
        "nacka": TripFactory(
            title="Nacka",
            committee=kb,
            destination_country="SE",
            starts_on=datetime.date(2026, 4, 22),
            ends_on=datetime.date(2026, 4, 24),
            travellers=[holm, dahl],
            costs=[("fees", 6000, 6000)],
        ),
        "draft": TripFactory(
            title="Kladde",
            state="draft",
            committee=bsu,
            travellers=[holm],
            costs=[("transport", 1, 1)],
        ),
    }


def titles(client, **params):
    page = client.get(reverse("travel:list"), params).context["page"]
    shown = [trip.title for trip in page]
    # The count the page states (from the kept totals where the filters allow) is the list's.
    assert page.paginator.count == len(shown), params
    # The API lists the same trips and counts them the same way.
    api = client.get(reverse("api:trip-list"), params).json()
    assert [item["title"] for item in api["results"]] == shown, params
    assert api["count"] == len(shown), params
    return shown


@pytest.mark.parametrize(
    ("params", "counted"),
    [({}, False), ({"year": "2025", "committee": "kb"}, False), ({"cost_min": "1"}, True)],
)
def test_the_api_counts_trips_only_when_the_kept_totals_cannot_say(client, trips, params, counted):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("api:trip-list"), params)
    assert response.json()["count"] == len(response.json()["results"])
    counts = [q["sql"] for q in queries.captured_queries if 'FROM "travel_trip"' in q["sql"]]
    assert any("COUNT(*)" in sql for sql in counts) == counted


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Nacka", "Wuxi", "Brandenburg"]),
        ({"year": "2025"}, ["Wuxi", "Brandenburg"]),
        ({"committee": "kb"}, ["Nacka", "Brandenburg"]),
        ({"person": "jens-kjaer"}, ["Wuxi", "Brandenburg"]),
        ({"country": "CN"}, ["Wuxi"]),
        ({"partner_city": "wuxi"}, ["Wuxi"]),
        ({"cost_min": "10000"}, ["Wuxi", "Brandenburg"]),
        ({"cost_max": "10240"}, ["Nacka", "Brandenburg"]),
        ({"year": "2025", "committee": "kb", "person": "mette-holm"}, ["Brandenburg"]),
        ({"cost_min": "7000", "cost_max": "20000", "country": "DE"}, ["Brandenburg"]),
        ({"year": "2026", "country": "SE", "committee": "kb"}, ["Nacka"]),
        ({"year": "2024"}, []),
        ({"country": "DE", "committee": "bsu"}, []),
        ({"order": "-cost"}, ["Wuxi", "Brandenburg", "Nacka"]),
        ({"order": "per_participant"}, ["Nacka", "Brandenburg", "Wuxi"]),
    ],
)
def test_filters_alone_and_combined_never_show_drafts(client, trips, params, expected):
    assert titles(client, **params) == expected


def test_list_queries_do_not_grow_with_trips_or_filters(
    client, trips, django_assert_max_num_queries
):
    url = reverse("travel:list")
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"year": "2025", "committee": "kb"})
    for n in range(30):
        TripFactory(travellers=[PersonFactory(name=f"P {n}")], costs=[("transport", 1, n)])
    for params in (
        {},
        {
            "year": "2025",
            "committee": "kb",
            "person": "mette-holm",
            "cost_min": "1",
            "order": "-cost",
        },
    ):
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url, params)


def test_totals_per_year_and_committee_follow_the_filters(client, trips):
    context = client.get(reverse("travel:list"), {"committee": "kb"}).context
    assert [(row["group"], row["trips"], row["cost"]) for row in context["totals"]["by_year"]] == [
        (2026, 1, 6000),
        (2025, 1, 10240),
    ]
    assert [
        (row["group"], row["politicians"], row["officials"])
        for row in context["totals"]["by_committee"]
    ] == [("Kommunalbestyrelsen", 3, 1)]


def test_trip_page_shows_accounts_difference_and_when_it_was_published(client, trips):
    trip = trips["wuxi"]
    Correction.objects.create(trip=trip, summary="hotelpris")
    page = client.get(trip.get_absolute_url()).content.decode()

    assert "49.350\u00a0kr." in page and "48.000\u00a0kr." in page and "1.350\u00a0kr." in page
    assert "Pr. deltager (2 deltagere)" in page and "24.675\u00a0kr." in page
    assert "Alle beløb er inklusive moms." in page
    assert "Offentliggjort den 20. november 2025, 32 dage efter hjemkomsten." in page
    assert f"Rettet den {timezone.localdate():%-d}." in page


def test_trip_pdf_is_the_page(client, trips):
    response = client.get(reverse("travel:trip_pdf", args=[trips["wuxi"].slug]))
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    assert "Wuxi" in text and "Jens Kjær" in text
    assert "49.350 kr." in text and "Alle beløb er inklusive moms." in text


def test_person_page_lists_trips_and_costs_per_year(client, trips):
    response = client.get(reverse("travel:person", args=["jens-kjaer"]))
    years = list(response.context["years"])
    assert [(year["year"], [t.title for t in year["trips"]]) for year in years] == [
        (2025, ["Wuxi", "Brandenburg"]),
    ]
    assert years[0]["cost"] == pytest.approx(49350 / 2 + 10240 / 2)
    # Drafts never show, not even on a person's page.
    assert client.get(reverse("travel:person", args=["mette-holm"])).context["years"]


def test_feed_has_published_trips_and_reports_only(client, trips):
    trips["wuxi"].state = "report_published"
    trips["wuxi"].report_published_at = timezone.now()
    trips["wuxi"].save()
    response = client.get(reverse("travel:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entries = [entry.find("atom:title", ns).text for entry in root.findall("atom:entry", ns)]
    assert entries[0] == "Rapport: Wuxi"
    assert sorted(entries[1:]) == ["Brandenburg", "Nacka"]


def test_a_drafts_destination_is_not_offered_as_a_country_filter(client, db):
    TripFactory(destination_country="SE")
    TripFactory(slug="hemmelig", destination_country="IS", state="draft", published_at=None)
    page = client.get(reverse("travel:list")).content.decode()
    assert '<option value="SE">' in page
    assert '<option value="IS">' not in page


def test_the_filters_offer_only_travellers_and_cities_of_published_trips(client, db):
    wuxi, secret = PartnerCityFactory(name="Wuxi"), PartnerCityFactory(name="Hemmelig By")
    TripFactory(partner_city=wuxi, travellers=[PersonFactory(name="Mette Holm")])
    TripFactory(
        slug="kladde",
        state="draft",
        published_at=None,
        partner_city=secret,
        travellers=[PersonFactory(name="Kladde Person")],
    )
    page = client.get(reverse("travel:list")).content.decode()
    assert ">Mette Holm</option>" in page and ">Wuxi</option>" in page
    assert "Kladde Person" not in page and "Hemmelig By" not in page
    assert '<option value="" selected>Alle rejsende</option>' in page
    # A list of choices takes only its choices: a draft's traveller is not one.
    response = client.get(reverse("travel:list"), {"person": "kladde-person"})
    assert "Markér en gyldig valgmulighed" in response.content.decode()
    assert not response.context["page"].object_list


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"person": "holm"}, ["Nacka", "Brandenburg"]),
        ({"person": "  JENS kjær "}, ["Wuxi", "Brandenburg"]),
        # Two travellers of one trip match "e": the trip is listed once.
        ({"person": "e"}, ["Nacka", "Wuxi", "Brandenburg"]),
        ({"person": "mette-holm"}, ["Nacka", "Brandenburg"]),
        ({"person": "kladde"}, []),
        ({"partner_city": "wux"}, ["Wuxi"]),
        ({"partner_city": "wuxi", "person": "dahl"}, ["Wuxi"]),
    ],
)
def test_beyond_the_choices_limit_travellers_and_cities_are_found_by_name(
    client, trips, settings, params, expected
):
    settings.FILTER_CHOICES_MAX = 0
    assert titles(client, **params) == expected


def test_beyond_the_choices_limit_the_page_asks_for_a_name_instead_of_listing_everyone(
    client, trips, settings, django_assert_max_num_queries
):
    settings.FILTER_CHOICES_MAX = 2
    url = reverse("travel:list")
    with django_assert_max_num_queries(20) as few:
        page = client.get(url, {"person": "Holm"}).content.decode()
    # Three travellers: a search field keeping what was typed; one partner city: a list.
    assert 'type="search" name="person" value="Holm"' in page
    assert ">Mette Holm</option>" not in page and ">Jens Kjær</option>" not in page
    assert '<option value="wuxi">Wuxi</option>' in page
    for n in range(30):
        TripFactory(
            partner_city=PartnerCityFactory(name=f"By {n}"),
            travellers=[PersonFactory(name=f"P {n}")],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, {"person": "Holm", "partner_city": "by 1"}).content.decode()
    assert 'type="search" name="partner_city"' in page and "By 29</option>" not in page
    # A name longer than any is a clear form error, not a failed query.
    response = client.get(url, {"person": "x" * 101})
    assert response.context["filter"].errors["person"]
    assert not response.context["page"].object_list


def test_the_feed_keeps_the_musts_of_rfc_4287_and_feedparser_reads_it(client, trips):
    import re
    from urllib.parse import urlsplit

    import feedparser

    trips["wuxi"].state = "report_published"
    trips["wuxi"].report_published_at = timezone.now()
    trips["wuxi"].save()
    body = client.get(reverse("travel:feed")).content
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(body)
    rfc3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

    def absolute(iri: str) -> bool:
        parts = urlsplit(iri)
        return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "tag"))

    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"atom:{name}", ns)) == 1, name
    assert absolute(feed.find("atom:id", ns).text)
    assert rfc3339.match(feed.find("atom:updated", ns).text)
    entries = feed.findall("atom:entry", ns)
    assert entries
    # An author for the feed, or one in every entry (4.1.1).
    assert feed.findall("atom:author/atom:name", ns) or all(
        entry.findall("atom:author", ns) for entry in entries
    )
    seen = set()
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"atom:{name}", ns)) == 1, name
        entry_id = entry.find("atom:id", ns).text
        assert absolute(entry_id), entry_id
        assert rfc3339.match(entry.find("atom:updated", ns).text)
        if entry.find("atom:content", ns) is None:  # 4.1.1: then a link to the entry
            links = entry.findall("atom:link", ns)
            assert any(link.get("rel", "alternate") == "alternate" for link in links)
            assert all(absolute(link.get("href")) for link in links)
        key = (entry_id, entry.find("atom:updated", ns).text)
        assert key not in seen
        seen.add(key)

    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.author and len(parsed.entries) == len(entries)


def test_a_traveller_published_after_the_filters_were_first_read_is_offered(client, db):
    from travel.filters import TripFilter

    TripFactory(travellers=[PersonFactory(name="Mette Holm")])
    assert TripFilter.base_filters["person"].choices() == [("mette-holm", "Mette Holm")]
    TripFactory(travellers=[PersonFactory(name="Jens Kjær")])
    page = client.get(reverse("travel:list")).content.decode()
    assert ">Jens Kjær</option>" in page and ">Mette Holm</option>" in page


def test_the_register_decides_between_a_list_and_a_search_field(client, db, settings):
    """Whether a filter lists its records is asked of the whole register (a few keys), not
    of the records the list reaches (a pass over every trip): three people on file, one
    of whom travelled, make a search field at a limit of two, and a list at three."""
    TripFactory(travellers=[PersonFactory(name="Mette Holm")])
    PersonFactory(name="Jens Kjær")
    PersonFactory(name="Ida Dahl")
    settings.FILTER_CHOICES_MAX = 2
    page = client.get(reverse("travel:list")).content.decode()
    assert 'type="search" name="person"' in page and ">Mette Holm</option>" not in page
    assert titles(client, person="holm") and not titles(client, person="dahl")
    settings.FILTER_CHOICES_MAX = 3
    page = client.get(reverse("travel:list")).content.decode()
    assert '<option value="mette-holm">Mette Holm</option>' in page
    assert "Ida Dahl" not in page


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="the query plans of PostgreSQL, where national scale runs",
)
@pytest.mark.parametrize(
    "order",
    [
        "date",
        "-date",
        "cost",
        "-cost",
        "per_participant",
        "-per_participant",
        "participants",
        "-participants",
    ],
)
def test_every_order_of_the_trip_list_reads_an_index_instead_of_sorting_every_trip(
    client, trips, order
):
    """Each sort order of the list (and its id tie-break, in the same direction) is one an
    index holds: the page reads 50 trips in order instead of sorting all of history. With
    sorting priced out, a plan that still sorts means the order and the index differ."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("travel:list"), {"order": order}).status_code == 200
    listed = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "travel_trip"."id"') and " LIMIT " in query["sql"]
    ]
    assert len(listed) == 1
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + listed[0])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Sort" not in plan, plan


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_the_trip_download_written_from_rows_is_the_one_written_from_trips(db, settings, language):
    """The whole trip list is written from plain rows (`TRIPS.rows`: values() with related
    records attached per chunk), not from Trips with their relations; a Trip loaded with
    them (the API's detail, a person's trips) is read as the same row (`TRIPS.as_row`): in
    every language, every column of every kind of trip (sent by a committee or the
    administration, to a partner city or not, for a network, with travellers of both kinds,
    report public, accounts provisional, a title only in Danish, nobody counted) says in the
    CSV and the JSON what it says from a Trip, and its figures are the Trip's."""
    from django.utils import translation

    from tests.factories import CityNetworkFactory
    from travel.datasets import TRIPS
    from travel.selectors import TRIP_TRAVELLERS, public_trips

    settings.LANGUAGES = [("da", "Dansk"), ("en", "English"), ("de", "Deutsch")]
    bsu = CommitteeFactory(slug="bsu", name_da="Børne- og Skoleudvalget", name_en="Schools")
    holm, dahl = PersonFactory(name="Mette Holm"), PersonFactory(name="Ida Dahl", kind="official")
    TripFactory(
        title_da="Til Wuxi",
        title_en="To Wuxi",
        purpose_de="Schulen besuchen",
        committee=bsu,
        partner_city=PartnerCityFactory(slug="wuxi", name="Wuxi"),
        network=CityNetworkFactory(slug="eurocities", name="Eurocities"),
        travellers=[dahl, holm, PersonFactory(name="Anna Berg")],
        costs=[("transport", 32000, 31450.5)],
        state="report_published",
        report_published_at=timezone.now(),
    )
    TripFactory(
        title_da="Kun på dansk",
        unit="Kultur",
        destination_country="DE",
        accounts_status="provisional",
        costs=[("fees", 1000, 0)],
    )
    TripFactory(slug="kladde", state="draft", published_at=None, travellers=[holm])
    columns = TRIPS.all_columns()
    trips = public_trips()
    trip_objects = list(trips.prefetch_related(*TRIP_TRAVELLERS))
    objects = [TRIPS.as_row(trip) for trip in trip_objects]
    with translation.override(language):
        from_rows = list(TRIPS.csv_rows(TRIPS.rows(trips), columns))
        assert from_rows == list(TRIPS.csv_rows(objects, columns))
        assert len(from_rows) == 2 and "Ida Dahl (Member)" in from_rows[1][14]
        from_rows = list(TRIPS.json_rows(TRIPS.rows(trips), columns))
        assert from_rows == list(TRIPS.json_rows(objects, columns))
        figures = [
            (row["title"], row["participants"], row["cost_per_participant"], row["report_approved"])
            for row in from_rows
        ]
        assert figures == [
            (
                str(trip.title),
                trip.participants,
                trip.cost_per_participant and f"{trip.cost_per_participant:.2f}",
                trip.report_is_public,
            )
            for trip in trip_objects
        ]


def test_the_api_checks_its_filters_without_reading_what_a_form_would_offer(client, trips):
    """The page and the API check their filters with one form; only the page shows it, so
    only the page reads the committees and countries to offer (with the words of its empty
    choice); a committee asked for is still checked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        listed = client.get(reverse("api:trip-list"), {"year": "2025"}).json()
    assert listed["count"] == 2
    sql = [query["sql"] for query in queries.captured_queries]
    # The items name their own committees (by key); the form would read every committee.
    assert not [s for s in sql if 'FROM "budgets_committee"' in s and " WHERE " not in s]
    assert not [s for s in sql if s.startswith('SELECT "travel_triptotal"."country"')]
    assert client.get(reverse("api:trip-list"), {"committee": "nope"}).status_code == 400
    page = client.get(reverse("travel:list")).content.decode()
    assert '<option value="" selected>Alle udvalg</option>' in page
    assert '<option value="kb">Kommunalbestyrelsen</option>' in page


def _options(page: str, name: str) -> list[tuple[str, str]]:
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_year_is_chosen_from_the_years_that_have_trips(client):
    """The year filter was a bare number box: it offers the years with published trips
    (newest first), a year from a link is shown chosen even without trips, and what is not a
    year is refused with a message in the reader's language, on the page and in the API."""
    TripFactory(
        title="Wuxi", starts_on=datetime.date(2023, 5, 1), ends_on=datetime.date(2023, 5, 4)
    )
    TripFactory(
        title="Nacka", starts_on=datetime.date(2025, 4, 22), ends_on=datetime.date(2025, 4, 24)
    )
    TripFactory(
        title="Kladde",
        state="draft",
        published_at=None,
        starts_on=datetime.date(2021, 1, 4),
        ends_on=datetime.date(2021, 1, 5),
    )
    page = client.get(reverse("travel:list")).content.decode()
    assert _options(page, "year") == [("", "Alle år"), ("2025", "2025"), ("2023", "2023")]
    assert titles(client, year=2023) == ["Wuxi"]
    linked = client.get(reverse("travel:list"), {"year": 2019}).content.decode()
    assert '<option value="2019" selected>2019</option>' in linked
    assert titles(client, year=2019) == []
    for prefix, message in [
        ("", "Vælg et år fra 1900 til 2200, skrevet som et tal, fx 2025."),
        ("/en", "Choose a year from 1900 to 2200, written as a number such as 2025."),
        ("/de", "Wählen Sie ein Jahr von 1900 bis 2200, als Zahl geschrieben, etwa 2025."),
    ]:
        for bad in ("last year", "2025.5", "0", "99999"):
            response = client.get(prefix + "/trips/", {"year": bad})
            page = response.content.decode()
            assert f'<p class="error-message" id="id_year_error">{message}</p>' in page, bad
            assert "Wuxi" not in page and "Nacka" not in page
            language = {"": "da", "/en": "en", "/de": "de"}[prefix]
            api = client.get(reverse("api:trip-list"), {"year": bad}, HTTP_ACCEPT_LANGUAGE=language)
            assert (api.status_code, api.json()) == (400, {"year": [message]})


def test_newest_first_is_offered_once_and_a_link_naming_it_still_sorts(client):
    """ "Nyeste først" (the list's own order) and "Dato (aftagende)" were the same order."""
    TripFactory(
        title="Wuxi", starts_on=datetime.date(2023, 5, 1), ends_on=datetime.date(2023, 5, 4)
    )
    TripFactory(
        title="Nacka", starts_on=datetime.date(2025, 4, 22), ends_on=datetime.date(2025, 4, 24)
    )
    for prefix, newest, descending in [
        ("", "Nyeste først", "Dato (aftagende)"),
        ("/en", "Newest first", "Date (descending)"),
        ("/de", "Neueste zuerst", "Datum (absteigend)"),
    ]:
        offered = _options(client.get(prefix + "/trips/").content.decode(), "order")
        assert offered[0] == ("", newest)
        assert descending not in dict(offered).values() and "-date" not in dict(offered)
    assert titles(client) == titles(client, order="-date") == ["Nacka", "Wuxi"]
    assert titles(client, order="date") == ["Wuxi", "Nacka"]


@pytest.mark.parametrize(
    ("prefix", "deadline"), [("", "Frist"), ("/en", "Deadline"), ("/de", "Frist")]
)
def test_the_overdue_list_names_its_column_the_deadline(client, prefix, deadline):
    """The column of the day a trip was to be published by said "Tid" (time) in Danish."""
    returned = datetime.date.today() - datetime.timedelta(days=90)
    TripFactory(state="draft", published_at=None, starts_on=returned, ends_on=returned)
    page = client.get(prefix + "/trips/overdue/").content.decode()
    assert f'<th scope="col">{deadline}</th>' in page
    assert ">Tid<" not in page
