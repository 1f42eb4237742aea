"""Reads of budget data: balances from each line's committed and spent sums, which the
services keep with its commitments (budgets.totals).

Carry-over rule: for a line that carries over, what is left at the end of a
year is added to the line with the same code in the next year of the same
election period, and lapses when the period ends. So a line's remaining amount
is the running total, over the period's years up to its own, of
(amount - committed).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from budgets.models import BudgetLine, BudgetYear, ElectionPeriod, Initiative
from portal import search

ZERO = Decimal("0.00")


def election_period_for(year: int) -> ElectionPeriod | None:
    return ElectionPeriod.objects.filter(first_year__lte=year, last_year__gte=year).first()


@dataclass
class LineBalance:
    line: BudgetLine
    committed: Decimal
    spent: Decimal
    carried_in: Decimal
    year: int = 0

    @property
    def available(self) -> Decimal:
        return self.line.amount + self.carried_in

    @property
    def remaining(self) -> Decimal:
        return self.available - self.committed

    def carry_out(self, period, today) -> tuple[str, Decimal]:
        """What becomes of the remaining amount of a carrying line at its year's end:
        ("carries", amount) into the next year of the election period, ("lapses", amount)
        at the end of a period still running, ("lapsed", amount) once it has ended."""
        if not self.line.carries_over or period is None:
            return "", ZERO
        if self.year < period.last_year:
            return "carries", self.remaining
        return ("lapses" if today.year <= self.year else "lapsed"), self.remaining

    @property
    def committed_share(self) -> Decimal:
        """Committed as a share of what was available, 0..1, for charts."""
        if self.available <= 0:
            return Decimal(1) if self.committed > 0 else Decimal(0)
        return min(Decimal(1), max(Decimal(0), self.committed / self.available))


def carried_in_by_code(year: int, codes: list[str]) -> dict[str, Decimal]:
    """What each carrying line brings from earlier years of its election period (one query)."""
    period = election_period_for(year) if codes else None
    if period is None or period.first_year == year:
        return {}
    earlier = BudgetLine.objects.filter(
        code__in=codes,
        carries_over=True,
        budget_year__year__gte=period.first_year,
        budget_year__year__lt=year,
    ).values_list("code", "amount", "committed")
    carried: dict[str, Decimal] = {}
    for code, amount, committed in earlier:
        carried[code] = carried.get(code, ZERO) + amount - committed
    return carried


def balances_for_year(budget_year: BudgetYear) -> list[LineBalance]:
    """Every line of a year with committed, spent, carried-in and remaining. Two queries,
    each reading the lines only."""
    return _balances(budget_year.lines.all(), budget_year.year)


def balance_of(line: BudgetLine) -> LineBalance:
    """One line's balance, without computing the rest of its year."""
    return _balances(BudgetLine.objects.filter(pk=line.pk), line.budget_year.year)[0]


def _balances(lines, year: int) -> list[LineBalance]:
    lines = list(lines.select_related("owner", "kind").order_by("position", "code"))
    carried = carried_in_by_code(year, [line.code for line in lines if line.carries_over])
    return [
        LineBalance(
            line=line,
            committed=line.committed,
            spent=line.spent,
            carried_in=carried.get(line.code, ZERO) if line.carries_over else ZERO,
            year=year,
        )
        for line in lines
    ]


def period_balances_of(line: BudgetLine) -> list[LineBalance]:
    """The balance of a carrying line in each year of its election period (its chain)."""
    chain = list(chain_of(line).select_related("budget_year").order_by("budget_year__year"))
    return [balance_of(member) for member in chain]


def chain_of(line: BudgetLine):
    """The lines whose balances a booking on `line` affects: itself, and for a carrying
    line, the same code in every year of its election period."""
    if not line.carries_over:
        return BudgetLine.objects.filter(pk=line.pk)
    period = election_period_for(line.budget_year.year)
    if period is None:
        return BudgetLine.objects.filter(pk=line.pk)
    return BudgetLine.objects.filter(
        code=line.code,
        carries_over=True,
        budget_year__year__gte=period.first_year,
        budget_year__year__lte=period.last_year,
    )


def bookable_amount(chain: list[BudgetLine], committed: dict[int, Decimal], line: BudgetLine):
    """The most that can be booked on `line` without any year of its chain going below zero.

    `chain` is ordered by year; `committed` maps line pk to its committed total.
    """
    running = ZERO
    lowest = None
    for member in chain:
        running += member.amount - committed.get(member.pk, ZERO)
        if member.budget_year.year >= line.budget_year.year:
            lowest = running if lowest is None else min(lowest, running)
    return lowest if lowest is not None else ZERO


def public_years():
    """Years that have a budget (a year may exist only for its follow-up)."""
    return BudgetYear.objects.filter(lines__isnull=False).distinct().order_by("-year")


def kind_groups(balances: list[LineBalance]) -> list[dict]:
    """Balances grouped by kind, in the order of the kinds, with totals."""
    kinds = sorted(
        {balance.line.kind for balance in balances}, key=lambda kind: (kind.position, kind.code)
    )
    groups = []
    for kind in kinds:
        rows = [balance for balance in balances if balance.line.kind == kind]
        groups.append({"kind": kind.code, "label": kind.name, "rows": rows, **totals(rows)})
    return groups


def totals(rows: list[LineBalance]) -> dict:
    return {
        "amount": sum((row.line.amount for row in rows), ZERO),
        "carried_in": sum((row.carried_in for row in rows), ZERO),
        "available": sum((row.available for row in rows), ZERO),
        "committed": sum((row.committed for row in rows), ZERO),
        "spent": sum((row.spent for row in rows), ZERO),
        "remaining": sum((row.remaining for row in rows), ZERO),
    }


def search_initiatives(query: str):
    fields = ["number", "title", "description", "responsible_centre", "main_contributor"]
    initiatives = Initiative.objects.select_related("budget_year")
    return search.ranked(
        initiatives.filter(search.matches(initiatives, fields, query)),
        fields,
        query,
        "-budget_year__year",
        "number",
        "pk",
    )


# Where the booking of each source is changed: its trip or its grant case (staff pages).
CAUSE_URLS = {"trip": "travel:staff_trip", "grant": "grants:officer_case"}


def cause_url(commitment) -> str:
    """The staff page of the trip or case that booked a commitment, or "" for manual entries."""
    kind, _sep, pk = commitment.reference.partition(":")
    if kind not in CAUSE_URLS or not pk.isdigit():
        return ""
    return reverse(CAUSE_URLS[kind], args=[int(pk)])
