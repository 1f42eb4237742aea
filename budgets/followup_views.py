from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from budgets import followup, permissions
from budgets.datasets import INITIATIVES
from budgets.forms import EconomyStatusForm, FollowUpImportForm, InitiativeForm, MilestoneStatusForm
from budgets.models import BudgetYear, FollowUpRound, Initiative
from portal import costly
from portal.csvexport import csv_response
from portal.listpages import redirect_keeping_query, requested_format
from portal.opendata import FORMAT_PARAMETER
from portal.pagecache import public_page
from portal.pdf import cached_pdf
from portal.permissions import require


def _year_with_initiatives(year: int) -> tuple[BudgetYear, list]:
    budget_year = get_object_or_404(BudgetYear, year=year)
    initiatives = list(followup.initiatives_for_year(budget_year))
    for initiative in initiatives:
        initiative.ordered_milestones = followup.milestones_in_order(initiative)
    return budget_year, initiatives


def follow_up_index(request):
    latest = BudgetYear.objects.filter(initiatives__isnull=False).order_by("-year").first()
    if latest is None:
        # A new municipality: an answer, not a 404; a download is the file, empty.
        if fmt := requested_format(request):
            return INITIATIVES.response(request, fmt, [], name="follow-up")
        return render(request, "budgets/follow_up_empty.html")
    return redirect_keeping_query(request, "budgets:follow_up", year=latest.year)


@public_page(reads=[FORMAT_PARAMETER])
def follow_up(request, year: int):
    budget_year, initiatives = _year_with_initiatives(year)
    if fmt := requested_format(request):
        return INITIATIVES.response(request, fmt, initiatives, name=f"follow-up-{year}")
    years = (
        BudgetYear.objects.filter(initiatives__isnull=False)
        .distinct()
        .order_by("-year")
        .values_list("year", flat=True)
    )
    return render(
        request,
        "budgets/follow_up.html",
        {
            "budget_year": budget_year,
            "initiatives": initiatives,
            "years": list(years),
            "is_follow_up": True,
            "dataset": INITIATIVES,
        },
    )


def follow_up_pdf(request, year: int):
    if refused := costly.too_many(request, costly.PDF):
        return refused
    budget_year, initiatives = _year_with_initiatives(year)
    pdf = cached_pdf(
        request,
        f"follow-up:{budget_year.pk}",
        lambda: render_to_string(
            "budgets/follow_up_pdf.html",
            {"budget_year": budget_year, "initiatives": initiatives},
            request=request,
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="follow-up-{year}.pdf"'
    return response


# Staff


@login_required
def staff_follow_up(request, year: int):
    require(permissions.can_edit_follow_up(request.user))
    budget_year, initiatives = _year_with_initiatives(year)
    form = FollowUpImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = followup.import_csv(
                form.cleaned_data["file"].read(), actor=request.user, budget_year=budget_year
            )
        except followup.FollowUpImportError as error:
            for message in error.errors:
                form.add_error("file", message)
        else:
            messages.success(request, _("%(count)s initiatives imported.") % {"count": count})
            return redirect("budgets:staff_follow_up", year=year)
    return render(
        request,
        "budgets/staff/follow_up.html",
        {
            "budget_year": budget_year,
            "initiatives": initiatives,
            "rounds": FollowUpRound.objects.all(),
            "form": form,
        },
    )


@login_required
def follow_up_csv(request, year: int):
    require(permissions.can_edit_follow_up(request.user))
    budget_year = get_object_or_404(BudgetYear, year=year)
    rounds = followup.round_codes()
    return csv_response(
        f"follow-up-{year}.csv",
        followup.columns(rounds),
        followup.export_rows(budget_year, rounds),
    )


@login_required
def initiative_edit(request, pk: int | None = None):
    require(permissions.can_edit_follow_up(request.user))
    initiative = get_object_or_404(Initiative, pk=pk) if pk else None
    initial = {}
    if initiative is None and request.GET.get("year", "").isdigit():
        initial["budget_year"] = BudgetYear.objects.filter(year=request.GET["year"]).first()
    form = InitiativeForm(request.POST or None, instance=initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = followup.save_initiative(form=form, actor=request.user)
        messages.success(
            request, _("The initiative %(number)s is saved.") % {"number": saved.number}
        )
        return redirect("budgets:staff_follow_up", year=saved.budget_year.year)
    return render(
        request, "budgets/staff/initiative_form.html", {"form": form, "initiative": initiative}
    )


@login_required
def follow_up_round(request, year: int, round: str):  # noqa: A002 - the domain's word
    require(permissions.can_edit_follow_up(request.user))
    round_ = FollowUpRound.objects.filter(code=round).first()
    if round_ is None:
        raise Http404
    budget_year, initiatives = _year_with_initiatives(year)
    data = request.POST if request.method == "POST" else None
    rows = []
    for initiative in initiatives:
        milestone = next((m for m in initiative.ordered_milestones if m.round.code == round), None)
        milestone_form = (
            MilestoneStatusForm(
                data,
                prefix=f"m{milestone.pk}",
                initial={"smiley": milestone.smiley, "status_text": milestone.status_text},
            )
            if milestone
            else None
        )
        economy_form = EconomyStatusForm(
            data,
            prefix=f"e{initiative.pk}",
            initial={
                "economy_smiley": initiative.economy_smiley,
                "economy_status": initiative.economy_status,
            },
        )
        rows.append((initiative, milestone, milestone_form, economy_form))
    if data is not None and all(
        (m is None or m.is_valid()) and e.is_valid() for _i, _m, m, e in rows
    ):
        followup.record_round(
            entries=[
                (initiative, milestone, m.cleaned_data if m else None, e.cleaned_data)
                for initiative, milestone, m, e in rows
            ],
            actor=request.user,
            budget_year=budget_year,
            round_label=str(round_.name),
        )
        messages.success(request, _("The follow-up is saved."))
        return redirect("budgets:staff_follow_up", year=year)
    return render(
        request,
        "budgets/staff/follow_up_round.html",
        {"budget_year": budget_year, "rows": rows, "round_label": round_.name},
    )
