from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets.services import BudgetError
from portal import costly
from portal.charts import bar_chart
from portal.forms import ADD_ROW, with_added_row, without_errors
from portal.listpages import list_page, requested_format
from portal.models import SiteSettings
from portal.money import format_money
from portal.opendata import FORMAT_PARAMETER, LIST_PAGE_READS
from portal.pagecache import public_page
from portal.pagination import PAGE_PARAMETER, paginate
from portal.pdf import cached_pdf
from portal.permissions import require
from travel import datasets, permissions, services
from travel.filters import TripFilter
from travel.forms import (
    AccountFormSet,
    ApprovalForm,
    CorrectionForm,
    ProgrammeFormSet,
    ReasonForm,
    ReportForm,
    TravellerFormSet,
    TripForm,
)
from travel.models import Person, Trip
from travel.selectors import (
    TRIP_DETAILS,
    overdue_trips,
    people_who_travelled,
    public_trips,
    publication_due,
    publication_lag,
    travellers_by_year,
    trip_totals,
    with_figures,
    years_of,
)

# People on a page of those who travelled: each brings a row per year they travelled.
PEOPLE_PER_PAGE = 10

# Public


@public_page(reads=(TripFilter, *LIST_PAGE_READS))
def trip_list(request):
    filterset = TripFilter(request.GET, queryset=public_trips())
    trips = filterset.qs if filterset.is_valid() else public_trips().none()
    kept = filterset.kept()
    # The totals say how many trips there are too: the page does not count them again.
    totals = cache(lambda: _trip_totals(None if kept is not None else trips, kept))
    return list_page(
        request,
        "travel/trip_list.html",
        datasets.TRIPS,
        trips,
        filter=filterset,
        totals=totals,
        count=lambda: totals()["count"],
    )


def _public_trip(slug: str) -> Trip:
    return get_object_or_404(
        public_trips().select_related("budget_line__budget_year").prefetch_related(*TRIP_DETAILS),
        slug=slug,
    )


def _trip_context(trip: Trip) -> dict:
    return {
        "trip": trip,
        "lag": publication_lag(trip),
        "account_lines": list(trip.account_lines.all()),
    }


@public_page
def trip_detail(request, slug: str):
    trip = _public_trip(slug)
    return render(request, "travel/trip_detail.html", _trip_context(trip))


