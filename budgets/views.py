from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets import permissions
from budgets.breakdown import cause_groups, causes_of
from budgets.datasets import BUDGET_LINES, STAFF_TIME
from budgets.enums import CommitmentSource
from budgets.forms import CommitmentForm, ReversalForm
from budgets.models import BudgetLine, BudgetYear, Commitment
from budgets.selectors import (
    StaffTime,
    balance_of,
    cause_url,
    current_budget_year,
    election_period_for,
    kind_groups,
    pays_grants,
    public_balance_of,
    public_balances_for_year,
    public_period_balances_of,
    public_years,
    staff_resources,
    staff_time,
    totals,
)
from budgets.services import BudgetError, book_commitment, reverse_by_hand
from portal.charts import bar_chart
from portal.listpages import redirect_keeping_query, requested_format
from portal.money import format_money
from portal.opendata import FORMAT_PARAMETER
from portal.pagecache import public_page
from portal.permissions import require


def budget_index(request):
    """The current year's budget, or the latest there is."""
    current = current_budget_year(timezone.localdate())
    if current is None:
        if fmt := requested_format(request):
            return BUDGET_LINES.response(request, fmt, [], name="budget")  # the file, empty
        return render(request, "budgets/year.html", {"budget_year": None, "years": []})
    return redirect_keeping_query(request, "budgets:year", year=current.year)


def _year_context(year: int) -> dict:
    budget_year = get_object_or_404(BudgetYear, year=year)
    balances = public_balances_for_year(budget_year)
    period = election_period_for(year)
    today = timezone.localdate()
    for balance in balances:
        balance.carry = balance.carry_out(period, today)
    central = [b for b in balances if b.line.kind.is_central]
    others = [b for b in balances if not b.line.kind.is_central]
    return {
        "budget_year": budget_year,
        "central": central,
        "central_totals": totals(central),
        "chart": balance_chart(
            central, key="central", title=_("Committed and remaining per budget line")
        ),
        "other_groups": kind_groups(others),
        "balances": balances,
        "period": period,
        "all_totals": totals(balances),
        "staff_time": staff_time(budget_year),
    }


@public_page(reads=[FORMAT_PARAMETER])
def budget_year(request, year: int):
    context = _year_context(year)
    if fmt := requested_format(request):
        return BUDGET_LINES.response(request, fmt, context["balances"], name=f"budget-{year}")
    context["years"] = list(public_years().values_list("year", flat=True))
    context["can_view_commitments"] = permissions.can_view_commitments(request.user)
    context["dataset"] = BUDGET_LINES
    return render(request, "budgets/year.html", context)


@public_page(reads=[FORMAT_PARAMETER])
def staff_time_page(request):
    """The staff time of every budget year, beside the money each year's page shows; the
    staff-time dataset's downloads."""
    if fmt := requested_format(request):
        return STAFF_TIME.response(request, fmt, staff_resources(), name="staff-time")
    resources = list(staff_resources())
    years: dict[int, list] = {}
    for resource in resources:
        years.setdefault(resource.budget_year.year, []).append(resource)
    return render(
        request,
        "budgets/staff_time.html",
        {
            "years": [
                {"year": year, "time": StaffTime(rows), "table_id": f"staff-time-table-{year}"}
                for year, rows in sorted(years.items(), reverse=True)
            ],
            "dataset": STAFF_TIME,
        },
    )


def balance_chart(balances, *, key: str, title: str) -> dict:
    """Each line (or year) as a bar: what was available, and how much of it is committed."""
    return bar_chart(
        [
            (
                balance.line.name,
                balance.available,
                balance.committed,
                _("%(committed)s committed of %(available)s")
                % {
                    "committed": format_money(balance.committed),
                    "available": format_money(balance.available),
                },
            )
            for balance in balances
        ],
        key=key,
        title=title,
        legend=(_("Committed"), _("Remaining")),
    )


@public_page
def line_page(request, year: int, code: str):
    """Every krone on one line, followed to what it paid for (budgets.breakdown)."""
    line = get_object_or_404(
        BudgetLine.objects.select_related("budget_year", "owner"), budget_year__year=year, code=code
    )
    balance = public_balance_of(line)
    period = election_period_for(year)
    balance.carry = balance.carry_out(period, timezone.localdate())
    causes = causes_of(line, balance.grants)
    period_balances = public_period_balances_of(line) if line.carries_over and period else []
    return render(
        request,
        "budgets/line.html",
        {
            "line": line,
            "balance": balance,
            "period": period,
            "causes": causes,
            "groups": cause_groups(causes),
            "pays_grants": pays_grants(line),
            "min_group": settings.STATISTICS_MIN_GROUP,
            "period_balances": period_balances,
            "period_chart": bar_chart(
                [
                    (
                        str(b.year),
                        b.available,
                        b.spent,
                        _("%(spent)s spent of %(available)s, of which %(carried)s carried in")
                        % {
                            "spent": format_money(b.spent),
                            "available": format_money(b.available),
                            "carried": format_money(b.carried_in),
                        },
                    )
                    for b in period_balances
                ],
                key="period",
                title=_("The line in each year of the election period"),
                legend=(_("Spent"), _("Not spent")),
            )
            if period_balances
            else None,
            "can_view_commitments": permissions.can_view_commitments(request.user),
        },
    )


def budget_year_csv(request, year: int):
    """The year's figures as CSV (the address older links use; same as ?format=csv)."""
    return BUDGET_LINES.response(
        request, "csv", _year_context(year)["balances"], name=f"budget-{year}"
    )


# Staff: an administrator books and reverses commitments on a line.


@login_required
def line_detail(request, pk: int):
    require(permissions.can_view_commitments(request.user))
    line = get_object_or_404(BudgetLine.objects.select_related("budget_year", "owner"), pk=pk)
    balance = balance_of(line)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST":
        require(permissions.can_book(request.user))
        if form.is_valid():
            try:
                book_commitment(
                    line=line,
                    actor=request.user,
                    source=CommitmentSource.MANUAL,
                    **form.cleaned_data,
                )
            except BudgetError as error:
                form.add_error("amount", str(error))
            else:
                messages.success(request, _("The commitment is booked."))
                return redirect("budgets:line_detail", pk=line.pk)
    commitments = list(
        Commitment.objects.filter(line=line)
        .select_related("created_by", "reversed_by")
        .order_by("-booked_on", "-pk")
    )
    for commitment in commitments:
        commitment.cause_url = cause_url(commitment)
    return render(
        request,
        "budgets/staff/line_detail.html",
        {
            "line": line,
            "balance": balance,
            "form": form,
            "commitments": commitments,
            "can_book": permissions.can_book(request.user),
            "reversal_form": ReversalForm(),
        },
    )


@login_required
@require_POST
def commitment_reverse(request, pk: int):
    require(permissions.can_book(request.user))
    commitment = get_object_or_404(Commitment, pk=pk)
    form = ReversalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A reversal needs a reason."))
    else:
        try:
            reverse_by_hand(
                commitment=commitment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except BudgetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The commitment is reversed."))
    return redirect("budgets:line_detail", pk=commitment.line_id)
