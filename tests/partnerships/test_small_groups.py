"""Suppressed groups of exchanges stay suppressed under every combination of the public
filters: no two published figures differ by a group of fewer than STATISTICS_MIN_GROUP
exchanges (docs/security/small-groups.md)."""

import datetime
import itertools

import pytest
from django.urls import reverse

from partnerships.api import ExchangeStatisticsView
from partnerships.enums import ExchangeKind, ExchangeStatus
from partnerships.models import Exchange
from portal.api_reference import openapi_document
from portal.filters import RecordFilter, YearFilter
from tests.factories import ExchangeFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db

PEOPLE = ("pupils", "teachers", "staff", "others", "participants")
API = "/api/exchanges/"


@pytest.fixture
def exchanges():
    """Groups (year, kind, partner city) of one to five exchanges, of every state, so that
    any filter that split a group would show: the finding's own case first (2026, Wuxi:
    three carried out with 60 pupils and 7 teachers, one planned with 7 and 1)."""
    wuxi = PartnerCityFactory(slug="wuxi", name="Wuxi")
    brno = PartnerCityFactory(slug="brno", name="Brno")
    for pupils, teachers, status in [(20, 2, "carried_out"), (20, 2, "carried_out")] + [
        (20, 3, "carried_out"),
        (7, 1, "planned"),
    ]:
        ExchangeFactory(
            partner_city=wuxi, starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 3, 9), pupils=pupils,
            teachers=teachers, status=status,
        )  # fmt: skip
    shapes = [
        (wuxi, 2025, ExchangeKind.PUPIL_EXCHANGE, ["planned", "carried_out", "cancelled"]),
        (wuxi, 2026, ExchangeKind.TEACHER_EXCHANGE, ["carried_out"]),
        (brno, 2026, ExchangeKind.PUPIL_EXCHANGE, ["carried_out", "carried_out", "planned"]),
        (brno, 2025, ExchangeKind.TEACHER_EXCHANGE, ["planned", "carried_out"]),
        # Small kinds a partner city's page counts together: with the two teacher
        # exchanges above a published group of four; beside Wuxi's single teacher
        # exchange of 2026 a suppressed group of two.
        (brno, 2025, ExchangeKind.WORK_PLACEMENT, ["carried_out"]),
        (brno, 2025, ExchangeKind.CULTURE_OR_SPORT, ["planned"]),
        (wuxi, 2026, ExchangeKind.INCOMING_VISIT, ["carried_out"]),
        (None, 2026, ExchangeKind.PUPIL_EXCHANGE, ["carried_out"] * 4 + ["planned"]),
        (None, 2025, ExchangeKind.WORK_PLACEMENT, ["planned", "planned"]),
    ]
    for n, (city, year, kind, states) in enumerate(shapes):
        for m, status in enumerate(states):
            ExchangeFactory(
                partner_city=city, starts_on=datetime.date(year, 1 + m, 1),
                ends_on=datetime.date(year, 1 + m, 9), kind=kind,
                status=status, pupils=3 + n + m, teachers=1 + m % 2, staff=m, others=n % 2,
            )  # fmt: skip
    return [wuxi, brno]


def public_filters() -> dict:
    """The filters the exchanges API declares, each with every value worth trying."""
    filters = ExchangeStatisticsView.filterset_class.base_filters
    values = {}
    for name, declared in filters.items():
        if isinstance(declared, YearFilter):
            values[name] = [2025, 2026]
        elif isinstance(declared, RecordFilter):
            values[name] = [record.slug for record in declared.records()]
        elif declared.extra.get("choices"):
            values[name] = [value for value, _label in declared.extra["choices"]]
        else:
            raise AssertionError(f"This test does not know how to try the filter {name!r}.")
    return values


def test_the_filters_tried_are_all_the_api_takes():
    """The API's document lists exactly the declared filters (and its paging): the pair
    test below tries every filter a reader can send."""
    operation = openapi_document()["paths"][API]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert parameters - {"page", "page_size", "limit", "offset"} == set(public_filters())


def exchanges_of(year: int, kinds: list[str], city: str | None) -> frozenset[int]:
    """The exchanges a published group counts: its year, its kinds (one, or the several a
    partner city's page counts together) and its partner city (None: other places)."""
    return frozenset(
        Exchange.objects.exclude(status=ExchangeStatus.CANCELLED)
        .filter(starts_on__year=year, kind__in=kinds)
        .filter(**({"partner_city__slug": city} if city else {"partner_city": None}))
        .values_list("pk", flat=True)
    )


def figures_of(rows) -> list[tuple[frozenset, dict | None]]:
    """Each group of an answer as (the exchanges it counts, {people field: n} or None when
    not published), and the answer's total over its published groups, as a reader would
    add them up."""
    figures, counted, total_people = [], frozenset(), dict.fromkeys(PEOPLE, 0)
    for row in rows:
        people = None if row["suppressed"] else {field: row[field] for field in PEOPLE}
        covered = exchanges_of(row["year"], row.get("kinds") or [row["kind"]], row["partner_city"])
        assert len(covered) == row["activities"], row
        figures.append((covered, people))
        if people is not None:
            counted |= covered
            total_people = {field: total_people[field] + people[field] for field in PEOPLE}
    figures.append((counted, total_people))
    return figures


