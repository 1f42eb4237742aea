"""The publication gates and the link between a trip's accounts and the budget."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.selectors import balance_of
from budgets.services import BudgetError
from portal.models import AuditEntry
from tests.factories import (
    BudgetLineFactory,
    CommitteeFactory,
    PersonFactory,
    TripFactory,
    rows_of,
)
from travel import services
from travel.models import Correction, ProgrammeItem, Trip

pytestmark = pytest.mark.django_db


def test_a_report_is_never_public_before_the_committee_approved_it(client, secretary):
    trip = TripFactory(
        report="Mål og udbytte: hemmeligt indtil godkendt.", costs=[("transport", 1000, 900)]
    )
    page = client.get(trip.get_absolute_url()).content.decode()
    assert "hemmeligt indtil godkendt" not in page
    assert "Rapporten offentliggøres, når udvalget har godkendt den." in page

    services.approve_report(
        trip=trip,
        actor=secretary,
        approved_on=datetime.date(2025, 12, 9),
        approved_by=CommitteeFactory(slug="bsu", name_da="Børne- og Skoleudvalget"),
        agenda_item="7",
    )
    page = client.get(trip.get_absolute_url()).content.decode()
    assert "hemmeligt indtil godkendt" in page
    assert "Godkendt af Børne- og Skoleudvalget den 9. december 2025, dagsordenspunkt 7." in page
    assert AuditEntry.objects.filter(action="trip.approve_report", actor=secretary).exists()


def test_approval_needs_a_published_trip_a_report_and_a_date_after_the_return(secretary):
    draft = TripFactory(state="draft", report="Tekst")
    with pytest.raises(services.TripError):
        services.approve_report(
            trip=draft,
            actor=secretary,
            approved_on=datetime.date(2025, 12, 1),
            approved_by=CommitteeFactory(),
            agenda_item="1",
        )
    no_report = TripFactory()
    with pytest.raises(services.TripError):
        services.approve_report(
            trip=no_report,
            actor=secretary,
            approved_on=datetime.date(2025, 12, 1),
            approved_by=CommitteeFactory(),
            agenda_item="1",
        )
    early = TripFactory(report="Tekst")
    with pytest.raises(services.TripError):
        services.approve_report(
            trip=early,
            actor=secretary,
            approved_on=datetime.date(2025, 10, 1),
            approved_by=CommitteeFactory(),
            agenda_item="1",
        )
    future = TripFactory(report="Tekst")
    with pytest.raises(services.TripError):
        services.approve_report(
            trip=future,
            actor=secretary,
            approved_on=timezone.localdate() + datetime.timedelta(days=1),
            approved_by=CommitteeFactory(),
            agenda_item="1",
        )
    assert Trip.objects.filter(state="report_published").count() == 0


def test_a_draft_is_not_public_and_publishing_needs_programme_and_accounts(client, secretary):
    trip = TripFactory(state="draft", published_at=None)
    assert client.get(trip.get_absolute_url()).status_code == 404
    with pytest.raises(services.TripError):
        services.publish_trip(trip=trip, actor=secretary)

    ProgrammeItem.objects.create(trip=trip, day=trip.starts_on, what="Møde")
    with rows_of(trip):
        trip.account_lines.create(category="transport", budgeted=100, actual=100)
    services.publish_trip(trip=trip, actor=secretary)
    assert client.get(trip.get_absolute_url()).status_code == 200


def _post_data(trip, **changes) -> dict:
    """The edit form as the browser would post it, for a trip with one account line."""
    data = {
        "title_da": trip.title,
        "purpose_da": trip.purpose,
        "destination_city": trip.destination_city,
        "destination_country": trip.destination_country.code,
        "starts_on": trip.starts_on,
        "ends_on": trip.ends_on,
        "other_participants": 0,
        "accounts_status": "provisional",
        "budget_line": trip.budget_line_id or "",
        "travellers-TOTAL_FORMS": 0,
        "travellers-INITIAL_FORMS": 0,
        "programme-TOTAL_FORMS": 0,
        "programme-INITIAL_FORMS": 0,
        "accounts-TOTAL_FORMS": 1,
        "accounts-INITIAL_FORMS": 1,
        "accounts-0-id": trip.account_lines.get().pk,
        "accounts-0-trip": trip.pk,
        "accounts-0-category": "accommodation",
        "accounts-0-budgeted": "16000",
        "accounts-0-actual": "16000",
        "correction": "",
    }
    data.update(changes)
    return data


def test_a_change_after_publication_is_recorded_and_shown(client, secretary):
    line = BudgetLineFactory(budget_year__year=2025, amount=65_000, kind="committee_travel")
    trip = TripFactory(budget_line=line, costs=[("accommodation", 16000, 16000)])
    client.force_login(secretary)
    url = reverse("travel:trip_edit", args=[trip.pk])

    response = client.post(url, _post_data(trip, **{"accounts-0-actual": "17900"}))
    assert "Turen er offentliggjort: skriv, hvad du har rettet." in response.content.decode()
    assert trip.account_lines.get().actual == Decimal("16000.00")

    client.post(url, _post_data(trip, **{"accounts-0-actual": "17900", "correction": "hotelpris"}))
    assert trip.account_lines.get().actual == Decimal("17900.00")
    correction = Correction.objects.get(trip=trip)
    page = client.get(trip.get_absolute_url()).content.decode()
    made_on = timezone.localtime(correction.made_at)  # the portal's day, not UTC's
    assert f"Rettet den {made_on:%-d}." in page and "<span>hotelpris</span>" in page


def test_actual_costs_are_booked_on_the_budget_line_to_the_krone(secretary):
    line = BudgetLineFactory(budget_year__year=2025, amount=65_000, kind="committee_travel")
    trip = TripFactory(
        budget_line=line, costs=[("transport", 32000, 31450), ("accommodation", 16000, 17900)]
    )
    services.sync_trip_commitments(trip=trip, actor=secretary)
    balance = balance_of(line)
    assert (balance.committed, balance.spent) == (Decimal("49350.00"), Decimal("49350.00"))

    with rows_of(trip):
        trip.account_lines.filter(category="accommodation").update(actual=Decimal("16000"))
    services.sync_trip_commitments(trip=trip, actor=secretary)
    balance = balance_of(line)
    assert balance.committed == Decimal("47450.00")
    services.sync_trip_commitments(trip=trip, actor=secretary)  # nothing changed: no new rows
    assert line.commitments.count() == 3  # booked, reversed, booked again


def test_a_trip_cannot_overspend_its_budget_line(secretary):
    line = BudgetLineFactory(budget_year__year=2025, amount=10_000, kind="committee_travel")
    trip = TripFactory(budget_line=line, costs=[("transport", 12000, 12000)])
    with pytest.raises(BudgetError):
        services.sync_trip_commitments(trip=trip, actor=secretary)
    assert line.commitments.count() == 0


def test_cost_per_participant_and_totals(client):
    politicians = [PersonFactory(name="Mette Holm"), PersonFactory(name="Jens Kjær")]
    official = PersonFactory(name="Henrik Dahl", kind="official")
    TripFactory(
        travellers=[*politicians, official],
        other_participants=1,
        costs=[("transport", 7500, 6980), ("fees", 6000, 6000)],
    )
    response = client.get(reverse("travel:list"))
    trip = response.context["page"][0]
    assert (trip.politicians, trip.officials, trip.participants) == (2, 1, 4)
    assert trip.total_actual == Decimal("12980.00")
    assert trip.cost_per_participant == Decimal("3245.00")
    assert response.context["totals"]["by_year"] == [
        {
            "group": 2025,
            "trips": 1,
            "cost": Decimal("12980.00"),
            "politicians": 2,
            "officials": 1,
            "participants": 4,
            "provisional": 1,  # the factory's accounts are provisional
            "per_participant": Decimal("3245.00"),
        }
    ]
