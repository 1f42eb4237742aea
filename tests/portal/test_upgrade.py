"""An upgrade over a database written by an earlier version: what a migration must cope with."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import TripFactory
from travel.enums import ADMINISTRATION
from travel.selectors import trip_totals

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("travel", "0011_trip_total_per_country")]


def migrate(targets=None):
    """Migrate to `targets`; without, to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.bypasses_totals
def test_totals_made_twice_by_a_race_are_counted_again_after_the_upgrade():
    """Before the constraint, two transactions could each make the administration's row of
    a year and country: the upgrade drops such doubles, and the recount of every upgrade
    counts them again."""
    TripFactory(
        committee=None,
        unit="Borgmesterens Afdeling",
        starts_on=datetime.date(2025, 3, 1),
        ends_on=datetime.date(2025, 3, 3),
        destination_country="DE",
        costs=[("transport", 100, 100)],
    )
    try:
        old = migrate(BEFORE)
        totals = old.get_model("travel", "TripTotal").objects
        (row,) = totals.values("year", "country", "trips", "cost")
        totals.create(**{**row, "trips": 1})  # the race's second row
        assert totals.count() == 2
    finally:
        migrate()
    call_command("recount", "--fix", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (row,) = trip_totals()["by_committee"]
    assert (row["group"], row["trips"], row["cost"]) == (ADMINISTRATION, 1, 100)
    call_command("recount", stdout=open("/dev/null", "w"))  # noqa: SIM115 - no difference left


@pytest.mark.bypasses_totals
def test_the_months_grant_totals_are_whole_from_the_upgrade_on(client):
    """The upgrade that adds the totals per scheme and month fills them from the kept totals
    per city: the statistics page shows the same figures before and after, and the recount
    finds nothing to fix."""
    from decimal import Decimal

    from django.utils import timezone

    from grants.enums import ApplicationState
    from tests.factories import GrantApplicationFactory, PartnerCityFactory

    for name in ("Wuxi", "Brno", "Nacka"):
        GrantApplicationFactory(
            state=ApplicationState.APPROVED,
            applicant_kind="employee",
            partner_city=PartnerCityFactory(name=name),
            amount_granted=Decimal("1500"),
            decided_at=timezone.now() - datetime.timedelta(days=40),
        )
    before = client.get("/api/grant-statistics/").json()["results"]
    assert [(row["trips"], row["amount"]) for row in before] == [(3, "4500.00")]
    try:
        migrate([("grants", "0008_total_once_without_null")])
    finally:
        migrate()
    assert client.get("/api/grant-statistics/").json()["results"] == before
    call_command("recount", stdout=open("/dev/null", "w"))  # noqa: SIM115 - raises on a difference
