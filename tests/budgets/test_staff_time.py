"""The staff time the strategy gives the international work, beside the money: kept by an
administrator, shown on the year's budget page and its own page, downloaded as open data,
and never part of a money figure."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import StaffResource
from portal.models import AuditEntry
from tests.factories import BudgetLineFactory, BudgetYearFactory, StaffResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy_year():
    """2026 with the strategy's central budget of 522,000 kr. and its staff time: half a post
    for central coordination, a quarter post for children and young people, ten hours of
    coordinators' network meetings."""
    year = BudgetYearFactory(year=2026)
    BudgetLineFactory(budget_year=year, code="INT", amount=Decimal("522000"))
    StaffResourceFactory(budget_year=year, position=1)
    StaffResourceFactory(
        budget_year=year,
        description_da="Koordination og support på børne- og ungeområdet",
        description_en="Coordination and support for children and young people",
        description_de="Koordination und Unterstützung im Bereich Kinder und Jugendliche",
        full_time_equivalents=Decimal("0.25"),
        position=2,
    )
    StaffResourceFactory(
        budget_year=year,
        description_da="Internationale koordinatorers netværksmøder",
        description_en="Network meetings of the international coordinators",
        description_de="Netzwerktreffen der internationalen Koordinatorinnen und Koordinatoren",
        full_time_equivalents=None,
        hours_per_year=10,
        position=3,
    )
    return year


def _cells(html: str, caption: str) -> list[str]:
    """The text of each cell of the table with this caption, in order."""
    import re

    table = html.split(f">{caption}</caption>")[1].split("</table>")[0]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)
    ]


def test_the_budget_page_shows_the_staff_time_beside_the_money(client, strategy_year):
    page = client.get(reverse("budgets:year", args=[2026])).content.decode()
    assert (
        "I 2026 har det internationale arbejde 522.000\xa0kr. på sine budgetlinjer; heraf er "
        "0\xa0kr. brugt. Ud over pengene har det medarbejdertid: 0,75 årsværk og 10 timer om året."
    ) in page
    assert _cells(page, "Medarbejdertid 2026") == [
        "Medarbejdertid til",
        "Årsværk",
        "Timer om året",
        "Anslået udgift",
        "Central koordination og support",
        "0,5",
        "–",
        "–",
        "Koordination og support på børne- og ungeområdet",
        "0,25",
        "–",
        "–",
        "Internationale koordinatorers netværksmøder",
        "–",
        "10",
        "–",
        "I alt",
        "0,75",
        "10",
        "–",
    ]
    # The money is what it was: the staff time is in no amount.
    assert "Det centrale budget: 522.000\xa0kr." in page

    english = client.get("/en/budget/2026/").content.decode()
    assert "Network meetings of the international coordinators" in english
    assert "staff time: 0.75 full-time equivalents and 10 hours a year" in english
    german = client.get("/de/budget/2026/").content.decode()
    assert "Netzwerktreffen der internationalen Koordinatorinnen und Koordinatoren" in german
    assert "0,75 Vollzeitstellen und 10 Stunden im Jahr" in german


def test_an_estimated_cost_is_summed_apart_and_marked_as_an_estimate(client, strategy_year):
    StaffResource.objects.filter(position=1).update(estimated_cost=Decimal("310000"))
    page = client.get("/en/budget/2026/").content.decode()
    cells = _cells(page, "Staff time 2026")
    assert cells[4:8] == ["Central coordination and support", "0.5", "–", "about DKK\xa0310,000"]
    assert cells[-4:] == ["Total", "0.75", "10", "about DKK\xa0310,000"]
    assert "The estimated cost is an estimate of what the staff time costs." in page
    assert "Staff time without an estimate is not in the estimated total." in page
    # No money figure moves: the central budget, its table's total and the download.
    assert "The central budget: DKK\xa0522,000" in page
    rows = json.loads(client.get("/en/budget/2026/", {"format": "json"}).getvalue())
    assert [(row["code"], row["amount"]) for row in rows] == [("INT", "522000.00")]


def test_a_year_without_staff_time_shows_no_staff_section(client):
    BudgetLineFactory(budget_year__year=2025)
    page = client.get(reverse("budgets:year", args=[2025])).content.decode()
    assert 'id="staff-heading"' not in page
    assert "medarbejdertid" not in page.lower()
    assert "I 2025 har det internationale arbejde 150.000\xa0kr. på sine budgetlinjer;" in page


