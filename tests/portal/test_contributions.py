"""The apps contribute to the pages that gather them through one registry
(portal.contributions): the shell names no app's search, counts, sitemap or demo."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal import contributions as registry
from portal.contributions import SearchSection, contribute, contributions
from shell.sitemaps import SITEMAPS
from tests.factories import PartnerCityFactory

pytestmark = pytest.mark.django_db


def test_each_app_contributes_in_the_order_the_pages_show():
    with translation.override("en"):
        assert [str(section.title) for section in contributions("search")] == [
            "Partner cities",
            "Trips abroad",
            "People who travelled",
            "City networks",
            "Charters and commitments",
            "Travel grants",
            "Initiatives",
        ]
    assert list(SITEMAPS) == [
        "pages",
        "partner-cities",
        "networks",
        "charters",
        "budget",
        "budget-lines",
        "follow-up",
        "staff-time",
        "grant-statistics",
        "apply",
        "trips",
        "people",
    ]
    assert [load.__module__ for load in contributions("demo")] == [
        "partnerships.demo",
        "budgets.demo",
        "travel.demo",
        "grants.demo",
    ]


@pytest.fixture
def a_new_section(monkeypatch):
    """A section contributed as an app would, in its own module: no other edit."""
    monkeypatch.setattr(registry, "_HOOKS", registry._HOOKS.copy())
    registry._HOOKS["search"] = list(registry._HOOKS["search"])
    contribute("search", order=15)(
        SearchSection("Twinned streets", lambda query: PartnerCityFactory._meta.model.objects.all())
    )


def test_a_contributed_search_section_is_searched_and_shown(a_new_section, client):
    PartnerCityFactory(name="Ålesund")
    with translation.override("en"):
        page = client.get(reverse("search"), {"q": "anything"})
    text = page.content.decode()
    assert ">Twinned streets</h2>" in text
    assert "Ålesund</a>" in text[text.index(">Twinned streets</h2>") :]
