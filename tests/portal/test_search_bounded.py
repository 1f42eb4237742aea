"""Search costs what its page shows: each section ranks at most its first RANKED_AT_MOST
matches and reads whole only the ones it shows, so a word every row has ("skole") costs
what a rare one costs, with the same first page as a ranking of every match."""

import datetime
import json

import pytest
from django.db import connection

from portal import search
from tests.factories import PersonFactory, TripFactory
from tests.rowsread import rows_read
from travel.selectors import search_travellers, search_trips

pytestmark = pytest.mark.django_db
BOUND = 30


@pytest.fixture
def bound(monkeypatch):
    """A bound the test can exceed with a few dozen rows."""
    monkeypatch.setattr(search, "RANKED_AT_MOST", BOUND)
    return BOUND


def add_school_trips(start: int, count: int) -> None:
    for n in range(start, start + count):
        TripFactory(
            slug=f"skoletur-{n}",
            title=f"Skolebesøg {n}",
            purpose="Skolernes klimaarbejde",
            starts_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=7 * n),
            ends_on=datetime.date(2010, 1, 2) + datetime.timedelta(days=7 * n),
        )


def add_school_heads(start: int, count: int) -> None:
    """School heads who travelled (the search's people), all on one trip."""
    heads = [
        PersonFactory(name=f"Skoleleder {n:03}", slug=f"skoleleder-{n}")
        for n in range(start, start + count)
    ]
    TripFactory(slug=f"lederrejse-{start}", travellers=heads)


def first_page(client, query: str) -> list[list[str]]:
    sections = client.get("/search/", {"q": query}).context["sections"]
    return [[str(result) for result in section["results"]] for section in sections]


def test_a_common_word_shows_the_first_page_a_ranking_of_every_match_shows(
    client, bound, monkeypatch
):
    add_school_trips(0, 2 * bound)
    add_school_heads(0, 2 * bound)

    bounded = first_page(client, "skole")
    monkeypatch.setattr(search, "RANKED_AT_MOST", 10**9)  # every match ranked
    every_match = first_page(client, "skole")

    assert bounded == every_match
    trips = next(section for section in bounded if any("Skolebesøg" in r for r in section))
    assert len(trips) == search.SHOWN
    assert trips[0].startswith("Skolebesøg 59")  # the newest first where the rank is equal


def test_a_search_reads_as_many_rows_for_many_matches_as_for_a_few(client, bound):
    add_school_trips(0, search.SHOWN + 2)
    add_school_heads(0, search.SHOWN + 2)
    client.get("/search/", {"q": "skole"})  # the site's settings cached, as for any page
    with rows_read() as few:
        client.get("/search/", {"q": "skole"})

    add_school_trips(100, 3 * bound)
    add_school_heads(100, 3 * bound)
    with rows_read() as many:
        client.get("/search/", {"q": "skole"})

    assert (many.queries, many.rows) == (few.queries, few.rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_database_ranks_no_more_than_the_bound(bound):
    """With three times as many matches as the bound, PostgreSQL ranks (sorts by ts_rank)
    at most the bound's rows in each section: the trips and the travellers."""
    add_school_trips(0, 3 * bound)
    add_school_heads(0, 3 * bound)
    for section in (search_trips("skole"), search_travellers("skole")):
        plan = json.loads(section[: search.SHOWN + 1].explain(analyze=True, format="json"))
        ranked = list(_ranked_rows(plan[0]["Plan"]))
        assert ranked and max(ranked) == bound


def _ranked_rows(node: dict):
    """The rows each sort by relevance (ts_rank) of the plan was given."""
    if any("ts_rank" in key for key in node.get("Sort Key", [])):
        yield sum(child["Actual Rows"] * child["Actual Loops"] for child in node["Plans"])
    for child in node.get("Plans", []):
        yield from _ranked_rows(child)