def trip_pdf(request, slug: str):
    if refused := costly.too_many(request, costly.PDF):
        return refused
    trip = _public_trip(slug)
    pdf = cached_pdf(
        request,
        f"trip:{trip.pk}",
        lambda: render_to_string("travel/trip_pdf.html", _trip_context(trip), request=request),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{trip.slug}.pdf"'
    return response


def _trip_totals(trips, kept: dict | None) -> dict:
    """What the filtered trips (None: the published trips `kept` selects from the kept
    totals) cost per year and per committee, as tables and as bars, and how many they are."""
    totals = trip_totals(trips, kept)
    charts = [
        bar_chart(
            [(row["group"], row["cost"], None, _cost_text(row)) for row in totals[groups]],
            key=key,
            title=title,
        )
        for groups, key, title in (
            ("by_year", "trips-year", _("What the trips cost per year")),
            ("by_committee", "trips-committee", _("What the trips cost per committee")),
        )
    ]
    return {**totals, "charts": charts}


def _cost_text(total: dict) -> str:
    """A total's cost as its bar says it: marked as its table marks it when it includes a
    trip whose cost is provisional."""
    cost = format_money(total["cost"])
    if total["provisional"]:
        return _("%(cost)s (provisional)") % {"cost": cost}
    return cost


@public_page(reads=[FORMAT_PARAMETER, PAGE_PARAMETER])
def people(request):
    """Everyone who travelled, with their trips and cost per year."""
    if fmt := requested_format(request):
        return datasets.TRAVELLERS.response(request, fmt, travellers_by_year())
    page = paginate(request, people_who_travelled(), per_page=PEOPLE_PER_PAGE)
    rows = years_of(list(page))
    return render(
        request,
        "travel/people.html",
        {
            "rows": rows,
            "provisional": any(row["provisional"] for row in rows),
            "page": page,
            "dataset": datasets.TRAVELLERS,
        },
    )


@public_page(reads=[FORMAT_PARAMETER])
def person_detail(request, slug: str):
    person = get_object_or_404(Person, slug=slug)
    trips = list(public_trips().filter(travellers__person=person))
    if not trips:
        raise Http404
    if fmt := requested_format(request):
        return datasets.PERSON_TRIPS.response(request, fmt, trips, name=f"trips-{person.slug}")
    # Each year's total as the people who travelled list it: the kept total (travel.totals),
    # provisional when any of the year's trips is.
    years = {row["year"]: {**row, "trips": []} for row in years_of([person])}
    for trip in trips:
        years[trip.starts_on.year]["trips"].append(trip)
    return render(
        request,
        "travel/person.html",
        {
            "person": person,
            "years": years.values(),
            "provisional": any(year["provisional"] for year in years.values()),
            "dataset": datasets.PERSON_TRIPS,
        },
    )


@public_page
def overdue(request):
    """Trips past the municipality's deadline for publication: public, but nothing of the
    draft beyond who sent it, its dates and what it booked."""
    days = SiteSettings.current().trip_publication_days
    return render(
        request,
        "travel/overdue.html",
        {"trips": overdue_trips(timezone.localdate(), days), "days": days},
    )


# Staff


@login_required
def staff_trip_list(request):
    require(permissions.can_manage_trips(request.user))
    days = SiteSettings.current().trip_publication_days
    today = timezone.localdate()
    page = paginate(request, with_figures(Trip.objects.select_related("committee")))
    for trip in page:
        trip.due = publication_due(trip, days)
        trip.overdue = not trip.is_public and trip.due < today
    return render(
        request,
        "travel/staff/trip_list.html",
        {"trips": page.object_list, "page": page, "days": days},
    )


ROW_PREFIXES = ("travellers", "programme", "accounts")


def _edit_forms(request, trip: Trip | None, data=None):
    data = data if data is not None else (request.POST if request.method == "POST" else None)
    instance = trip or Trip()
    return (
        TripForm(data, instance=instance),
        [
            TravellerFormSet(data, instance=instance, prefix="travellers"),
            ProgrammeFormSet(data, instance=instance, prefix="programme"),
            AccountFormSet(data, instance=instance, prefix="accounts"),
        ],
        CorrectionForm(data),
    )


@login_required
def trip_edit(request, pk: int | None = None):
    require(permissions.can_manage_trips(request.user))
    trip = get_object_or_404(Trip, pk=pk) if pk else None
    adding = request.POST.get(ADD_ROW) if request.method == "POST" else None
    if adding in ROW_PREFIXES:
        # Another row, without saving: everything typed is kept, nothing is judged yet.
        trip_form, formsets, correction_form = _edit_forms(
            request, trip, with_added_row(request.POST, adding)
        )
        without_errors(trip_form, correction_form, *formsets)
        added = next(f for f in formsets if f.prefix == adding).forms[-1]
        next(iter(added.visible_fields())).field.widget.attrs["autofocus"] = True
    else:
        trip_form, formsets, correction_form = _edit_forms(request, trip)
    if (
        request.method == "POST"
        and adding not in ROW_PREFIXES
        and all(form.is_valid() for form in [trip_form, correction_form, *formsets])
    ):
        try:
            saved = services.save_trip(
                trip_form=trip_form,
                formsets=formsets,
                actor=request.user,
                correction=correction_form.cleaned_data["correction"],
            )
        except services.TripError as error:
            correction_form.add_error("correction", str(error))
        except BudgetError as error:
            trip_form.add_error("budget_line", str(error))
        else:
            messages.success(request, _("The trip is saved."))
            return redirect("travel:staff_trip", pk=saved.pk)
    return render(
        request,
        "travel/staff/trip_form.html",
        {"trip": trip, "form": trip_form, "formsets": formsets, "correction_form": correction_form},
    )


def _staff_trip(pk: int) -> Trip:
    return get_object_or_404(
        with_figures(
            Trip.objects.select_related("committee", "budget_line__budget_year")
        ).prefetch_related(*TRIP_DETAILS),
        pk=pk,
    )


def _staff_trip_page(request, trip: Trip, *, report_form=None, approval_form=None):
    return render(
        request,
        "travel/staff/trip.html",
        {
            **_trip_context(trip),
            "report_form": ReportForm(instance=trip) if report_form is None else report_form,
            "approval_form": ApprovalForm() if approval_form is None else approval_form,
            "reason_form": ReasonForm(),
        },
    )


@login_required
def staff_trip(request, pk: int):
    require(permissions.can_manage_trips(request.user))
    trip = _staff_trip(pk)
    report_form = ReportForm(request.POST or None, instance=trip)
    if request.method == "POST":
        if trip.report_is_public:
            messages.error(request, _("An approved report is not changed. Take it down first."))
        elif report_form.is_valid():
            report_form.save()
            messages.success(request, _("The report is saved."))
            return redirect("travel:staff_trip", pk=trip.pk)
    return _staff_trip_page(request, trip, report_form=report_form)


def _action(request, pk: int, action) -> HttpResponse:
    require(permissions.can_manage_trips(request.user))
    trip = get_object_or_404(Trip, pk=pk)
    try:
        message = action(trip)
    except services.TripError as error:
        messages.error(request, str(error))
    else:
        if message:
            messages.success(request, message)
    return redirect("travel:staff_trip", pk=trip.pk)


@login_required
@require_POST
def trip_publish(request, pk: int):
    def publish(trip):
        services.publish_trip(trip=trip, actor=request.user)
        return _("The trip is published.")

    return _action(request, pk, publish)


@login_required
@require_POST
def trip_unpublish(request, pk: int):
    def unpublish(trip):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise services.TripError(_("Say why the trip is taken down."))
        services.unpublish_trip(trip=trip, actor=request.user, reason=form.cleaned_data["reason"])
        return _("The trip is taken down from the public pages.")

    return _action(request, pk, unpublish)


@login_required
@require_POST
def trip_approve_report(request, pk: int):
    """The committee's approval: a mistake is shown at its field on the trip's page, with
    what was typed kept; nothing is saved until all of it holds."""
    require(permissions.can_manage_trips(request.user))
    trip = _staff_trip(pk)
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.approve_report(trip=trip, actor=request.user, **form.cleaned_data)
        except services.TripError as error:
            if error.field is None:  # the trip is not ready (a state, not what was typed)
                messages.error(request, str(error))
                return redirect("travel:staff_trip", pk=trip.pk)
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The report is approved and published."))
            return redirect("travel:staff_trip", pk=trip.pk)
    return _staff_trip_page(request, trip, approval_form=form)
