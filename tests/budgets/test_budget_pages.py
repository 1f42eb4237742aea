"""The public budget page, its CSV and chart, and an administrator's bookings."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import BudgetLine, Commitment, ElectionPeriod, LineKind
from budgets.selectors import balance_of
from budgets.services import book_commitment
from tests.factories import BudgetLineFactory, BudgetYearFactory, CommitteeFactory, TripFactory
from travel.services import sync_trip_commitments

pytestmark = pytest.mark.django_db

CENTRAL = [
    ("INT-UNG", 150_000),
    ("INT-WUXI", 159_000),
    ("INT-SAMARB", 190_000),
    ("INT-NETV", 23_000),
]


@pytest.fixture
def strategy_budget():
    """The strategy's 522,000 kr central budget and one committee's travel budget, 2025–2026."""
    ElectionPeriod.objects.create(first_year=2022, last_year=2025)
    committee = CommitteeFactory(name_da="Børne- og Skoleudvalget")
    lines = {}
    for year in (2024, 2025):
        budget_year = BudgetYearFactory(year=year)
        for position, (code, amount) in enumerate(CENTRAL):
            lines[year, code] = BudgetLineFactory(
                budget_year=budget_year, code=code, amount=amount, position=position
            )
        lines[year, "UDV-BSU"] = BudgetLineFactory(
            budget_year=budget_year,
            code="UDV-BSU",
            kind="committee_travel",
            amount=65_000,
            owner=committee,
            carries_over=True,
            position=20,
        )
    book_commitment(
        line=lines[2025, "INT-WUXI"],
        amount=145_000,
        description="Wuxi",
        source="manual",
        manual_cause="membership",
        reason="Aftale med Wuxi",
        actor=None,
        is_spent=True,
    )
    # A trip's cost reaches its line through the trip (never an entry of its own).
    sync_trip_commitments(
        trip=TripFactory(
            budget_line=lines[2024, "UDV-BSU"],
            starts_on=datetime.date(2024, 5, 27),
            ends_on=datetime.date(2024, 5, 30),
            costs=[("transport", 0, 42_300)],
        ),
        actor=None,
    )
    return lines


def test_year_page_shows_the_central_budget_and_carry_over(client, strategy_budget):
    page = client.get(reverse("budgets:year", args=[2025])).content.decode()

    assert "Det centrale budget: 522.000\u00a0kr." in page
    assert "145.000\u00a0kr." in page and "14.000\u00a0kr." in page  # Wuxi committed, left
    # 65,000 + 22,700 carried from 2024 = 87,700 available; the carry-over is its own item.
    assert "heraf overført fra tidligere år i valgperioden: 22.700\u00a0kr." in page
    assert "87.700\u00a0kr." in page
    assert 'aria-current="page">2025<' in page and ">2024<" in page


def test_the_chart_is_an_image_whose_bars_follow_the_figures(client, strategy_budget):
    response = client.get(reverse("budgets:year", args=[2025]))
    chart = response.context["chart"]

    bars = {" ".join(text for text, _y in bar.lines): bar for bar in chart["bars"]}
    wuxi = bars[strategy_budget[2025, "INT-WUXI"].name_da]
    assert wuxi.whole == round(100 * 159_000 / 190_000, 2)
    assert wuxi.part == round(100 * 159_000 / 190_000 * 145_000 / 159_000, 2)
    assert wuxi.value == "145.000\xa0kr. disponeret af 159.000\xa0kr."
    page = response.content.decode()
    assert 'role="img" aria-labelledby="chart-central-title chart-central-desc"' in page
    # Text in pixels, widths in percent: the labels stay readable on a phone.
    assert 'font-size="14"' in page and "viewBox" not in page


def test_csv_has_exactly_the_rows_of_the_page(client, strategy_budget):
    response = client.get(reverse("budgets:year_csv", args=[2025]))
    assert response["Content-Disposition"] == 'attachment; filename="budget-2025.csv"'
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))

    assert rows[0][:3] == ["År", "Kode", "Budgetlinje"]
    by_code = {row[1]: row for row in rows[1:]}
    assert list(by_code) == ["INT-UNG", "INT-WUXI", "INT-SAMARB", "INT-NETV", "UDV-BSU"]
    assert by_code["INT-WUXI"][5:] == [
        "159000,00",
        "0,00",
        "159000,00",
        "145000,00",
        "145000,00",
        "14000,00",
        "nej",  # does not carry over
    ]
    # Amounts written plainly: pandas reads them with sep=";", decimal=",".
    assert by_code["UDV-BSU"][5:8] == ["65000,00", "22700,00", "87700,00"]


def test_the_budget_page_uses_the_same_queries_for_few_lines_and_many(
    client, strategy_budget, django_assert_max_num_queries
):
    url = reverse("budgets:year", args=[2025])
    # 12: the public figures read the lines' grant bookings and the grant statistics' kept
    # totals (budgets.selectors.public_figures), once for the year and its earlier years.
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    budget_year = strategy_budget[2025, "INT-UNG"].budget_year
    for n in range(30):
        line = BudgetLineFactory(
            budget_year=budget_year, kind="committee_travel", carries_over=True, code=f"UDV-{n}"
        )
        BudgetLineFactory(
            budget_year=strategy_budget[2024, "INT-UNG"].budget_year,
            code=f"UDV-{n}",
            kind="committee_travel",
            carries_over=True,
        )
        book_commitment(
            line=line, amount=1000, description="x", source="manual", manual_cause="meeting",
            reason="r", actor=None,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("budgets:year_csv", args=[2025]))


def test_budget_index_goes_to_the_latest_year_up_to_now(client, strategy_budget):
    response = client.get(reverse("budgets:index"))
    assert response["Location"] == reverse("budgets:year", args=[2025])


def test_administrator_books_by_hand_and_a_mistake_keeps_the_form(
    client, administrator, strategy_budget
):
    line = strategy_budget[2025, "INT-NETV"]
    url = reverse("budgets:line_detail", args=[line.pk])
    client.force_login(administrator)
    data = {
        "manual_cause": "meeting",
        "amount": "30000",
        "booked_on": "2025-09-10",
        "description": "Netværksmøder",
        "reference": "F-507",
        "reason": "Faktura",
        "public_description": "Netværkets årsmøde",
    }

    response = client.post(url, data)
    page = response.content.decode()
    assert "har 23.000\u00a0kr. tilbage" in page
    assert 'value="Netværksmøder"' in page and "Faktura</textarea>" in page
    assert not Commitment.objects.filter(line=line).exists()

    response = client.post(url, {**data, "amount": "9800"})
    assert response["Location"] == url
    commitment = Commitment.objects.get(line=line)
    assert (commitment.amount, commitment.source, commitment.created_by) == (
        Decimal("9800.00"),
        "manual",
        administrator,
    )


def test_reversal_by_an_administrator_and_refused_to_others(
    client, administrator, secretary, strategy_budget
):
    commitment = Commitment.objects.get(description="Wuxi")
    url = reverse("budgets:commitment_reverse", args=[commitment.pk])

    client.force_login(secretary)
    assert client.post(url, {"reason": "Fejl"}).status_code == 403
    assert not Commitment.objects.filter(reverses=commitment).exists()

    client.force_login(administrator)
    client.post(url, {"reason": "Udvekslingen blev aflyst"})
    reversal = Commitment.objects.get(reverses=commitment)
    assert (reversal.amount, reversal.reason) == (Decimal("-145000.00"), "Udvekslingen blev aflyst")


def test_a_trips_booking_cannot_be_reversed_by_hand(client, administrator, secretary):
    """The trip would show its cost while the line no longer counted it."""
    trip = TripFactory(
        budget_line=BudgetLineFactory(amount=100_000), costs=[("transport", 61_750, 61_750)]
    )
    sync_trip_commitments(trip=trip, actor=secretary)
    booking = Commitment.objects.get(trip=trip)
    before = balance_of(trip.budget_line)

    client.force_login(administrator)
    response = client.post(
        reverse("budgets:commitment_reverse", args=[booking.pk]), {"reason": "Fejl"}, follow=True
    )

    assert not Commitment.objects.filter(reverses=booking).exists()
    assert balance_of(trip.budget_line) == before
    page = response.content.decode()
    assert reverse("travel:staff_trip", args=[trip.pk]) in page  # where to change it instead
    line_page = client.get(reverse("budgets:line_detail", args=[trip.budget_line_id]))
    assert f'action="{reverse("budgets:commitment_reverse", args=[booking.pk])}"' not in (
        line_page.content.decode()
    )


def test_changing_a_line_in_the_admin_needs_a_reason_and_is_audited(client, administrator):
    from portal.models import AuditEntry

    line = BudgetLineFactory(amount=150_000)
    client.force_login(administrator)
    url = reverse("admin:budgets_budgetline_change", args=[line.pk])
    data = {
        "budget_year": line.budget_year.pk,
        "code": line.code,
        "name_da": line.name_da,
        "name_en": line.name_en,
        "kind": LineKind.objects.get(code="central").pk,
        "amount": "140000",
        "position": 0,
    }

    page = client.post(url, data).content.decode()
    assert "Angiv en begrundelse for ændringen." in page
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal("150000.00")

    client.post(url, {**data, "change_reason": "Budgetforlig 2026"})
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal("140000.00")
    entry = AuditEntry.objects.get(action="budget.change_amount")
    assert (entry.actor, entry.reason) == (administrator, "Budgetforlig 2026")
    assert (entry.data["old"], entry.data["new"], entry.amount) == (
        "150000.00",
        "140000.00",
        Decimal("140000.00"),
    )


def test_a_new_line_made_in_the_admin_is_audited(client, administrator):
    from portal.models import AuditEntry

    budget_year = BudgetYearFactory(year=2027)
    client.force_login(administrator)
    client.post(
        reverse("admin:budgets_budgetline_add"),
        {
            "budget_year": budget_year.pk,
            "code": "INT-NY",
            "name_da": "Ny linje",
            "name_en": "",
            "kind": LineKind.objects.get(code="other").pk,
            "amount": "50000",
            "position": 0,
        },
    )
    line = BudgetLine.objects.get(code="INT-NY")
    entry = AuditEntry.objects.get(action="budget.create_line")
    assert (entry.actor, entry.object_id, entry.amount) == (
        administrator,
        str(line.pk),
        Decimal("50000.00"),
    )
