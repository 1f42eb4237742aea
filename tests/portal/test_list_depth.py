"""Lists page no deeper than LIST_DEPTH_ROWS rows: past it, the filters and the download."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import pagination
from tests.factories import CityNetworkFactory, TripFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_trips(db):
    for n in range(5):
        TripFactory(slug=f"trip-{n}", title=f"Rejse {n}", starts_on=f"202{n}-05-01")


def test_the_api_pages_no_deeper_than_the_setting(client, settings, five_trips):
    settings.LIST_DEPTH_ROWS = 4
    url = reverse("api:trip-list")
    second = json.loads(client.get(url, {"page_size": 2, "page": 2}).content)
    assert second["count"] == 5  # every trip the filters select
    assert second["next"] is None  # but no page past four rows
    assert len(second["results"]) == 2
    deeper = client.get(url, {"page_size": 2, "page": 3})
    assert deeper.status_code == 404
    assert deeper["Content-Type"].startswith("application/json")
    assert "?format=csv" in json.loads(deeper.content)["detail"]
    settings.LIST_DEPTH_ROWS = 10
    assert client.get(url, {"page_size": 2, "page": 3}).status_code == 200


def test_a_list_page_past_the_depth_gives_the_deepest_and_says_why(
    client, settings, monkeypatch, five_trips
):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    settings.LIST_DEPTH_ROWS = 4
    url = reverse("travel:list")
    page = client.get(url, {"page": 3}).content.decode()
    assert "Side 2 af 2" in page
    assert "De viste sider rummer de første 4 af 5 rækker" in page
    assert 'rel="next"' not in page
    assert "Rejse 2" in page and "Rejse 1" in page  # the newest first: 4, 3 | 2, 1
    assert "Rejse 0" not in page
    first = client.get(url).content.decode()
    assert "Side 1 af 2" in first and "første 4 af 5" not in first


@pytest.mark.parametrize("order", ["date", "-date", "cost", "-cost", "participants"])
def test_every_trip_is_on_exactly_one_page_in_every_order(client, db, order):
    """Deeper pages find their rows' keys first, then read the rows: page after page, in
    each order (many trips share a cost and a head count), every trip comes once, in the
    order the whole list has."""
    for n in range(9):
        TripFactory(
            slug=f"trip-{n}",
            starts_on=f"202{n % 3}-05-0{n + 1}",
            ends_on=f"202{n % 3}-05-1{n}",
            costs=[("transport", 100, 100 * (n % 2))],
        )
    url = reverse("api:trip-list")
    whole = [row["slug"] for row in client.get(url, {"order": order}).json()["results"]]
    pages = [
        [
            row["slug"]
            for row in client.get(url, {"order": order, "page_size": 2, "page": n}).json()[
                "results"
            ]
        ]
        for n in range(1, 6)
    ]
    assert [slug for page in pages for slug in page] == whole
    assert sorted(whole) == [f"trip-{n}" for n in range(9)]


def test_a_deeper_page_of_rows_computed_over_other_rows_is_read_as_it_is(db):
    """Rows a window numbers, groups or a union would say something else if the page picked
    them by key first: such a page is read by its offset, and says what the list says."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    from travel.models import Trip

    for n in range(5):
        TripFactory(slug=f"trip-{n}", starts_on=f"202{n}-05-01", ends_on=f"202{n}-05-02")
    numbered = Trip.objects.annotate(place=Window(RowNumber(), order_by=F("starts_on").asc()))
    paginator = pagination.BoundedPaginator(numbered.order_by("starts_on", "pk"), 2)
    assert [trip.place for trip in paginator.page(2)] == [3, 4]
    assert [trip.place for trip in paginator.page(3)] == [5]


def test_a_list_ordered_by_an_expression_pages_as_it_is_sorted(db):
    """The key that breaks ties runs the way the sort does, for an expression too (F() with
    or without a direction): page after page, every trip once, in the sort's order."""
    from django.db.models import F

    from travel.models import Trip

    for n in range(5):
        TripFactory(slug=f"trip-{n}", starts_on=f"202{n % 2}-05-01", ends_on=f"202{n % 2}-05-02")
    for order, newest_first in ((F("starts_on"), False), (F("starts_on").desc(), True)):
        paginator = pagination.BoundedPaginator(
            pagination.stable_order(Trip.objects.order_by(order)), 2
        )
        listed = [trip for number in (1, 2, 3) for trip in paginator.page(number)]
        assert len({trip.pk for trip in listed}) == 5
        dates = [trip.starts_on for trip in listed]
        assert dates == sorted(dates, reverse=newest_first)


def test_a_list_that_fits_its_first_page_is_not_counted_and_a_longer_one_is(client, monkeypatch):
    """The first page reads one row more than it shows: the networks of a municipality
    (a few) need no COUNT(*), and a list longer than a page still says how many it has and
    pages through all of them."""
    monkeypatch.setattr(pagination, "PAGE_SIZE", 3)
    url = reverse("partnerships:network_list")
    for n in range(3):
        CityNetworkFactory(name=f"Net {n}")
    client.get(url)  # the site's settings are made on the first visit
    with CaptureQueriesContext(connection) as fitting:
        page = client.get(url).content.decode()
    assert all(f"Net {n}" in page for n in range(3)) and "Side 1 af" not in page
    counts = [q for q in fitting.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert not counts

    CityNetworkFactory(name="Net 3")
    with CaptureQueriesContext(connection) as longer:
        first = client.get(url).content.decode()
    assert "Side 1 af 2" in first and "Net 3" not in first
    assert len(longer.captured_queries) == len(fitting.captured_queries) + 1  # the COUNT(*)
    second = client.get(url, {"page": 2}).content.decode()
    assert "Side 2 af 2" in second and "Net 3" in second and "Net 0" not in second
