"""The front page: the year's budget, what is spent of it, the trips published and the grants
awarded, each a link to the page that shows it in full and the same figure as that page;
a search box at the top; the cached page is remade when a figure changes."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.services import book_commitment
from grants.enums import ApplicationState
from portal.models import SiteSettings
from portal.statistics import published_until
from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    GrantApplicationFactory,
    PartnerCityFactory,
    TripFactory,
)


def _figure_year() -> int:
    """A year whose grants can be published today: that of the last month that has ended
    (the front page speaks of the latest budget year up to this one)."""
    return (published_until().date() - datetime.timedelta(days=1)).year


def _figures(html: str) -> dict[str, tuple[str, str, str]]:
    """Each figure on the page: its key -> (value, label, link)."""
    found = re.findall(
        r'<li class="figure figure-(\w+)"><a href="([^"]+)"><span class="figure-value">([^<]*)'
        r'</span> <span class="figure-label">([^<]*)</span>',
        html,
    )
    return {key: (value, label, link.replace("&amp;", "&")) for key, link, value, label in found}


def _year_with_figures(year: int):
    """A budget of 672,000 kr. with 61,750 kr. spent, two trips published that year and one
    the year before, and three grants of 5,000 kr. decided in a month that has ended."""
    budget_year = BudgetYearFactory(year=year)
    line = BudgetLineFactory(budget_year=budget_year, code="INT-UNG", amount=Decimal("522000"))
    BudgetLineFactory(budget_year=budget_year, code="UDV", amount=Decimal("150000"))
    book_commitment(
        line=line,
        amount=Decimal("61750"),
        description="Wuxi",
        source="manual",
        manual_cause="meeting",
        reason="Aftale",
        actor=None,
        is_spent=True,
    )
    for month in (3, 5):
        TripFactory(starts_on=datetime.date(year, month, 1), ends_on=datetime.date(year, month, 4))
    TripFactory(starts_on=datetime.date(year - 1, 5, 1), ends_on=datetime.date(year - 1, 5, 4))
    decided = timezone.make_aware(datetime.datetime(year, 1, 10))
    city = PartnerCityFactory(name="Wuxi")
    for _ in range(3):
        GrantApplicationFactory(
            state=ApplicationState.APPROVED,
            partner_city=city,
            amount_granted=Decimal("5000"),
            decided_at=decided,
            applicant_kind="employee",
        )


@pytest.mark.django_db
def test_the_front_page_shows_the_years_figures_each_linking_to_its_page(client):
    year = _figure_year()
    _year_with_figures(year)
    page = client.get("/en/").content.decode()
    figures = _figures(page)
    assert figures == {
        "budget": ("DKK\xa0672,000", f"Budget {year}", f"/en/budget/{year}/"),
        "spent": ("DKK\xa061,750", f"Spent in {year}", f"/en/budget/{year}/"),
        "trips": ("2", f"Trips abroad published, {year}", f"/en/trips/?year={year}"),
        "grants": ("3", f"Grants awarded, {year}", f"/en/grants/statistics/{year}/"),
    }
    assert "DKK\xa015,000, as the grant statistics publish them" in page
    assert f'<h2 id="figures-heading">{year} at a glance</h2>' in page

    # Each figure is the one its page shows.
    budget = client.get(f"/en/budget/{year}/").content.decode()
    assert "DKK\xa0672,000" in budget and "DKK\xa061,750" in budget
    trips = client.get(f"/en/trips/?year={year}").content.decode()
    assert "2 trips" in trips
    statistics = client.get(f"/en/grants/statistics/{year}/").content.decode()
    assert "DKK\xa015,000" in statistics

    danish = _figures(client.get("/").content.decode())
    assert danish["grants"] == ("3", f"Bevilgede tilskud, {year}", f"/grants/statistics/{year}/")
    assert danish["budget"][0] == "672.000\xa0kr."
    german = _figures(client.get("/de/").content.decode())
    assert german["trips"] == (
        "2",
        f"Veröffentlichte Auslandsreisen, {year}",
        f"/de/trips/?year={year}",
    )


@pytest.mark.django_db
def test_without_published_grants_the_figure_says_so(client):
    year = _figure_year()
    BudgetLineFactory(budget_year__year=year, amount=Decimal("1000"))
    page = client.get("/en/").content.decode()
    assert _figures(page)["grants"] == ("–", f"Grants awarded, {year}", "/en/grants/statistics/")
    assert "Not published yet: the statistics publish grants in groups" in page
    assert _figures(page)["trips"][0] == "0"


@pytest.mark.django_db
def test_a_search_box_is_at_the_top_of_the_front_page(client):
    page = client.get("/").content.decode()
    search = page.index('id="front-search-q"')
    assert search < page.index('id="figures-heading"') < page.index('id="site-search-q"')
    form = page[page.rindex("<form", 0, search) : page.index("</form>", search)]
    assert 'role="search"' in form and 'action="/search/"' in form and 'method="get"' in form
    assert '<label id="front-search-label" for="front-search-q">' in form
    assert "Søg i rejser, budgetter, tilskud og samarbejdsbyer" in form
    found = client.get("/search/", {"q": "Wuxi"})  # what the box sends
    assert found.status_code == 200 and "Wuxi" in found.content.decode()


@pytest.mark.django_db
def test_the_front_page_costs_the_same_queries_for_little_data_and_much(
    client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year = _figure_year()
    _year_with_figures(year)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(15):
        BudgetLineFactory(budget_year__year=year, code=f"X{n}")
        TripFactory(starts_on=datetime.date(year, 2, 1), ends_on=datetime.date(year, 2, 2))
        GrantApplicationFactory(
            state=ApplicationState.APPROVED,
            amount_granted=Decimal("100"),
            decided_at=timezone.make_aware(datetime.datetime(year, 1, 11)),
            applicant_kind="employee",
            scheme__slug=f"s{n}",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/")
    assert _figures(page.content.decode())["trips"][0] == "17"


@pytest.mark.django_db(transaction=True)
def test_a_change_shows_on_the_cached_front_page_at_once(client, settings):
    from portal.roles import ensure_roles

    ensure_roles()  # a transactional test starts from empty tables
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    year = _figure_year()
    line = BudgetLineFactory(budget_year__year=year, amount=Decimal("522000"))
    SiteSettings.current()  # made on first use, which (as any change) makes pages stale
    client.get("/en/")
    cached = client.get("/en/")
    assert cached["X-Cache"] == "hit"
    assert _figures(cached.content.decode())["spent"][0] == "DKK\xa00"

    book_commitment(
        line=line,
        amount=Decimal("12500"),
        description="Netværksmøde",
        source="manual",
        manual_cause="meeting",
        reason="Faktura",
        actor=None,
        is_spent=True,
    )
    TripFactory(starts_on=datetime.date(year, 6, 1), ends_on=datetime.date(year, 6, 3))
    page = client.get("/en/")
    assert "X-Cache" not in page
    figures = _figures(page.content.decode())
    assert figures["spent"][0] == "DKK\xa012,500"
    assert figures["trips"][0] == "1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("offsets", "shown"),
    [((2, 1), 2), ((2, 1, -2), -2), ((1, 0, 0, -1), 0)],
)
def test_the_front_page_speaks_of_the_year_the_budget_page_opens_on(client, offsets, shown):
    """This year's budget, else the latest up to this year, else the latest there is; a year
    without lines is no budget."""
    this_year = timezone.localdate().year
    BudgetYearFactory(year=this_year - 1)  # no lines
    for offset in offsets:
        BudgetLineFactory(budget_year__year=this_year + offset)
    year = this_year + shown
    assert client.get("/budget/")["Location"] == f"/budget/{year}/"
    assert _figures(client.get("/").content.decode())["budget"][1] == f"Budget {year}"
