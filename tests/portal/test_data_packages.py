"""Every whole dataset is a Frictionless Data Package that `frictionless` validates, read
over HTTP as a data portal would: amounts come out as numbers, identifiers such as 1.01
as text, in Danish and in English."""

from decimal import Decimal

import pytest
from django.utils import translation

from portal import opendata
from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    GrantSchemeFactory,
    InitiativeFactory,
    PartnerCityFactory,
    PersonFactory,
    TripFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def served(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    year = BudgetYearFactory(year=2026)
    BudgetLineFactory(budget_year=year, amount=Decimal("1234567.50"))
    InitiativeFactory(budget_year=year, number="1.01")
    wuxi = PartnerCityFactory(slug="wuxi", name="Wuxi")
    TripFactory(
        slug="wuxi-2026",
        partner_city=wuxi,
        travellers=[PersonFactory(name="Mette Holm")],
        costs=[("transport", 12000, 11250.5)],
    )
    GrantSchemeFactory()
    return live_server.url


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_data_package_validates_with_frictionless(served, prefix):
    from frictionless import Package, validate

    slugs = [d.slug for d in opendata.datasets() if opendata.whole_download(d)]
    assert {"trips", "budget", "follow-up"} <= set(slugs)
    for slug in slugs:
        url = f"{served}{prefix}/data/{slug}/datapackage.json"
        report = validate(url)
        assert report.valid, (slug, report.flatten(["type", "note"]))

    trips = Package(f"{served}{prefix}/data/trips/datapackage.json").resources[0].read_rows()
    costs = [value for row in trips for value in row.values() if isinstance(value, Decimal)]
    assert Decimal("11250.50") in costs
    follow_up = Package(f"{served}{prefix}/data/follow-up/datapackage.json").resources[0]
    (number,) = [c for c in opendata.DATASETS["follow-up"].all_columns() if c.key == "number"]
    with translation.override(prefix.strip("/") or "da"):
        label = str(number.label)
    assert [row[label] for row in follow_up.read_rows()] == ["1.01"]


def test_a_dataset_that_comes_one_person_at_a_time_has_no_package(client, db):
    assert client.get("/data/person-trips/datapackage.json").status_code == 404
    assert client.get("/data/no-such-dataset/datapackage.json").status_code == 404
