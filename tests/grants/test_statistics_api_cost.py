"""The grant statistics API names the partner cities and associations of its page's rows
only (grants.selectors.StatisticsRows): its cost follows the page, not the years."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from grants.selectors import statistics
from tests.factories import GrantApplicationFactory, GrantSchemeFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db
NAMES = 2


@pytest.fixture
def few_names(settings):
    settings.STATISTICS_MIN_GROUP = 1
    settings.STATISTICS_NAMES_SHOWN = NAMES
    settings.API_THROTTLE_RATE = "100000/minute"


def grants_in(years, schemes) -> None:
    """Grants decided in each year under each scheme: to more partner cities than a row
    names (some years fewer), by associations that may be named and one that may not."""
    cities = [PartnerCityFactory(name=name) for name in ("Wuxi", "Prag 10", "Ballerup", "Kiel")]
    for year in years:
        for scheme in schemes:
            for n in range(1 + year % 4):
                GrantApplicationFactory(
                    scheme=scheme,
                    state=ApplicationState.APPROVED,
                    amount_granted=Decimal(1000 * (n + 1)),
                    decided_at=timezone.make_aware(datetime.datetime(year, 1 + n, 10)),
                    partner_city=cities[(year + n) % len(cities)],
                    organisation=f"Forening {(year * n) % 5}",
                    organisation_may_be_published=n != 2,
                )


def schemes():
    return [
        GrantSchemeFactory(),
        GrantSchemeFactory(slug="skoler", name_da="Skolerejser", budget_line_code="INT-SKOLE"),
    ]


def reference(years, schemes) -> list[dict]:
    """The rows worked out by hand from the grants: newest year first, then by scheme name;
    the cities and associations by name, the first NAMES named and the rest counted."""
    from grants.models import GrantApplication

    rows = []
    for year in sorted(years, reverse=True):
        for scheme in sorted(schemes, key=lambda scheme: scheme.name_da):
            grants = GrantApplication.objects.filter(scheme=scheme, decided_at__year=year)
            cities = sorted({grant.partner_city.name for grant in grants})
            named = sorted({g.organisation for g in grants if g.organisation_may_be_published})
            rows.append(
                {
                    "year": year,
                    "trips": len(grants),
                    "partner_cities": cities[:NAMES],
                    "more_partner_cities": len(cities[NAMES:]),
                    "associations": named[:NAMES],
                    "more_associations": len(named[NAMES:]),
                }
            )
    return rows


def api_rows(client, **params) -> list[dict]:
    response = client.get(reverse("api:grant-statistics-list"), params)
    assert response.status_code == 200
    keys = ("year", "trips", "partner_cities", "more_partner_cities", "associations")
    return [
        {key: row[key] for key in (*keys, "more_associations")}
        for row in response.json()["results"]
    ]


def test_the_api_s_first_page_names_what_the_whole_statistics_name(client, few_names):
    """The first page (and the next) shows the rows of the whole statistics, in the same
    order, with the same cities and associations named and the same counted."""
    years = range(2018, 2025)
    kinds = schemes()
    grants_in(years, kinds)
    expected = reference(years, kinds)
    whole = statistics(names=NAMES)
    assert [(row["year"], row["partner_cities"]) for row in whole] == [
        (row["year"], row["partner_cities"]) for row in expected
    ]
    assert api_rows(client, page_size=5) == expected[:5]
    assert api_rows(client, page_size=5, page=2) == expected[5:10]
    assert api_rows(client) == expected


def test_the_api_reads_the_same_queries_for_few_years_and_many(
    client, few_names, django_assert_max_num_queries
):
    kinds = schemes()
    grants_in(range(2022, 2025), kinds)
    with django_assert_max_num_queries(12) as few:
        assert len(api_rows(client, page_size=4)) == 4
    grants_in(range(2010, 2022), kinds)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_rows(client, page_size=4)) == 4


def test_a_page_of_the_api_ranks_the_names_of_its_own_rows_only(client, few_names):
    """The query that ranks the names reads the years of the page's rows, not every year."""
    kinds = schemes()
    grants_in(range(2015, 2025), kinds)
    with CaptureQueriesContext(connection) as queries:
        assert [row["year"] for row in api_rows(client, page_size=2)] == [2024, 2024]
    ranking = [query["sql"] for query in queries.captured_queries if "ROW_NUMBER" in query["sql"]]
    assert ranking
    for sql in ranking:
        assert "2024" in sql
        assert not any(str(year) in sql for year in range(2015, 2024)), sql
