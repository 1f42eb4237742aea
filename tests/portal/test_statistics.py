"""Public statistics that cannot single anyone out: small groups show no figures, grants
count only months that have ended, and no public filter narrows exchanges to one school."""

import calendar
import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from tests.factories import ExchangeFactory, GrantApplicationFactory, PartnerCityFactory

pytestmark = pytest.mark.django_db
LAST_MONTH = datetime.timedelta(days=40)


def grant(*, city, amount=5000, when=None, **extra):
    extra.setdefault("applicant_kind", "employee")
    return GrantApplicationFactory(
        state=ApplicationState.APPROVED,
        partner_city=city,
        amount_granted=Decimal(amount),
        decided_at=when or timezone.now() - LAST_MONTH,
        **extra,
    )


def test_approving_one_grant_today_changes_no_public_figure(client):
    city = PartnerCityFactory(name="Wuxi")
    for _ in range(3):
        grant(city=city)
    before = client.get("/api/grant-statistics/").json()
    grant(city=PartnerCityFactory(name="Eckernförde"), amount=7331, when=timezone.now())
    after = client.get("/api/grant-statistics/").json()
    assert after == before
    page = client.get(reverse("grants:statistics")).content.decode()
    assert "7.331" not in page and "Eckernförde" not in page


def test_a_group_of_fewer_than_three_grants_shows_no_figures(client):
    GrantApplicationFactory(scheme__slug="lille", scheme__name_da="Lille pulje")  # its scheme
    for _ in range(2):
        grant(city=PartnerCityFactory(name="Prag 10"), scheme__slug="lille", amount=4321)
    (row,) = client.get("/api/grant-statistics/").json()["results"]
    assert (row["trips"], row["amount"], row["partner_cities"], row["suppressed"]) == (
        None,
        None,
        [],
        True,
    )
    page = client.get(reverse("grants:statistics")).content.decode()
    assert "færre end 3" in page and "4.321" not in page and "8.642" not in page
    assert "Prag 10" not in page
    text = client.get(reverse("grants:statistics"), {"format": "csv"}).getvalue().decode()
    assert "8642" not in text.replace(".", "") and "Prag 10" not in text


def test_a_group_of_three_is_published(client, settings):
    city = PartnerCityFactory(name="Wuxi")
    for _ in range(3):
        grant(city=city, amount=1000)
    (row,) = client.get("/api/grant-statistics/").json()["results"]
    assert (row["trips"], row["amount"], row["partner_cities"], row["suppressed"]) == (
        3,
        "3000.00",
        ["Wuxi"],
        False,
    )
    settings.STATISTICS_MIN_GROUP = 4  # a setting, for a municipality that wants more
    assert client.get("/api/grant-statistics/").json()["results"][0]["suppressed"] is True


def test_the_page_names_a_few_partner_cities_per_row_and_the_download_all(
    client, settings, django_assert_max_num_queries
):
    settings.STATISTICS_NAMES_SHOWN = 2
    for name in ("Wuxi", "Brno", "Prag 10", "Nacka", "Brno"):
        grant(
            city=PartnerCityFactory(name=name),
            organisation=f"Klub {name}",
            organisation_may_be_published=True,
            applicant_kind="youth_association",
        )
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("grants:statistics"))
    queries = len(few.captured_queries)  # now: the connection's log is bounded
    (row,) = response.context["rows"]
    assert (row["partner_cities"], row["more_partner_cities"]) == (["Brno", "Nacka"], 2)
    assert (row["associations"], row["more_associations"]) == (["Klub Brno", "Klub Nacka"], 2)
    page = response.content.decode()
    assert "Brno, Nacka og 2 mere" in page and "Wuxi" not in page
    text = client.get(reverse("grants:statistics"), {"format": "csv"}).getvalue().decode()
    assert "Brno, Brno, Nacka, Prag 10, Wuxi" not in text  # each city once
    assert "Brno, Nacka, Prag 10, Wuxi" in text and "Klub Wuxi" in text
    for n in range(10):
        grant(city=PartnerCityFactory(name=f"By {n}"))
    with django_assert_max_num_queries(queries):
        assert "og 12 mere" in client.get(reverse("grants:statistics")).content.decode()


def test_no_public_filter_narrows_exchanges_to_one_school(client):
    city = PartnerCityFactory(slug="wuxi")
    for school in ("Skovlunde Skole", "Baltorpskolen", "Hedegårdsskolen"):
        ExchangeFactory(partner_city=city, school__name=school, pupils=10, kind="pupil_exchange")
    everything = client.get("/api/exchanges/").json()
    narrowed = client.get("/api/exchanges/", {"school_or_unit": "Skovlunde"})
    assert narrowed.status_code == 400 or narrowed.json() == everything
    assert everything["results"][0]["pupils"] == 30


