"""An amount booked by hand names what it pays for, from a list without trips abroad: a trip's
cost reaches a line only through its trip record, so it is in the trip register and the
overdue list (docs/decisions/a-trip-s-cost-reaches-a-budget-line-only-through-its-trip.md)."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets.models import BudgetLine, Commitment
from budgets.selectors import balance_of
from budgets.services import BudgetError, book_commitment, reverse_by_hand
from portal.models import AuditEntry
from tests.factories import BudgetLineFactory, TripFactory

pytestmark = pytest.mark.django_db


def entry(**changes) -> dict:
    return {
        "manual_cause": "membership",
        "amount": "18000",
        "booked_on": "2026-02-02",
        "description": "Kontingent EUROCITIES",
        "public_description": "Kontingent til EUROCITIES",
        "reference": "F-118",
        "reason": "Faktura 2026-118",
        **changes,
    }


def nothing_stored(line) -> bool:
    line.refresh_from_db()
    return (
        not Commitment.objects.exists()
        and not AuditEntry.objects.filter(action="budget.book").exists()
        and (line.committed, line.spent) == (0, 0)
    )


def test_the_booking_form_refuses_a_trip_and_points_to_the_trip_form(client, administrator):
    line = BudgetLineFactory(budget_year__year=2024, amount=65_000, kind="committee_travel")
    client.force_login(administrator)
    url = reverse("budgets:line_detail", args=[line.pk])

    page = client.get(url).content.decode()
    assert '<option value="trip_abroad">En rejse til udlandet' in page
    assert f'<a href="{reverse("travel:trip_create")}">rejseformularen</a>' in page

    trip = entry(
        manual_cause="trip_abroad",
        amount="42300",
        description="Studietur til Brandenburg an der Havel",
        public_description="Studietur til Brandenburg an der Havel",
    )
    response = client.post(url, trip)
    page = response.content.decode()
    assert "En rejse til udlandet bogføres ikke i hånden" in page
    assert 'value="Studietur til Brandenburg an der Havel"' in page  # what was typed is kept
    assert nothing_stored(line)


@pytest.mark.parametrize("cause", ["", "travel", "other", "trip_accounts"])
def test_an_entry_that_names_no_cause_of_the_list_is_refused(client, administrator, cause):
    line = BudgetLineFactory(amount=65_000)
    client.force_login(administrator)
    response = client.post(
        reverse("budgets:line_detail", args=[line.pk]), entry(manual_cause=cause)
    )
    assert 'class="error-message" id="id_manual_cause_error"' in response.content.decode()
    assert nothing_stored(line)


def test_an_entry_of_the_list_is_booked_with_its_cause_and_shown(client, administrator):
    line = BudgetLineFactory(amount=65_000)
    client.force_login(administrator)
    url = reverse("budgets:line_detail", args=[line.pk])
    assert client.post(url, entry())["Location"] == url
    booked = Commitment.objects.get()
    assert (booked.manual_cause, booked.amount, booked.source) == (
        "membership",
        Decimal("18000.00"),
        "manual",
    )
    assert "Manuel postering: Kontingent til et netværk eller en forening" in (
        client.get(url).content.decode()
    )
    # A reversal keeps what the entry paid for.
    reversal = reverse_by_hand(commitment=booked, actor=administrator, reason="Fejl")
    assert reversal.manual_cause == "membership"


def test_the_service_refuses_a_trip_booked_without_its_trip_record():
    line = BudgetLineFactory(amount=65_000)
    trip = TripFactory()
    attempts = [
        # The demo's old way: the trip's cost as an entry of its own.
        {"source": "trip_accounts"},
        # A trip named, but booked as a manual entry (around its accounts).
        {"source": "manual", "manual_cause": "meeting", "trip": trip},
        # A manual entry that says nothing of what it pays for, or names a trip.
        {"source": "manual"},
        {"source": "manual", "manual_cause": "trip_abroad"},
        # A cause on a booking the portal makes.
        {"source": "grant_decision", "manual_cause": "hosting"},
    ]
    for attempt in attempts:
        with pytest.raises(BudgetError):
            book_commitment(
                line=line,
                amount=42_300,
                description="Studietur til Brandenburg an der Havel",
                reason="Faktura",
                actor=None,
                **attempt,
            )
    assert nothing_stored(line)


def test_the_admin_cannot_add_an_entry(client, administrator):
    line = BudgetLineFactory(amount=65_000)
    client.force_login(administrator)
    url = reverse("admin:budgets_commitment_add")
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "line": line.pk,
            "amount": "42300",
            "booked_on": "2024-05-30",
            "description": "Studietur til Brandenburg an der Havel",
            "source": "manual",
            "manual_cause": "meeting",
        },
    )
    assert response.status_code == 403
    assert nothing_stored(line)


def test_the_demos_trips_reach_their_lines_through_their_trip_records(client):
    from travel.models import Trip

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # No trip's cost is an entry of its own, and every entry says what it paid for.
    assert not Commitment.objects.filter(source="trip_accounts", trip=None).exists()
    assert not Commitment.objects.filter(source="manual", manual_cause="").exists()

    brandenburg = Trip.objects.get(slug="2024-05-bsu-brandenburg")
    malmo = Trip.objects.get(slug="2024-09-kb-malmo")
    for trip, code, cost in ((brandenburg, "UDV-BORN-SKOLE", 42_300), (malmo, "KB-REJSER", 51_200)):
        line = BudgetLine.objects.get(budget_year__year=2024, code=code)
        assert trip.budget_line == line and trip.total_actual == cost
        booked = Commitment.objects.get(line=line)
        assert (booked.trip, booked.amount, booked.booked_on) == (trip, cost, trip.ends_on)
        assert balance_of(line).committed == balance_of(line).spent == cost

    # The published one is in the trip register and named on its line's page.
    register = client.get(reverse("travel:list") + "?year=2024").content.decode()
    assert brandenburg.title in register
    line_page = client.get(reverse("budgets:line", args=[2024, "UDV-BORN-SKOLE"])).content
    assert f'<a href="{brandenburg.get_absolute_url()}"' in line_page.decode()
    # The one never published is on the overdue list with what it booked, and on its line
    # as a trip not yet published (a draft shows nothing more).
    overdue = client.get(reverse("travel:overdue"))
    assert [(t.pk, t.booked) for t in overdue.context["trips"] if t.pk == malmo.pk] == [
        (malmo.pk, Decimal("51200.00"))
    ]
    assert "51.200\xa0kr." in overdue.content.decode()
    line_page = client.get(reverse("budgets:line", args=[2024, "KB-REJSER"]))
    assert [(c.kind, c.committed) for c in line_page.context["causes"]] == [
        ("unpublished_trip", Decimal("51200.00"))
    ]
