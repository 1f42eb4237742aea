"""Reads of budget data: balances from each line's committed and spent sums, which the
services keep with its commitments (budgets.totals).

Carry-over rule: for a line that carries over, what is left at the end of a
year is added to the line with the same code in the next year of the same
election period, and lapses when the period ends. So a line's remaining amount
is the running total, over the period's years up to its own, of
(amount - committed).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Value, When
from django.urls import reverse

from budgets.models import (
    BudgetLine,
    BudgetYear,
    Commitment,
    ElectionPeriod,
    Initiative,
    StaffResource,
)
from portal import search
from portal.contributions import contributions

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
    # Public balances only: the grant statistics' rows of the schemes this line pays
    # (grants.selectors.published_figures), which its committed amount counts.
    grants: list[dict] = field(default_factory=list)

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
    """What each carrying line brings from earlier years of its election period, as booked
    (one query)."""
    carried: dict[str, Decimal] = {}
    earlier = _earlier_lines(year, codes).values_list("code", "amount", "committed")
    for code, amount, committed in earlier:
        carried[code] = carried.get(code, ZERO) + amount - committed
    return carried


def _earlier_lines(year: int, codes: list[str]):
    """The carrying lines with these codes in earlier years of the year's election period."""
    period = election_period_for(year) if codes else None
    if period is None or period.first_year == year:
        return BudgetLine.objects.none()
    return BudgetLine.objects.filter(
        code__in=codes,
        carries_over=True,
        budget_year__year__gte=period.first_year,
        budget_year__year__lt=year,
    )


def _carried(earlier: list[BudgetLine], figures: dict[int, dict]) -> dict[str, Decimal]:
    carried: dict[str, Decimal] = {}
    for line in earlier:
        carried[line.code] = (
            carried.get(line.code, ZERO) + line.amount - figures[line.pk]["committed"]
        )
    return carried


def balances_for_year(budget_year: BudgetYear) -> list[LineBalance]:
    """Every line of a year with committed, spent, carried-in and remaining, as booked (staff
    and services). Two queries, each reading the lines only."""
    return _balances(budget_year.lines.all(), budget_year.year)


def public_balances_for_year(budget_year: BudgetYear) -> list[LineBalance]:
    """Every line of a year as the public sees it (the page, the API, the downloads): grant
    money only as the grant statistics publish it (public_figures)."""
    return _balances(budget_year.lines.all(), budget_year.year, public=True)


def balance_of(line: BudgetLine) -> LineBalance:
    """One line's balance as booked, without computing the rest of its year."""
    return _balances(BudgetLine.objects.filter(pk=line.pk), line.budget_year.year)[0]


def public_balance_of(line: BudgetLine) -> LineBalance:
    """One line's balance as the public sees it (public_figures)."""
    return _balances(BudgetLine.objects.filter(pk=line.pk), line.budget_year.year, True)[0]


def public_figures(lines: list[BudgetLine]) -> dict[int, dict]:
    """Per line (with its budget_year read): the committed and spent amounts the public may
    see, and the grant statistics' rows they count. One query (the grant figures), besides
    the lines' kept sums.

    Grant money is booked on a line the moment a grant is decided, and paid when it is paid;
    shown as booked, each decision's amount and date could be read off the line by
    comparing it on two days. So a public figure counts a scheme's grants only as the grant
    statistics publish them (grants.selectors.published_figures: months that have ended,
    in batches, small groups without figures), the same figures as the statistics page,
    and grant payments not at all (a payment's date and amount would single out one grant
    too). Trips and other entries count as booked."""
    lines = list(lines)
    rows_of: dict[tuple[int, str], list[dict]] = {}
    for published_figures in contributions("published_grant_figures") if lines else []:
        for row in published_figures({line.budget_year.year for line in lines}):
            rows_of.setdefault((row["year"], row["scheme__budget_line_code"]), []).append(row)
    figures = {}
    for line in lines:
        rows = rows_of.get((line.budget_year.year, line.code), [])
        published = sum((row["amount"] for row in rows if not row["suppressed"]), ZERO)
        figures[line.pk] = {
            "committed": line.committed - line.grants_committed + published,
            "spent": line.spent - line.grants_spent,
            "grants": rows,
        }
    return figures


