"""The national downloads are Frictionless Data Packages that `frictionless` validates, read
over HTTP from the service's own host as a data portal would."""

import datetime
from decimal import Decimal

import pytest

from portal.models import Municipality, MunicipalityHost, Population
from portal.scoping import municipality
from tests.factories import PersonFactory, TripFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def served(live_server, settings):
    settings.SERVICE_HOSTS = ["localhost"]
    settings.PORTAL_BASE_URL = live_server.url
    first = Municipality.objects.get(pk=1)
    MunicipalityHost.objects.create(municipality=first, host="a.example")
    Population.objects.create(municipality=first, year=2025, inhabitants=40_000)
    second = Municipality.objects.create(
        name="Byen", slug="byen", languages="de,en", default_language="de", currency="EUR"
    )
    MunicipalityHost.objects.create(municipality=second, host="b.example")
    for record, cost in ((first, "11250.50"), (second, "800")):
        with municipality(record):
            TripFactory(
                travellers=[PersonFactory(name=f"Traveller {record.slug}")],
                costs=[("transport", cost, cost)],
                starts_on=datetime.date(2025, 4, 1),
                ends_on=datetime.date(2025, 4, 3),
            )
    return live_server.url.replace("127.0.0.1", "localhost")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_national_data_packages_validate_with_frictionless(served, prefix):
    from frictionless import Package, validate

    for slug in ("national-comparison", "national-trips"):
        report = validate(f"{served}{prefix}/data/{slug}/datapackage.json")
        assert report.valid, (slug, report.flatten(["type", "note"]))
    rows = Package(f"{served}{prefix}/data/national-comparison/datapackage.json").resources[0]
    costs = [v for row in rows.read_rows() for v in row.values() if isinstance(v, Decimal)]
    assert Decimal("11250.50") in costs and Decimal("800.00") in costs
