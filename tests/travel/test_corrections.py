"""A correction of a published trip says what changed, old and new, on the trip's page and in
the feed, where the trip's entry is updated (the same entry, a later `updated`)."""

import datetime
from decimal import Decimal

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from tests.factories import BudgetLineFactory, TripFactory
from tests.travel.test_publication import _post_data
from travel.models import Correction, Trip

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_trip():
    line = BudgetLineFactory(budget_year__year=2025, amount=65_000, kind="committee_travel")
    return TripFactory(
        title_da="Studietur til Wuxi",
        budget_line=line,
        costs=[("accommodation", 16000, 16000)],
        published_at=datetime.datetime(2025, 11, 20, 10, tzinfo=datetime.UTC),
    )


def correct(client, secretary, trip, **changes):
    client.force_login(secretary)
    response = client.post(reverse("travel:trip_edit", args=[trip.pk]), _post_data(trip, **changes))
    assert response.status_code == 302, response.content.decode()
    client.logout()


def test_a_correction_keeps_the_old_and_new_values(client, secretary, published_trip):
    correct(
        client,
        secretary,
        published_trip,
        **{
            "title_da": "Børne- og Skoleudvalgets rejse til Wuxi",
            "accounts-0-actual": "17900",
            "correction": "Hotelpris efter den endelige faktura",
        },
    )
    correction = Correction.objects.get(trip=published_trip)
    assert correction.changes == [
        {
            "what": "title",
            "item": "da",
            "detail": "",
            "kind": "text",
            "old": "Studietur til Wuxi",
            "new": "Børne- og Skoleudvalgets rejse til Wuxi",
        },
        {
            "what": "actual",
            "item": "accommodation",
            "detail": "",
            "kind": "amount",
            "old": "16000.00",
            "new": "17900.00",
        },
        {
            "what": "total_actual",
            "item": "",
            "detail": "",
            "kind": "amount",
            "old": "16000.00",
            "new": "17900.00",
        },
    ]
    trip = Trip.objects.get(pk=published_trip.pk)
    assert trip.corrected_at == correction.made_at


def test_the_trips_page_says_what_changed_in_the_readers_language(
    client, secretary, published_trip
):
    correct(
        client,
        secretary,
        published_trip,
        **{
            "title_da": "Børne- og Skoleudvalgets rejse til Wuxi",
            "accounts-0-actual": "17900",
            "correction": "Hotelpris",
        },
    )
    trip = Trip.objects.get(pk=published_trip.pk)
    page = client.get(trip.get_absolute_url()).content.decode()
    assert "<li>Titel: var <q>Studietur til Wuxi</q>, nu <q>Børne- og Skoleudvalgets rejse" in page
    assert "<li>Ophold, faktisk: var 16.000\xa0kr., nu 17.900\xa0kr.</li>" in page
    assert "<li>Faktisk i alt: var 16.000\xa0kr., nu 17.900\xa0kr.</li>" in page

    with override("en"):
        english = client.get(trip.get_absolute_url()).content.decode()
    assert "<li>Accommodation, actual: was DKK\xa016,000, now DKK\xa017,900</li>" in english
    # The Danish text keeps its language on an English page.
    assert '<li>Title: was <q lang="da">Studietur til Wuxi</q>, now <q lang="da">' in english


def test_an_added_and_a_removed_row_say_so(client, secretary, published_trip):
    correct(
        client,
        secretary,
        published_trip,
        **{
            "accounts-0-DELETE": "on",
            "accounts-TOTAL_FORMS": 2,
            "accounts-1-category": "transport",
            "accounts-1-budgeted": "0",
            "accounts-1-actual": "9500",
            "correction": "Fly i stedet for hotel",
        },
    )
    page = client.get(published_trip.get_absolute_url()).content.decode()
    assert "<li>Ophold, budget: fjernet 16.000\xa0kr.</li>" in page
    assert "<li>Ophold, faktisk: fjernet 16.000\xa0kr.</li>" in page
    assert "<li>Transport, faktisk: tilføjet 9.500\xa0kr.</li>" in page


def entry_of(client, trip):
    parsed = feedparser.parse(client.get(reverse("travel:feed")).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entries = [e for e in parsed.entries if e.link.endswith(trip.get_absolute_url())]
    assert len(entries) == 1
    return parsed, entries[0]


def test_a_correction_updates_the_trips_entry_in_the_feed(client, secretary, published_trip):
    TripFactory(title_da="Nyere rejse", published_at=timezone.now() - datetime.timedelta(days=1))
    parsed, before = entry_of(client, published_trip)
    assert parsed.entries[0].title == "Nyere rejse"
    assert before.updated_parsed[:6] == (2025, 11, 20, 10, 0, 0)

    correct(
        client,
        secretary,
        published_trip,
        **{"accounts-0-actual": "17900", "correction": "Hotelpris efter den endelige faktura"},
    )
    parsed, after = entry_of(client, published_trip)
    made_at = Correction.objects.get().made_at
    assert after.id == before.id  # the same entry, updated
    assert after.updated_parsed[:6] == made_at.astimezone(datetime.UTC).timetuple()[:6]
    assert parsed.entries[0].id == after.id  # the latest change of the feed
    assert "Hotelpris efter den endelige faktura" in after.summary
    assert "Ophold, faktisk: var 16.000\xa0kr., nu 17.900\xa0kr." in after.summary
    assert "Faktisk i alt: var 16.000\xa0kr., nu 17.900\xa0kr." in after.summary
    assert Decimal(Trip.objects.get(pk=published_trip.pk).total_actual) == Decimal("17900")


def test_the_api_gives_a_corrections_changes_as_data(client, secretary, published_trip):
    correct(
        client,
        secretary,
        published_trip,
        **{"accounts-0-actual": "17900", "correction": "Hotelpris"},
    )
    trip = client.get(f"/api/trips/{published_trip.slug}/").json()
    assert [(c["summary"], c["changes"]) for c in trip["corrections"]] == [
        (
            "Hotelpris",
            [
                {
                    "what": "actual",
                    "item": "accommodation",
                    "detail": "",
                    "kind": "amount",
                    "old": "16000.00",
                    "new": "17900.00",
                },
                {
                    "what": "total_actual",
                    "item": "",
                    "detail": "",
                    "kind": "amount",
                    "old": "16000.00",
                    "new": "17900.00",
                },
            ],
        )
    ]