def test_the_staff_time_page_has_every_year_and_its_downloads(client, strategy_year):
    StaffResourceFactory(budget_year__year=2025, full_time_equivalents=Decimal("0.5"))
    page = client.get("/en/budget/staff-time/").content.decode()
    assert page.index("Staff time 2026") < page.index("Staff time 2025")
    assert 'href="/en/budget/2025/"' in page

    download = client.get("/en/budget/staff-time/", {"format": "csv"})
    assert download["Content-Disposition"] == 'attachment; filename="staff-time.csv"'
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert rows == [
        ["Year", "Staff time for", "Full-time equivalents", "Hours a year", "Estimated cost"],
        ["2025", "Central coordination and support", "0.50", "", ""],
        ["2026", "Central coordination and support", "0.50", "", ""],
        ["2026", "Coordination and support for children and young people", "0.25", "", ""],
        ["2026", "Network meetings of the international coordinators", "", "10", ""],
    ]
    danish = client.get("/budget/staff-time/", {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert danish.splitlines()[2] == "2026;Central koordination og support;0,50;;"

    rows = json.loads(client.get("/en/budget/staff-time/", {"format": "json"}).getvalue())
    assert rows[-1] == {
        "year": 2026,
        "description": "Network meetings of the international coordinators",
        "description_da": "Internationale koordinatorers netværksmøder",
        "description_en": "Network meetings of the international coordinators",
        "description_de": "Netzwerktreffen der internationalen Koordinatorinnen und Koordinatoren",
        "full_time_equivalents": None,
        "hours_per_year": 10,
        "estimated_cost": None,
    }


def test_the_staff_time_is_in_the_open_data_catalogue_and_its_data_package(client, strategy_year):
    package = client.get(reverse("data_package", args=["staff-time"])).json()
    data_page = client.get("/en/data/").content.decode()
    assert 'id="staff-time"' in data_page
    assert "Number with two decimals" in data_page
    fields = {field["name"]: field for field in package["resources"][0]["schema"]["fields"]}
    assert fields["Årsværk"]["type"] == "number"
    assert fields["Årsværk"]["decimalChar"] == ","
    assert fields["Anslået udgift"]["type"] == "number"


def _resource_form(year, **changes) -> dict:
    return {
        "budget_year": year.pk,
        "description_da": "Central koordination og support",
        "description_en": "Central coordination and support",
        "description_de": "",
        "full_time_equivalents": "0,5",
        "hours_per_year": "",
        "estimated_cost": "",
        "position": "1",
        **changes,
    }


def test_an_administrators_edit_reaches_the_budget_page_and_the_download(client, administrator):
    year = BudgetYearFactory(year=2026)
    BudgetLineFactory(budget_year=year, code="INT", amount=Decimal("522000"))
    client.force_login(administrator)
    response = client.post(reverse("admin:budgets_staffresource_add"), _resource_form(year))
    assert response.status_code == 302
    resource = StaffResource.objects.get()
    assert resource.full_time_equivalents == Decimal("0.50")

    change = _resource_form(year, full_time_equivalents="0,75", estimated_cost="400.000")
    url = reverse("admin:budgets_staffresource_change", args=[resource.pk])
    assert client.post(url, change).status_code == 302
    client.logout()

    page = client.get(reverse("budgets:year", args=[2026])).content.decode()
    assert _cells(page, "Medarbejdertid 2026")[4:8] == [
        "Central koordination og support",
        "0,75",
        "–",
        "ca. 400.000\xa0kr.",
    ]
    download = client.get(reverse("budgets:staff_time"), {"format": "csv"})
    assert download.getvalue().decode("utf-8-sig").splitlines()[1] == (
        "2026;Central koordination og support;0,75;;400000,00"
    )
    created, changed = AuditEntry.objects.filter(action="budget.staff_resource").order_by("pk")
    assert created.actor == administrator
    assert created.data["full_time_equivalents (new)"] == "0.50"
    assert changed.summary == "2026 Central koordination og support"
    assert {key: changed.data[key] for key in sorted(changed.data)} == {
        "estimated_cost": "",
        "estimated_cost (new)": "400000.00",
        "full_time_equivalents": "0.50",
        "full_time_equivalents (new)": "0.75",
    }


def test_time_must_be_given_and_a_refused_form_stores_nothing(client, administrator):
    year = BudgetYearFactory(year=2026)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:budgets_staffresource_add"),
        _resource_form(year, full_time_equivalents="", hours_per_year=""),
    )
    assert response.status_code == 200
    refusal = "Angiv tiden som årsværk, som timer om året eller begge dele."
    assert refusal in response.content.decode()
    for bad in ("-0,5", "1000,5"):
        response = client.post(
            reverse("admin:budgets_staffresource_add"),
            _resource_form(year, full_time_equivalents=bad),
        )
        assert response.status_code == 200
    assert not StaffResource.objects.exists()
    assert not AuditEntry.objects.exists()


def test_only_an_administrator_keeps_staff_time(client, secretary, strategy_year):
    resource = StaffResource.objects.get(position=1)
    url = reverse("admin:budgets_staffresource_change", args=[resource.pk])
    client.force_login(secretary)
    client.post(url, _resource_form(strategy_year, full_time_equivalents="5"))
    client.post(reverse("admin:budgets_staffresource_delete", args=[resource.pk]), {"post": "yes"})
    resource.refresh_from_db()
    assert resource.full_time_equivalents == Decimal("0.50")
    assert not AuditEntry.objects.exists()


def test_a_deleted_resource_leaves_an_audit_entry(client, administrator, strategy_year):
    resource = StaffResource.objects.get(position=3)
    client.force_login(administrator)
    delete = reverse("admin:budgets_staffresource_delete", args=[resource.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not StaffResource.objects.filter(pk=resource.pk).exists()
    entry = AuditEntry.objects.get(action="admin.delete")
    assert entry.summary == "medarbejdertid: 2026 Internationale koordinatorers netværksmøder"


@pytest.mark.parametrize("address", ["/budget/2026/", "/budget/staff-time/"])
def test_the_staff_time_costs_the_same_queries_for_one_resource_and_many(
    client, django_assert_num_queries, address
):
    year = BudgetYearFactory(year=2026)
    BudgetLineFactory(budget_year=year)
    StaffResourceFactory(budget_year=year)
    client.get(address)  # the site's settings and the kinds, made on first use
    with django_assert_num_queries(_queries(client, address)) as few:
        client.get(address)
    for n in range(12):
        StaffResourceFactory(budget_year__year=2020 + n % 7, position=n)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(address)
    assert "Central koordination og support" in page.content.decode()


def _queries(client, address) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(address)
    return len(queries.captured_queries)


def test_the_demo_loads_the_strategys_staff_time(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for year in (2024, 2025, 2026):
        resources = StaffResource.objects.filter(budget_year__year=year).order_by("position")
        assert [
            (r.description_da, r.full_time_equivalents, r.hours_per_year) for r in resources
        ] == [
            ("Central koordination og support", Decimal("0.50"), None),
            ("Koordination og support på børne- og ungeområdet", Decimal("0.25"), None),
            ("Internationale koordinatorers netværksmøder", None, 10),
        ]
    assert all(r.description_de and r.description_en for r in StaffResource.objects.all())
    sitemap = client.get("/sitemap-staff-time.xml").content.decode()
    assert "/budget/staff-time/" in sitemap and "/de/budget/staff-time/" in sitemap


def test_the_second_municipalitys_demo_shows_its_staff_time_in_german_and_euros(client, settings):
    from pathlib import Path

    from django.core.management import call_command

    # The file names its municipality: German first, English, euros.
    demo = Path(settings.BASE_DIR) / "shell" / "demo" / "duesseldorf.json"
    call_command("load_demo", file=demo, stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = client.get("/budget/2026/").content.decode()
    cells = _cells(page, "Arbeitszeit 2026")
    assert cells[4:8] == [
        "Büro für Internationale Angelegenheiten: Städtepartnerschaften und Netzwerke",
        "1,5",
        "–",
        "etwa 105.000\xa0€",
    ]
    assert cells[-4:] == ["Summe", "1,5", "280", "etwa 113.000\xa0€"]
    assert "Arbeitszeit ohne Schätzung ist in der geschätzten Summe nicht enthalten." in page


def test_the_api_gives_a_years_staff_time_beside_its_lines(client, strategy_year):
    StaffResource.objects.filter(position=1).update(estimated_cost=Decimal("310000"))
    year = client.get("/api/budget-years/2026/").json()
    assert [line["amount"] for line in year["lines"]] == ["522000.00"]
    assert year["staff_resources"][0] == {
        "year": 2026,
        "description": "Central koordination og support",
        "description_da": "Central koordination og support",
        "description_en": "Central coordination and support",
        "description_de": "Zentrale Koordination und Unterstützung",
        "full_time_equivalents": "0.50",
        "hours_per_year": None,
        "estimated_cost": "310000.00",
    }
    assert [r["hours_per_year"] for r in year["staff_resources"]] == [None, None, 10]
    schema = client.get("/api/schema/").content.decode()
    assert "StaffResource" in schema