def _balances(lines, year: int, public: bool = False) -> list[LineBalance]:
    lines = list(lines.select_related("owner", "kind", "budget_year").order_by("position", "code"))
    codes = [line.code for line in lines if line.carries_over]
    if public:
        # The earlier years' lines and this year's in one go: four queries in all.
        earlier = list(_earlier_lines(year, codes).select_related("budget_year"))
        figures = public_figures(lines + earlier)
        carried = _carried(earlier, figures)
    else:
        carried = carried_in_by_code(year, codes)
    balances = []
    for line in lines:
        balance = LineBalance(
            line=line,
            committed=line.committed,
            spent=line.spent,
            carried_in=carried.get(line.code, ZERO) if line.carries_over else ZERO,
            year=year,
        )
        if public:
            balance.committed = figures[line.pk]["committed"]
            balance.spent = figures[line.pk]["spent"]
            balance.grants = figures[line.pk]["grants"]
        balances.append(balance)
    return balances


def public_period_balances_of(line: BudgetLine) -> list[LineBalance]:
    """The public balance of a carrying line in each year of its election period (its
    chain)."""
    chain = list(chain_of(line).select_related("budget_year").order_by("budget_year__year"))
    return [public_balance_of(member) for member in chain]


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


def current_budget_year(today) -> BudgetYear | None:
    """The year the budget page opens on: this year's budget, or the latest there is (one
    query: the years up to this one first, newest first, then later ones)."""
    later = Case(When(year__gt=today.year, then=Value(1)), default=Value(0))
    return public_years().annotate(later=later).order_by("later", "-year").first()


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


@dataclass
class StaffTime:
    """The staff time of a year (or of every year): its resources, the time added up in each
    unit as the administrator gave it (full-time equivalents and hours a year are not
    converted into each other: how many hours a post has is the municipality's rule), and
    the estimated cost of the resources that have one, apart from the budget's money."""

    resources: list[StaffResource]

    @property
    def full_time_equivalents(self) -> Decimal:
        return sum((r.full_time_equivalents or 0 for r in self.resources), Decimal("0.00"))

    @property
    def hours_per_year(self) -> int:
        return sum(r.hours_per_year or 0 for r in self.resources)

    @property
    def estimated_cost(self) -> Decimal | None:
        """The estimates added up; None when no resource has one."""
        estimates = [r.estimated_cost for r in self.resources if r.estimated_cost is not None]
        return sum(estimates, ZERO) if estimates else None

    @property
    def without_estimate(self) -> int:
        """How many resources have no estimated cost (and are not in `estimated_cost`)."""
        return sum(1 for r in self.resources if r.estimated_cost is None)


def staff_resources():
    """Every year's staff resources as the public sees them, oldest year first: the budget
    page, the staff-time page and its downloads read them here."""
    return StaffResource.objects.select_related("budget_year").order_by(
        "budget_year__year", "position", "pk"
    )


def staff_time(budget_year: BudgetYear | None = None) -> StaffTime:
    """The staff time of a year (every year's without one): one query."""
    resources = staff_resources()
    if budget_year is not None:
        resources = resources.filter(budget_year=budget_year)
    return StaffTime(list(resources))


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


def open_bookings(*, trip=None, grant_application=None):
    """What a trip or a grant case has booked and not reversed: the commitments a change of
    its accounts or a withdrawal reverses."""
    cause = {"trip": trip} if trip is not None else {"grant_application": grant_application}
    return Commitment.objects.filter(**cause, reverses__isnull=True, reversed_by__isnull=True)


def cause_url(commitment) -> str:
    """The staff page of the trip or case that booked a commitment, or "" for manual entries."""
    if commitment.trip_id:
        return reverse("travel:staff_trip", args=[commitment.trip_id])
    if commitment.grant_application_id:
        return reverse("grants:officer_case", args=[commitment.grant_application_id])
    return ""


def pays_grants(line: BudgetLine) -> bool:
    """Whether a grant scheme pays from the line's code: its public page then says how
    grants are counted (whether or not any were granted, which would give one away)."""
    return any(pays(line) for pays in contributions("pays_grants"))
