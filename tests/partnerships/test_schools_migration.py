"""The upgrade that makes schools records: every school typed on an exchange becomes a
School, each exchange is linked to its own and shows the same text; an exchange that names
no school stops the upgrade, which then changes nothing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import PartnerCityFactory

BEFORE = [("partnerships", "0005_partner_city_by_name")]
AFTER = [("partnerships", "0006_schools_are_records")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _exchange(old, city, title, school):
    return old.create(
        title=title,
        kind="pupil_exchange",
        school_or_unit=school,
        partner_city_id=city.pk,
        direction="outgoing",
        starts_on="2025-10-06",
        ends_on="2025-10-17",
        pupils=10,
    )


@pytest.mark.django_db(transaction=True)
def test_each_typed_school_becomes_a_record_and_keeps_its_text():
    city = PartnerCityFactory()
    old = _migrate(BEFORE).get_model("partnerships", "Exchange").objects
    rows = {
        "a": _exchange(old, city, "A", "Skovlunde Skole"),
        "b": _exchange(old, city, "B", "Skovlunde Skole "),  # the same, typed with a space
        "c": _exchange(old, city, "C", "Baltorpskolen"),
    }
    new = _migrate(AFTER)
    School = new.get_model("partnerships", "School")
    Exchange = new.get_model("partnerships", "Exchange")
    assert sorted(School.objects.values_list("name", flat=True)) == [
        "Baltorpskolen",
        "Skovlunde Skole",
    ]
    assert {
        key: Exchange.objects.values_list("school__name", flat=True).get(pk=row.pk)
        for key, row in rows.items()
    } == {"a": "Skovlunde Skole", "b": "Skovlunde Skole", "c": "Baltorpskolen"}
    _migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_an_exchange_without_a_school_stops_the_upgrade_and_changes_nothing():
    city = PartnerCityFactory()
    old = _migrate(BEFORE).get_model("partnerships", "Exchange").objects
    named = _exchange(old, city, "Named", "Skovlunde Skole")
    blank = _exchange(old, city, "Elevudveksling uden skole", "  ")
    with pytest.raises(RuntimeError, match=f"#{blank.pk} Elevudveksling uden skole"):
        _migrate(AFTER)
    assert sorted(old.values_list("title", "school_or_unit")) == [
        ("Elevudveksling uden skole", "  "),
        ("Named", "Skovlunde Skole"),
    ]
    assert "partnerships_school" not in connection.introspection.table_names()
    old.filter(pk=blank.pk).update(school_or_unit="Baltorpskolen")
    _migrate_to_latest()
    from partnerships.models import Exchange

    assert Exchange.objects.get(pk=named.pk).school.name == "Skovlunde Skole"
