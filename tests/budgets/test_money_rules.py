"""Balances, carry-over and the booking rules, figures from the strategy (seed 000)."""

import threading
from contextvars import copy_context  # each thread in the test's municipality
from decimal import Decimal

import pytest
from django.db import connection, connections

from budgets.models import BudgetLine, Commitment, ElectionPeriod
from budgets.selectors import balance_of
from budgets.services import (
    BudgetError,
    book_commitment,
    change_line_amount,
    reverse_commitment,
)
from portal.models import AuditEntry
from tests.factories import BudgetLineFactory, BudgetYearFactory, CommitteeFactory

pytestmark = pytest.mark.django_db


def book(line, amount, actor=None, **extra):
    return book_commitment(
        line=line, amount=amount, description="Test", source="grant_decision", actor=actor, **extra
    )


def balance(line: BudgetLine):
    line.refresh_from_db()
    return balance_of(line)


def test_remaining_is_the_amount_less_what_is_committed(administrator):
    line = BudgetLineFactory(amount=Decimal("150000"))
    book(line, "18500", actor=administrator, is_spent=True)
    book(line, "40000")

    result = balance(line)
    assert (result.committed, result.spent, result.remaining) == (
        Decimal("58500.00"),
        Decimal("18500.00"),
        Decimal("91500.00"),
    )
    entry = AuditEntry.objects.get(action="budget.book", actor=administrator)
    assert entry.amount == Decimal("18500.00")


def test_a_line_is_never_overcommitted_and_the_refusal_says_what_is_left():
    line = BudgetLineFactory(amount=Decimal("23000"), name_da="Netværk for lærere")
    book(line, "20000")
    with pytest.raises(BudgetError) as refused:
        book(line, "3000.01")
    assert str(refused.value) == (
        "Netværk for lærere har 3.000\u00a0kr. tilbage; 3.000,01\u00a0kr. kan ikke bogføres."
    )
    assert Commitment.objects.count() == 1
    book(line, "3000")
    assert balance(line).remaining == Decimal("0.00")


@pytest.mark.parametrize("amount", ["0", "-5", "many"])
def test_amounts_must_be_positive_numbers(amount):
    with pytest.raises(BudgetError):
        book(BudgetLineFactory(), amount)
    assert Commitment.objects.count() == 0


def test_a_manual_entry_needs_a_reason(administrator):
    line = BudgetLineFactory()
    with pytest.raises(BudgetError, match="begrundelse"):
        book_commitment(
            line=line,
            amount=100,
            description="Kontingent",
            source="manual",
            manual_cause="membership",
            actor=administrator,
        )
    book_commitment(
        line=line,
        amount=100,
        description="Kontingent",
        source="manual",
        manual_cause="membership",
        actor=administrator,
        reason="Faktura 2026-118",
    )
    assert Commitment.objects.get().reason == "Faktura 2026-118"


def test_a_reversal_gives_the_money_back_once(administrator):
    line = BudgetLineFactory(amount=Decimal("1000"))
    commitment = book(line, "600")
    reversal = reverse_commitment(commitment=commitment, actor=administrator, reason="Aflyst")

    assert reversal.amount == Decimal("-600.00")
    assert balance(line).remaining == Decimal("1000.00")
    with pytest.raises(BudgetError):
        reverse_commitment(commitment=commitment, actor=administrator, reason="Igen")
    with pytest.raises(BudgetError):
        reverse_commitment(commitment=reversal, actor=administrator, reason="Tilbage")
    assert Commitment.objects.count() == 2
    assert AuditEntry.objects.filter(action="budget.reverse").count() == 1


@pytest.fixture
def committee_budget():
    """65,000 kr a year for a committee, election periods 2022–2025 and 2026–2029."""
    ElectionPeriod.objects.create(first_year=2022, last_year=2025)
    ElectionPeriod.objects.create(first_year=2026, last_year=2029)
    committee = CommitteeFactory(name_da="Børne- og Skoleudvalget")
    return {
        year: BudgetLineFactory(
            budget_year=BudgetYearFactory(year=year),
            code="BSU-REJSER",
            kind="committee_travel",
            amount=Decimal("65000"),
            owner=committee,
            carries_over=True,
        )
        for year in (2024, 2025, 2026)
    }


def test_unspent_money_carries_over_inside_the_election_period(committee_budget):
    book(committee_budget[2024], "42300")

    result = balance(committee_budget[2025])
    assert (result.carried_in, result.available, result.remaining) == (
        Decimal("22700.00"),
        Decimal("87700.00"),
        Decimal("87700.00"),
    )


def test_carry_over_lapses_when_the_election_period_ends(committee_budget):
    book(committee_budget[2025], "10000")

    result = balance(committee_budget[2026])
    assert (result.carried_in, result.remaining) == (Decimal("0.00"), Decimal("65000.00"))


def test_a_line_that_does_not_carry_over_starts_afresh(committee_budget):
    BudgetLine.objects.filter(code="BSU-REJSER").update(carries_over=False)
    assert balance(committee_budget[2025]).carried_in == Decimal("0.00")


def test_a_late_booking_cannot_take_carry_over_a_later_year_has_spent(committee_budget):
    # 2025 uses the 65,000 kr carried from 2024 as well as its own.
    book(committee_budget[2025], "130000")
    with pytest.raises(BudgetError):
        book(committee_budget[2024], "1")
    assert balance(committee_budget[2025]).remaining == Decimal("0.00")


def test_a_line_cannot_be_cut_below_what_is_committed(administrator):
    line = BudgetLineFactory(amount=Decimal("190000"))
    book(line, "150000")
    with pytest.raises(BudgetError):
        change_line_amount(line=line, amount="149999", actor=administrator, reason="Besparelse")
    change_line_amount(line=line, amount="160000", actor=administrator, reason="Besparelse")

    line.refresh_from_db()
    assert line.amount == Decimal("160000.00")
    entry = AuditEntry.objects.get(action="budget.change_amount")
    assert (entry.data["old"], entry.data["new"], entry.reason) == (
        "190000.00",
        "160000.00",
        "Besparelse",
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_spend_the_last_krone_twice():
    line = BudgetLineFactory(amount=Decimal("1000"))
    results: list[str] = []
    start = threading.Barrier(10)

    def attempt():
        start.wait()
        try:
            book(line, "200")
            results.append("booked")
        except BudgetError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=copy_context().run, args=[attempt]) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["booked"] * 5 + ["refused"] * 5
    assert balance(line).remaining == Decimal("0.00")
    assert Commitment.objects.filter(line=line).count() == 5
