"""The front page's headline figures: this year's budget and what is spent of it, the trips
published and the grants awarded, each from the selector its own page reads (one source),
in a fixed number of queries whatever the amount of data."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from budgets.selectors import current_budget_year, public_balances_for_year, totals
from grants.selectors import published_figures
from portal.money import format_money
from portal.money import format_number as number
from travel.selectors import published_count


@dataclass(frozen=True)
class Figure:
    """A figure on the front page: what it counts, the figure, a note (what it does not
    count yet), and the page that shows it in full."""

    key: str
    label: str
    value: str
    url: str
    note: str = ""


def headline_figures(today: datetime.date) -> tuple[int | None, list[Figure]]:
    """The year the front page speaks of (the budget page's current year: this year's
    budget, or the latest there is; else this calendar year) and its figures."""
    budget_year = current_budget_year(today)
    year = budget_year.year if budget_year else today.year
    figures = []
    if budget_year is not None:
        sums = totals(public_balances_for_year(budget_year))  # as the budget page adds them
        page = reverse("budgets:year", args=[year])
        figures += [
            Figure(
                "budget", _("Budget %(year)s") % {"year": year}, format_money(sums["amount"]), page
            ),
            Figure(
                "spent",
                _("Spent in %(year)s") % {"year": year},
                format_money(sums["spent"]),
                page,
                _("Without grant payments, as the budget page counts it."),
            ),
        ]
    trips = published_count(year=year)  # as the trip list filtered by the year counts them
    figures.append(
        Figure(
            "trips",
            _("Trips abroad published, %(year)s") % {"year": year},
            number(trips),
            reverse("travel:list") + f"?year={year}",
        )
    )
    figures.append(_grants_figure(year))
    return year, figures


def _grants_figure(year: int) -> Figure:
    """Grants awarded in the year, as the grant statistics publish them: months that have
    ended, small groups without figures (grants.selectors.published_figures)."""
    rows = published_figures([year])
    shown = [row for row in rows if not row["suppressed"]]
    count = sum(row["trips"] for row in shown)
    amount = sum((row["amount"] for row in shown), Decimal("0.00"))
    url = reverse("grants:statistics_year", args=[year]) if rows else reverse("grants:statistics")
    label = _("Grants awarded, %(year)s") % {"year": year}
    if not shown:
        note = _(
            "Not published yet: the statistics publish grants in groups once a month has ended."
        )
        return Figure("grants", label, "–", url, note)
    return Figure(
        "grants",
        label,
        number(count),
        url,
        _("%(amount)s, as the grant statistics publish them (months that have ended).")
        % {"amount": format_money(amount)},
    )