def answers(client, cities) -> list[tuple[dict, list]]:
    """(the filters, the figures) of every answer: the API under every combination of up
    to two public filters with every value, and each partner city's page, year by year."""
    found = []
    values = public_filters()
    for size in range(3):
        for names in itertools.combinations(sorted(values), size):
            for chosen in itertools.product(*(values[name] for name in names)):
                query = dict(zip(names, chosen, strict=True))
                response = client.get(API, {**query, "page_size": 500})
                assert response.status_code == 200, query
                body = response.json()
                assert body["next"] is None
                found.append((query, figures_of(body["results"])))
    for city in cities:
        page = client.get(reverse("partnerships:city_detail", args=[city.slug]))
        for year in page.context["activity_years"]:
            rows = [
                {**row, "year": year["year"], "partner_city": city.slug} for row in year["rows"]
            ]
            figures = figures_of(rows)
            # The page's own total for the year, when it shows one.
            if year["participants"] is not None:
                every = frozenset().union(*(covered for covered, _people in figures))
                figures.append((every, {"participants": year["participants"]}))
            found.append(({"partner_city": city.slug, "year": year["year"]}, figures))
    return found


def leaks(found, minimum: int) -> list:
    """Each pair of published figures, of any two answers or the same one, where the
    exchanges one counts are among those the other counts, and the two differ by fewer than
    `minimum` exchanges but not by nothing: subtracting them would give a group too small
    to publish. Two figures of the same exchanges must agree."""
    published = {
        (covered, tuple(sorted(people.items())))
        for _filters, figures in found
        for covered, people in figures
        if people is not None and covered
    }
    leaked = []
    for (wide, wide_people), (narrow, narrow_people) in itertools.permutations(published, 2):
        if not narrow <= wide:
            continue
        wide_people, narrow_people = dict(wide_people), dict(narrow_people)
        difference = {
            field: wide_people[field] - narrow_people[field]
            for field in wide_people.keys() & narrow_people.keys()
        }
        exchanges = len(wide - narrow)
        if exchanges < minimum and (exchanges or any(difference.values())):
            leaked.append((sorted(wide), sorted(narrow), exchanges, difference))
    return leaked


def test_no_pair_of_public_filters_gives_a_suppressed_group_away(client, exchanges, settings):
    assert settings.STATISTICS_MIN_GROUP == 3
    found = answers(client, exchanges)
    assert leaks(found, settings.STATISTICS_MIN_GROUP) == []
    # 1 + 10 single filters + 28 pairs + 3 city years (Wuxi's 2025 has too few to show)
    assert len(found) == 42
    # The finding's case: the whole year's group is published, the planned exchange in it
    # cannot be isolated (it could, by state, as `status=carried_out`).
    everything = next(figures for query, figures in found if query == {})
    finding = exchanges_of(2026, ["pupil_exchange"], "wuxi")
    assert (len(finding), dict(everything)[finding]) == (
        4,
        {"pupils": 67, "teachers": 8, "staff": 0, "others": 0, "participants": 75},
    )


def test_a_larger_minimum_leaks_nothing_either(client, exchanges, settings):
    settings.STATISTICS_MIN_GROUP = 5
    assert leaks(answers(client, exchanges), 5) == []


def test_the_state_no_longer_splits_a_group(client, exchanges):
    """The attack as found: the year, then the year's carried-out exchanges; the state is
    no public filter, so both answers are the same."""
    year = client.get(API, {"year": 2026}).json()
    carried_out = client.get(API, {"year": 2026, "status": ExchangeStatus.CARRIED_OUT})
    assert carried_out.json() == year
    (wuxi,) = [
        row
        for row in year["results"]
        if (row["kind"], row["partner_city"]) == ("pupil_exchange", "wuxi")
    ]
    assert (wuxi["activities"], wuxi["pupils"], wuxi["teachers"]) == (4, 67, 8)


def test_the_leak_check_finds_the_split_it_is_there_for():
    """The check itself: a filter that split the finding's group (4 exchanges, then 3 of
    them) is caught, with the hidden exchange's 7 pupils and 1 teacher."""
    whole = {"pupils": 67, "teachers": 8, "staff": 0, "others": 0, "participants": 75}
    part = {"pupils": 60, "teachers": 7, "staff": 0, "others": 0, "participants": 67}
    found = [
        ({"year": 2026}, [(frozenset({1, 2, 3, 4}), whole)]),
        ({"year": 2026, "status": "carried_out"}, [(frozenset({1, 2, 3}), part)]),
    ]
    ((_wide, _narrow, exchanges, difference),) = leaks(found, 3)
    assert (exchanges, difference["pupils"], difference["teachers"]) == (1, 7, 1)


def test_the_leak_check_finds_a_page_that_counts_kinds_together_wrongly():
    """Had the page counted a published kind together with a small one (3 pupil exchanges
    and 1 teacher exchange as one row of 4), the API's row of the 3 would give the teacher
    exchange away: the check finds it across a page and the API."""
    pupils = {"pupils": 60, "teachers": 7, "staff": 0, "others": 0, "participants": 67}
    together = {"pupils": 64, "teachers": 9, "staff": 0, "others": 0, "participants": 73}
    found = [
        ({"kind": "pupil_exchange"}, [(frozenset({1, 2, 3}), pupils)]),
        ({"partner_city": "wuxi", "year": 2026}, [(frozenset({1, 2, 3, 4}), together)]),
    ]
    ((_wide, _narrow, exchanges, difference),) = leaks(found, 3)
    assert (exchanges, difference["pupils"], difference["teachers"]) == (1, 4, 2)


def test_the_staff_list_still_filters_by_state(client, coordinator, exchanges):
    client.force_login(coordinator)
    page = client.get(reverse("partnerships:exchange_list"), {"status": "planned"})
    assert {exchange.status for exchange in page.context["page"].object_list} == {"planned"}
