"""The national comparison in a real browser: no accessibility violations, and at 390 px
the page does not scroll sideways, in every language. (The page has no script at all.)"""

import datetime

import pytest

from portal.models import Municipality, MunicipalityHost, Population
from portal.scoping import municipality
from tests.browser.helpers import axe_violations
from tests.factories import PersonFactory, TripFactory


@pytest.fixture
def national(live_server, settings):
    settings.SERVICE_HOSTS = ["localhost", "127.0.0.1"]
    first = Municipality.objects.get(pk=1)
    first.region = "Hovedstaden"
    first.save()
    MunicipalityHost.objects.create(municipality=first, host="a.example")
    Population.objects.create(municipality=first, year=2025, inhabitants=52_000)
    second = Municipality.objects.create(
        name="Landsbyen ved den lange fjord",
        slug="landsbyen",
        languages="de,en",
        default_language="de",
        currency="EUR",
        region="Midtjylland",
    )
    MunicipalityHost.objects.create(municipality=second, host="b.example")
    for record in (first, second):
        with municipality(record):
            TripFactory(
                travellers=[PersonFactory(name=f"Rejsende {record.slug}")],
                costs=[("transport", 12345, 12345)],
                starts_on=datetime.date(2025, 4, 1),
                ends_on=datetime.date(2025, 4, 3),
            )
    return live_server.url


@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
def test_the_comparison_is_accessible_and_fits_a_phone(page, national, prefix):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{national}{prefix}/?order=-cost_per_inhabitant")
    assert page.locator("table tbody tr").count() == 2
    assert axe_violations(page) == []
    scrolls = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not scrolls
    page.goto(f"{national}{prefix}/data/")
    assert axe_violations(page) == []