def test_people_in_a_group_of_one_exchange_are_not_counted(client):
    city = PartnerCityFactory(slug="wuxi", name="Wuxi")
    ExchangeFactory(partner_city=city, kind="teacher_exchange", pupils=0, teachers=1)
    (row,) = client.get("/api/exchanges/").json()["results"]
    assert (row["activities"], row["teachers"], row["participants"], row["suppressed"]) == (
        1,
        None,
        None,
        True,
    )
    page = client.get(reverse("partnerships:city_detail", args=["wuxi"])).content.decode()
    assert "færre end 3 aktiviteter om året, vises ikke" in page


def test_a_page_shows_one_year_and_the_download_every_year(client, settings):
    settings.STATISTICS_MIN_GROUP = 1
    now = timezone.now()
    last_year = now.replace(year=now.year - 1, month=6, day=1)
    two_years_ago = now.replace(year=now.year - 2, month=6, day=1)
    grant(city=PartnerCityFactory(name="Wuxi"), amount=1111, when=last_year)
    grant(city=PartnerCityFactory(name="Nacka"), amount=2222, when=two_years_ago)
    grant(city=PartnerCityFactory(name="Brno"), amount=3333, when=now)  # this month: not yet

    latest = client.get(reverse("grants:statistics")).content.decode()
    assert "Wuxi" in latest and "1.111" in latest
    assert "Nacka" not in latest and "2.222" not in latest and "Brno" not in latest
    older = client.get(reverse("grants:statistics_year", args=[two_years_ago.year]))
    assert "Nacka" in older.content.decode() and "Wuxi" not in older.content.decode()
    for page in (latest, older.content.decode()):
        for year in (last_year.year, two_years_ago.year):
            assert reverse("grants:statistics_year", args=[year]) in page
        assert reverse("grants:statistics_year", args=[now.year]) not in page
    # A year with nothing the statistics publish (yet) has no page.
    for year in (now.year, 1999, 10**20):
        assert client.get(reverse("grants:statistics_year", args=[year])).status_code == 404

    text = client.get(reverse("grants:statistics"), {"format": "csv"}).getvalue().decode()
    assert "Wuxi" in text and "Nacka" in text and "Brno" not in text
    sitemap = client.get("/sitemap-grant-statistics.xml").content.decode()
    assert f"/grants/statistics/{two_years_ago.year}/</loc>" in sitemap


def test_the_download_period_gives_months_never_a_decision_date(client):
    """The grant statistics' period in the data catalogue was the first and the last
    decision's own dates; now it is whole years and released months only."""
    decided_on = timezone.localtime(timezone.now() - LAST_MONTH).replace(day=13, hour=12)
    for _ in range(3):
        grant(city=PartnerCityFactory(name="Wuxi"), when=decided_on)
    grant(city=PartnerCityFactory(name="Brno"), when=timezone.now())  # this month
    catalogue = json.loads(client.get(reverse("data_catalog")).content)
    (period,) = [
        entry["dct:temporal"]
        for entry in catalogue["dcat:dataset"]
        if entry["dct:identifier"] == "grant-statistics"
    ]
    last_day = calendar.monthrange(decided_on.year, decided_on.month)[1]
    assert (period["dcat:startDate"]["@value"], period["dcat:endDate"]["@value"]) == (
        f"{decided_on.year}-01-01",
        f"{decided_on.year}-{decided_on.month:02}-{last_day}",
    )


def test_the_grant_statistics_api_reads_what_the_page_reads_however_many_grants(client, settings):
    """The API's rows are the statistics page's, from the kept totals: as many queries and
    rows read for 4 partner cities as for 40, each row naming the first few (as the page)."""
    from tests.rowsread import rows_read

    settings.STATISTICS_NAMES_SHOWN = 3

    def api_and_page():
        with rows_read() as read:
            items = client.get("/api/grant-statistics/").json()["results"]
        page = client.get(reverse("grants:statistics")).context["rows"]
        return read, items, page

    def add_grants(names):
        for name in names:
            grant(city=PartnerCityFactory(name=name), when=timezone.now() - LAST_MONTH)

    add_grants(f"By {n:02}" for n in range(4))
    few, items, page = api_and_page()
    assert [item["partner_cities"] for item in items] == [["By 00", "By 01", "By 02"]]
    assert items[0]["more_partner_cities"] == 1

    add_grants(f"By {n:02}" for n in range(4, 40))
    many, items, page = api_and_page()
    assert (many.queries, many.rows) == (few.queries, few.rows)
    (item,) = items
    (row,) = page
    assert (item["year"], item["trips"], item["amount"]) == (
        row["year"],
        row["trips"],
        f"{row['amount']:.2f}",
    )
    assert item["trips"] == 40
    assert (
        (item["partner_cities"], item["more_partner_cities"])
        == (
            row["partner_cities"],
            row["more_partner_cities"],
        )
        == (["By 00", "By 01", "By 02"], 37)
    )
    download = client.get(reverse("grants:statistics"), {"format": "csv"}).getvalue().decode()
    assert "By 39" in download  # the download names them all
