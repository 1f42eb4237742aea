"""A commitment knows what it paid for by a foreign key (a trip or a grant case, at most
one), and the upgrade turns every "trip:<pk>" and "grant:<pk>" string into that key or stops."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from budgets.models import Commitment
from budgets.selectors import open_bookings
from budgets.services import book_commitment, reverse_commitment
from tests.factories import BudgetLineFactory, GrantApplicationFactory, TripFactory

BEFORE = [("budgets", "0011_commitment_cause")]
AFTER = [("budgets", "0012_commitment_cause_from_reference")]


@pytest.mark.django_db
def test_a_commitment_has_at_most_one_cause():
    line = BudgetLineFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(
            line=line,
            amount=Decimal("100.00"),
            booked_on="2026-01-01",
            description="both",
            source="manual",
            trip=TripFactory(),
            grant_application=GrantApplicationFactory(),
        )
    assert not Commitment.objects.filter(description="both").exists()


@pytest.mark.django_db
def test_open_bookings_are_a_causes_unreversed_commitments():
    line = BudgetLineFactory(amount=Decimal("10000"))
    trip, application = TripFactory(), GrantApplicationFactory()
    kept = book_commitment(
        line=line, amount=100, description="t", source="trip_accounts", actor=None, trip=trip
    )
    gone = book_commitment(
        line=line, amount=50, description="t", source="trip_accounts", actor=None, trip=trip
    )
    reversal = reverse_commitment(commitment=gone, actor=None, reason="changed")
    grant = book_commitment(
        line=line,
        amount=70,
        description="g",
        source="grant_decision",
        actor=None,
        grant_application=application,
    )
    assert list(open_bookings(trip=trip)) == [kept]
    assert list(open_bookings(grant_application=application)) == [grant]
    assert reversal.trip == trip  # a reversal keeps its cause


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _migrate_to_latest():
    """Every app's newest migration again, for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.bypasses_totals  # the old rows are written as the upgrade finds them
@pytest.mark.django_db(transaction=True)
def test_the_upgrade_turns_every_cause_string_into_its_key():
    line, trip, application = BudgetLineFactory(), TripFactory(), GrantApplicationFactory()
    apps = _migrate(BEFORE)
    old = apps.get_model("budgets", "Commitment").objects
    fields = {"line_id": line.pk, "booked_on": "2026-01-01", "description": "d"}
    rows = {
        "trip": old.create(**fields, amount=1, source="trip_accounts", reference=f"trip:{trip.pk}"),
        "grant": old.create(
            **fields, amount=2, source="grant_decision", reference=f"grant:{application.pk}"
        ),
        "manual": old.create(**fields, amount=3, source="manual", reference="F-507"),
    }
    upgraded = _migrate(AFTER).get_model("budgets", "Commitment").objects
    after = {
        key: upgraded.values_list("trip", "grant_application", "reference").get(pk=row.pk)
        for key, row in rows.items()
    }
    assert after == {
        "trip": (trip.pk, None, ""),
        "grant": (None, application.pk, ""),
        "manual": (None, None, "F-507"),
    }
    _migrate_to_latest()


@pytest.mark.bypasses_totals  # the old rows are written as the upgrade finds them
@pytest.mark.django_db(transaction=True)
def test_the_upgrade_stops_at_a_cause_that_does_not_exist():
    line = BudgetLineFactory()
    apps = _migrate(BEFORE)
    old = apps.get_model("budgets", "Commitment").objects
    orphan = old.create(
        line_id=line.pk, booked_on="2026-01-01", description="d", amount=1,
        source="trip_accounts", reference="trip:987654",
    )  # fmt: skip
    with pytest.raises(RuntimeError, match="trip:987654"):
        _migrate(AFTER)
    assert old.values_list("reference", "trip_id").get(pk=orphan.pk) == ("trip:987654", None)
    old.filter(pk=orphan.pk).delete()
    _migrate_to_latest()
