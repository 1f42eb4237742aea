"""Totals kept as rows (portal.tallies): the pages read them, the services move them in the
transaction of each change, and `manage.py recount` finds any change that went around the
services, and rewrites the totals from the rows."""

import re
import threading
from contextvars import copy_context  # each thread in the test's municipality
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from budgets.enums import CommitmentSource
from budgets.models import BudgetLine
from budgets.selectors import balance_of
from budgets.services import book_commitment
from tests.factories import (
    BudgetLineFactory,
    CommitteeFactory,
    PersonFactory,
    TripFactory,
    UserFactory,
)
from travel import services
from travel.models import Trip, TripTotal

pytestmark = pytest.mark.django_db


def year_rows(client, **filters) -> dict[str, list[str]]:
    """The trip list's table per year, as a reader sees it: {year: [trips, politicians,
    officials, participants, cost (and whether provisional), per participant]}."""
    page = client.get(reverse("travel:list"), filters).content.decode()
    table = page[page.index('id="by-year"') :] if 'id="by-year"' in page else page
    table = table[: table.index("</tbody>")]
    return {
        year: [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r'<td data-label="[^"]*" class="num">(.*?)</td>', cells)
        ]
        for year, cells in re.findall(r'<th scope="row">(\d{4})</th>(.*?)</tr>', table)
    }


def test_the_list_totals_move_with_each_change_through_the_services(
    client, secretary, administrator
):
    person = PersonFactory(name="Mette Holm", kind="politician")
    trip = TripFactory(travellers=[person], costs=[("transport", 1000, 1000)])
    trip.programme.create(day=trip.starts_on, what="Møde")
    TripFactory(slug="other", costs=[("transport", 500, 500)])
    assert year_rows(client)["2025"][:5] == ["2", "1", "0", "1", "1.500\xa0kr. foreløbig"]

    services.unpublish_trip(trip=trip, actor=secretary, reason="Fejl i regnskabet")
    assert year_rows(client)["2025"][:5] == ["1", "0", "0", "0", "500\xa0kr. foreløbig"]
    services.publish_trip(trip=trip, actor=secretary)
    assert year_rows(client)["2025"][:5] == ["2", "1", "0", "1", "1.500\xa0kr. foreløbig"]

    # The administrator finds the traveller was an official: every trip counts them anew.
    client.force_login(administrator)
    client.post(
        reverse("admin:travel_person_change", args=[person.pk]),
        {"name": "Mette Holm", "slug": person.slug, "kind": "official"},
    )
    client.logout()
    assert year_rows(client)["2025"][:3] == ["2", "0", "1"]


def people_rows(client) -> list[tuple[str, ...]]:
    """The people who travelled as a reader sees them: (name, year, trips, cost) per row."""
    page = client.get(reverse("travel:people")).content.decode()
    return [
        (name, year, trips, re.sub(r"<[^>]+>", "", cost).strip())
        for name, year, trips, cost in re.findall(
            r'<a href="[^"]*">([^<]*)</a> <span class="muted">[^<]*</span></th>'
            r'<td data-label="[^"]*">(\d{4})</td><td data-label="[^"]*" class="num">(\d+)</td>'
            r'<td data-label="[^"]*" class="num">(.*?)</td></tr>',
            page,
        )
    ]


@pytest.mark.bypasses_totals
def test_each_travellers_totals_move_with_each_change_through_the_services(client, secretary):
    mette = PersonFactory(name="Mette Holm", kind="politician")
    jens = PersonFactory(name="Jens Kjær", kind="official")
    trip = TripFactory(
        travellers=[mette, jens], accounts_status="final", costs=[("transport", 1000, 1000)]
    )
    trip.programme.create(day=trip.starts_on, what="Møde")
    TripFactory(
        slug="alone",
        travellers=[mette],
        starts_on=trip.starts_on.replace(year=2024),
        ends_on=trip.ends_on.replace(year=2024),
        accounts_status="provisional",
        costs=[("transport", 333, 333)],
    )
    TripFactory(slug="draft", travellers=[jens], state="draft", published_at=None)
    both = [
        ("Jens Kjær", "2025", "1", "500\xa0kr."),
        ("Mette Holm", "2025", "1", "500\xa0kr."),
        ("Mette Holm", "2024", "1", "333\xa0kr. foreløbig"),
    ]
    assert people_rows(client) == both

    services.unpublish_trip(trip=trip, actor=secretary, reason="Fejl i regnskabet")
    assert people_rows(client) == [("Mette Holm", "2024", "1", "333\xa0kr. foreløbig")]
    services.publish_trip(trip=trip, actor=secretary)
    assert people_rows(client) == both

    # Around the services: the page keeps the kept totals until the recount rewrites them.
    trip.account_lines.update(actual=Decimal("3000"))
    assert people_rows(client) == both
    call_command("recount", "--fix")
    assert people_rows(client)[:2] == [
        ("Jens Kjær", "2025", "1", "1.500\xa0kr."),
        ("Mette Holm", "2025", "1", "1.500\xa0kr."),
    ]


