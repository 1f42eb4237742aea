"""A list page made again renders only the rows whose values changed (portal.fragments)."""

import pytest
from django.test.signals import template_rendered
from django.urls import reverse

from portal.models import SiteSettings
from tests.factories import PartnerCityFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the cache's versions move on commit

CITY_ROW = "partnerships/includes/city_row.html"
TRIP_ROW = "travel/includes/trip_row.html"


@pytest.fixture(autouse=True)
def page_cache(settings):
    from portal.roles import ensure_roles

    ensure_roles()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


@pytest.fixture
def rows_rendered():
    rendered = []

    def seen(sender, template, context, **kwargs):
        if template.name == CITY_ROW:
            rendered.append(context["row"].name)
        elif template.name == TRIP_ROW:
            rendered.append(context["row"].title)

    template_rendered.connect(seen)
    yield rendered
    template_rendered.disconnect(seen)


def test_after_one_city_changes_the_list_renders_that_row_alone(client, rows_rendered):
    cities = [PartnerCityFactory(name=name) for name in ("Nacka", "Wuxi", "Prag 10")]
    SiteSettings.current()
    first = client.get(reverse("partnerships:city_list")).content.decode()
    assert sorted(rows_rendered) == ["Nacka", "Prag 10", "Wuxi"]

    rows_rendered.clear()
    cities[1].name = "Wuxi (Jiangsu)"
    cities[1].save()
    page = client.get(reverse("partnerships:city_list"))
    assert "X-Cache" not in page  # the list was made again
    assert rows_rendered == ["Wuxi (Jiangsu)"]  # and only the changed row rendered
    again = page.content.decode()
    assert "Wuxi (Jiangsu)" in again and ">Wuxi<" not in again
    assert again.replace("Wuxi (Jiangsu)", "Wuxi") == first  # the other rows as they were


def test_each_language_has_its_own_rows_and_no_cache_means_no_rows_kept(
    client, rows_rendered, settings
):
    PartnerCityFactory(name="Nacka", kind="twin_town")
    SiteSettings.current()
    danish = client.get(reverse("partnerships:city_list")).content.decode()
    english = client.get("/en/partner-cities/").content.decode()
    assert rows_rendered == ["Nacka", "Nacka"]
    assert "Venskabsby" in danish and "Twin town" in english

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    rows_rendered.clear()
    client.get(reverse("partnerships:city_list"))
    client.get(reverse("partnerships:city_list"))
    assert rows_rendered == ["Nacka", "Nacka"]


def test_after_a_secretary_saves_one_trip_the_list_renders_its_row_alone(client, rows_rendered):
    from tests.factories import TripFactory

    trips = [TripFactory(title=f"Til by {n}") for n in range(5)]
    SiteSettings.current()
    client.get(reverse("travel:list"))
    assert len(rows_rendered) == 5

    rows_rendered.clear()
    trips[2].title = "Til Wuxi og Suzhou"
    trips[2].save()
    page = client.get(reverse("travel:list")).content.decode()
    assert rows_rendered == ["Til Wuxi og Suzhou"]
    assert "Til Wuxi og Suzhou" in page and "Til by 2<" not in page
    assert all(f"Til by {n}" in page for n in (0, 1, 3, 4))
