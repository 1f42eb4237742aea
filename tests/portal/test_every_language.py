"""Every language, every word: what a Danish, English or German reader and an API client
read is in their language, with no English left in and no date read two ways."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import BudgetLineFactory, CommitteeFactory, PersonFactory, TripFactory
from travel.services import sync_trip_commitments

pytestmark = pytest.mark.django_db


def test_every_shipped_language_is_offered_unless_a_deployment_narrows_it():
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"LANGUAGES", "LANGUAGE_CODE", "DJANGO_SETTINGS_MODULE"}
    }
    offered = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(list(dict(settings.LANGUAGES)))",
        ],
        cwd=settings.BASE_DIR,
        env={**environment, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert offered.stdout.strip() == "['da', 'en', 'de']", offered.stderr


def test_a_budget_line_names_its_groups_in_the_pages_language(client):
    line = BudgetLineFactory(budget_year__year=2026, code="UDV", amount=100_000)
    for state, slug in (("published", "offentlig"), ("draft", "kladde")):
        trip = TripFactory(
            slug=slug,
            state=state,
            budget_line=line,
            committee=CommitteeFactory(),
            costs=[("transport", 1000, 1000)],
            **({"published_at": None} if state == "draft" else {}),
        )
        sync_trip_commitments(trip=trip, actor=None)
    address = reverse("budgets:line", args=[2026, "UDV"])
    danish = client.get(address).content.decode()
    german = client.get("/de" + address).content.decode()
    assert (
        "Offentliggjorte rejser" in danish and "Rejser, der endnu ikke er offentliggjort" in danish
    )
    assert "Veröffentlichte Reisen" in german and "Noch nicht veröffentlichte Reisen" in german
    for page in (danish, german):
        assert "Published trips" not in page and "Trips not yet published" not in page


def test_german_writes_a_travellers_kind_as_a_noun(client):
    trip = TripFactory(
        slug="wuxi",
        travellers=[PersonFactory(name="Mette Holm", kind="official")],
        costs=[("transport", 1000, 1000)],
    )
    german = client.get("/de" + trip.get_absolute_url()).content.decode()
    assert "(Verwaltung)" in german and "(verwaltung)" not in german


def test_english_dates_of_overdue_trips_read_one_way(client):
    trip = TripFactory(
        state="draft",
        published_at=None,
        committee=CommitteeFactory(name_da="Økonomiudvalget"),
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2025, 9, 4),
        costs=[("transport", 1000, 1000)],
    )
    sync_trip_commitments(trip=trip, actor=None)
    english = client.get("/en" + reverse("travel:overdue")).content.decode()
    assert "1 Sep 2025–4 Sep 2025" in english
    assert "01/09/2025" not in english and "09/01/2025" not in english


@pytest.mark.parametrize(
    ("accept", "error", "missing"),
    [
        (
            "de-DE,de;q=0.9",
            "Wählen Sie ein Jahr von 1900 bis 2200, als Zahl geschrieben, etwa 2025.",
            "Nicht gefunden.",
        ),
        ("en", "Choose a year from 1900 to 2200, written as a number such as 2025.", "Not found."),
        ("da", "Vælg et år fra 1900 til 2200, skrevet som et tal, fx 2025.", "Ikke fundet."),
    ],
)
def test_the_api_answers_in_the_language_its_client_asks_for(client, accept, error, missing):
    bad = client.get(reverse("api:trip-list"), {"year": "last year"}, HTTP_ACCEPT_LANGUAGE=accept)
    assert bad.status_code == 400
    assert bad.json() == {"year": [error]}
    assert bad["Content-Language"] == accept[:2]
    not_found = client.get("/api/trips/no-such-trip/", HTTP_ACCEPT_LANGUAGE=accept)
    assert not_found.json() == {"detail": missing}
    no_such_list = client.get("/api/no-such-list/", HTTP_ACCEPT_LANGUAGE=accept)
    assert no_such_list.json() == {"detail": missing}


def test_a_text_staff_wrote_only_in_danish_is_marked_on_german_pages(client):
    """The home intro, a committee's and a budget line's name without German: shown in
    Danish, with their language for screen readers, and the intro with a visible note."""
    from portal.models import SiteSettings

    site = SiteSettings.current()
    site.intro_da, site.intro_de = "Ballerup i verden.", ""
    site.save()
    committee = CommitteeFactory(name_da="Økonomiudvalget", name_de="")
    line = BudgetLineFactory(budget_year__year=2026, code="OEU", name_da="Rejser", name_de="")
    trip = TripFactory(
        slug="nacka", committee=committee, budget_line=line, costs=[("transport", 100, 100)]
    )
    sync_trip_commitments(trip=trip, actor=None)
    address = trip.get_absolute_url()  # the Danish address, before a request switches language
    home = client.get("/de/").content.decode()
    assert '<div lang="da"><p>Ballerup i verden.</p></div>' in home
    assert "Dieser Text ist nicht in die Sprache dieser Seite übersetzt" in home
    trips = client.get("/de/trips/").content.decode()
    assert '<span lang="da">Økonomiudvalget</span></td>' in trips  # sent by
    assert 'lang="da">Økonomiudvalget</th>' in trips  # and its total
    detail = client.get("/de" + address).content.decode()
    assert '<dd><span lang="da">Økonomiudvalget</span></dd>' in detail
    budget = client.get("/de/budget/2026/").content.decode()
    assert 'lang="da">Rejser</a>' in budget
    # A trip's title, written in Danish only, wherever the trip is listed.
    title = f'lang="da">{trip.title}</a>'
    assert title in trips
    assert title in client.get("/de/budget/2026/lines/OEU/").content.decode()
    # In Danish, nothing is marked.
    assert 'lang="da">' not in client.get("/trips/").content.decode().split("<main", 1)[1]


def test_the_demo_shows_its_german_texts_on_german_pages(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    home = client.get("/de/").content.decode()
    assert "Das internationale Engagement der Gemeinde Ballerup" in home
    assert "nicht in die Sprache dieser Seite übersetzt" not in home
    budget = client.get("/de/budget/2026/").content.decode()
    assert "Finanzausschuss: Kurse, Konferenzen und Studienreisen" in budget
    assert 'lang="da"' not in budget.split("<main", 1)[1].split("Weitere internationale")[0]
    schemes = client.get("/de/grants/").content.decode()
    assert "Reisezuschüsse für Kinder und Jugendliche unter 25" in schemes


def test_the_sort_choices_are_in_the_pages_language(client):
    german = client.get("/de/trips/").content.decode()
    danish = client.get("/trips/").content.decode()
    assert '<option value="-cost">Kosten (absteigend)</option>' in german
    assert "aftagende" not in german
    assert '<option value="-cost">Udgift (aftagende)</option>' in danish


def test_a_page_not_found_says_so_in_the_addresses_language(client):
    for address, heading in [
        ("/de/trips/no-such-trip/", "<h1>Seite nicht gefunden</h1>"),
        ("/trips/no-such-trip/", "<h1>Siden findes ikke</h1>"),
        ("/en/trips/no-such-trip/", "<h1>Page not found</h1>"),
    ]:
        response = client.get(address)
        assert response.status_code == 404
        assert heading in response.content.decode()


def test_a_trips_pdf_has_no_screen_only_words(client):
    """The line under a table that scrolls on a screen is not printed in the PDF."""
    import io

    from pypdf import PdfReader

    trip = TripFactory(slug="wuxi", costs=[("transport", 1000, 1000)])
    response = client.get(reverse("travel:trip_pdf", args=[trip.slug]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Transport" in text or "transport" in text.lower()
    assert "Rul til siden" not in text