def test_a_filtered_list_adds_up_only_what_it_shows(client):
    committee = CommitteeFactory(name_da="Børneudvalget")
    TripFactory(committee=committee, costs=[("transport", 1000, 1000)])
    TripFactory(costs=[("transport", 500, 500)])
    assert year_rows(client)["2025"][4] == "1.500\xa0kr. foreløbig"
    assert year_rows(client, committee=committee.slug)["2025"][4] == "1.000\xa0kr. foreløbig"


@pytest.mark.bypasses_totals
def test_a_change_around_the_services_is_found_and_rewritten_by_the_recount(client):
    trip = TripFactory(costs=[("transport", 1000, 1000)])
    line = BudgetLineFactory(amount=10_000)
    call_command("recount")  # nothing to report

    trip.account_lines.update(actual=Decimal("4000"))  # around the staff pages
    line.commitments.create(
        amount=Decimal("700"), booked_on=timezone.localdate(), description="SQL", source="manual"
    )
    with pytest.raises(CommandError, match="differ"):
        call_command("recount")
    assert year_rows(client)["2025"][4] == "1.000\xa0kr. foreløbig"  # the kept total, until fixed

    call_command("recount", "--fix")
    call_command("recount")
    assert year_rows(client)["2025"][4] == "4.000\xa0kr. foreløbig"
    assert balance_of(line).committed == Decimal("700.00")


def test_a_stale_copy_saved_never_writes_old_totals_back(secretary):
    trip = TripFactory(costs=[("transport", 1000, 1000)])
    stale = Trip.objects.get(pk=trip.pk)
    line = BudgetLineFactory(amount=10_000)
    stale_line = BudgetLine.objects.get(pk=line.pk)
    book_commitment(
        line=line, amount=300, description="Kursus", source=CommitmentSource.MANUAL,
        manual_cause="membership",
        actor=secretary, reason="Aftalt",
    )  # fmt: skip
    from tests.factories import rows_of

    with rows_of(trip):
        trip.account_lines.update(actual=Decimal("2500"))
    stale.title = "Ny titel"
    stale.save()
    stale_line.name_da = "Nyt navn"
    stale_line.save()
    trip.refresh_from_db()
    assert (trip.title, trip.total_actual) == ("Ny titel", Decimal("2500.00"))
    assert balance_of(line).committed == Decimal("300.00")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sent_by_a_committee", [True, False])
def test_twenty_trips_published_at_once_are_all_counted(sent_by_a_committee):
    """The first trips of a year and committee (or of the administration, a NULL in the
    totals' key) at the same moment: one row, every trip."""
    committee = CommitteeFactory() if sent_by_a_committee else None
    trips = [
        TripFactory(
            committee=committee,
            unit="" if committee else "Borgmesterens Afdeling",
            state="draft",
            published_at=None,
            costs=[("transport", 100, 100)],
        )
        for _ in range(20)
    ]
    for trip in trips:
        trip.programme.create(day=trip.starts_on, what="Møde")
    secretary = UserFactory(username="racer")
    start = threading.Barrier(len(trips))
    failures = []

    def publish(trip):
        start.wait()
        try:
            services.publish_trip(trip=trip, actor=secretary)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=copy_context().run, args=[publish, trip]) for trip in trips]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    from travel.selectors import trip_totals

    (row,) = trip_totals()["by_committee"]
    assert (row["trips"], row["cost"]) == (20, Decimal("2000.00"))
    assert TripTotal.objects.count() == 1  # not a row per transaction that saw none
