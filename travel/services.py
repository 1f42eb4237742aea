"""Every change of a trip's publication, and its link to the budget.

A trip's actual costs are booked as commitments on the budget line that paid,
so the budget pages and the trip pages agree to the krone.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.enums import CommitmentSource
from budgets.models import Commitment, Committee
from budgets.selectors import open_bookings
from budgets.services import book_commitment, reverse_commitment
from portal import audit
from portal.i18n import in_default_language
from portal.slugs import slugify_name
from travel import corrections, totals
from travel.enums import PublicationState
from travel.models import Correction, Person, Trip


class TripError(Exception):
    """A rule refused the change; the message is for the user, about the form's `field` when
    it names one (None: the whole change)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def person_named(name: str, kind: str) -> Person:
    """The traveller of that name (case-insensitive), made on first mention.

    The same name is the same person on every trip, so their page collects them.
    """
    name = name.strip()
    person = Person.objects.filter(name__iexact=name).first()
    if person is None:
        person = Person.objects.create(name=name, kind=kind, slug=unique_slug(Person, name))
    return person


# Room in a slug field (50) for the "-2" that tells two of the same text apart.
SLUG_BASE_LENGTH = 45


def unique_slug(model, text: str) -> str:
    """A slug for `text` no other row of `model` has: shortened to SLUG_BASE_LENGTH at most,
    never starting or ending with a hyphen (cut where a word ends, a hyphen would be left at
    the end of the address), then numbered if taken."""
    base = slugify_name(text)[:SLUG_BASE_LENGTH].strip("-") or "x"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def trip_has_bookings(trip: Trip) -> bool:
    """Whether the trip ever booked money; its bookings then keep it."""
    return Commitment.objects.filter(trip=trip).exists()


def sync_trip_commitments(*, trip: Trip, actor) -> None:
    """Make the commitments for this trip equal its actual costs on the line that paid.

    Side effects: reverses the trip's earlier commitments and books the new
    total when either the total or the line changed. Raises BudgetError when the
    line cannot bear the cost.
    """
    # The trip's actual cost as travel.totals keeps it (its one computation, which
    # `manage.py recount` proves), read afresh: the caller may hold an older copy.
    total = Trip.objects.values_list("total_actual", flat=True).get(pk=trip.pk)
    booked = list(open_bookings(trip=trip))
    if (
        sum((c.amount for c in booked), Decimal("0.00")) == total
        and all(c.line_id == trip.budget_line_id for c in booked)
        and (booked or total == 0)
    ):
        return
    with transaction.atomic():
        for commitment in booked:
            reverse_commitment(
                commitment=commitment, actor=actor, reason=_("The trip's accounts changed.")
            )
        if total > 0 and trip.budget_line_id:
            book_commitment(
                line=trip.budget_line,
                amount=total,
                actor=actor,
                source=CommitmentSource.TRIP_ACCOUNTS,
                trip=trip,
                description=_("Trip: %(title)s") % {"title": trip.title},
                booked_on=trip.ends_on,
                is_spent=True,
            )


def save_trip(*, trip_form, formsets, actor, correction: str = "") -> Trip:
    """Save a trip with its travellers, programme and accounts, and book its costs.

    A published trip is never changed silently: the change needs a note, which
    is shown on the public page with what changed, old and new (travel.corrections), and
    moves the trip's entry in the feed. Side effects: the rows, commitments, a
    Correction, the trip's corrected_at and audit entries. Raises TripError or BudgetError.
    """
    trip = trip_form.instance
    was_public = trip.pk is not None and trip.is_public
    changed = trip_form.has_changed() or any(formset.has_changed() for formset in formsets)
    if was_public and changed and not correction.strip():
        raise TripError(_("The trip is published: say what you corrected."))
    with transaction.atomic():
        before = corrections.record_of(trip) if was_public and changed else None
        if trip.pk is None:
            trip.created_by = actor
            trip = _save_rows(trip_form, formsets)
            totals.added(trip)
        else:
            with totals.changing(Q(pk=trip.pk)):
                trip = _save_rows(trip_form, formsets)
        if was_public and changed:
            made = Correction.objects.create(
                trip=trip,
                made_by=actor,
                summary=correction.strip(),
                changes=corrections.changes_between(before, corrections.record_of(trip)),
            )
            trip.corrected_at = made.made_at
            trip.save(update_fields=["corrected_at"])
            audit.record(
                actor=actor, action="trip.correct", obj=trip, summary=trip.title, reason=correction
            )
        sync_trip_commitments(trip=trip, actor=actor)
    return trip


def _save_rows(trip_form, formsets) -> Trip:
    trip = trip_form.save()
    for formset in formsets:
        formset.instance = trip
        formset.save()
    return trip


def change_person(*, person: Person, kind: str) -> Person:
    """Make a traveller a politician or an official (or the reverse): every trip they went
    on counts them anew. Side effects: the person's kind, their trips' figures and totals."""
    with transaction.atomic(), totals.changing(Q(travellers__person=person)):
        person.kind = kind
        person.save(update_fields=["kind"])
    return person


def publish_trip(*, trip: Trip, actor) -> Trip:
    """Make the programme and accounts public. Side effects: state, published_at, audit."""
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        if trip.state != PublicationState.DRAFT:
            raise TripError(_("The trip is already published."))
        if not trip.programme.exists() or not trip.account_lines.exists():
            raise TripError(_("A trip is published with its programme and its accounts."))
        trip.state = PublicationState.PUBLISHED
        trip.published_at = timezone.now()
        with totals.changing(Q(pk=trip.pk)):
            trip.save(update_fields=["state", "published_at"])
        audit.record(actor=actor, action="trip.publish", obj=trip, summary=trip.title)
    return trip


def unpublish_trip(*, trip: Trip, actor, reason: str) -> Trip:
    """Take a trip off the public pages. Side effects: state, audit."""
    if not reason.strip():
        raise TripError(_("Say why the trip is taken down."))
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        if trip.state == PublicationState.DRAFT:
            raise TripError(_("The trip is not published."))
        trip.state = PublicationState.DRAFT
        with totals.changing(Q(pk=trip.pk)):
            trip.save(update_fields=["state"])
        audit.record(
            actor=actor, action="trip.unpublish", obj=trip, summary=trip.title, reason=reason
        )
    return trip


def approve_report(
    *,
    trip: Trip,
    actor,
    approved_on: datetime.date,
    approved_by: Committee,
    agenda_item: str,
    minutes_url: str = "",
) -> Trip:
    """Record the committee's approval of the report and publish it.

    A report is public only after this. Side effects: approval fields, state,
    report_published_at, audit. Raises TripError.
    """
    with transaction.atomic():
        trip = Trip.objects.select_for_update().get(pk=trip.pk)
        if trip.state != PublicationState.PUBLISHED:
            raise TripError(_("Publish the trip's programme and accounts first."))
        if not trip.report.strip():
            raise TripError(_("Write the report before it is approved."))
        if approved_on < trip.ends_on:
            raise TripError(
                _("The report cannot be approved before the trip ended."), field="approved_on"
            )
        if approved_on > timezone.localdate():
            raise TripError(_("The meeting date cannot be in the future."), field="approved_on")
        trip.report_approved_on = approved_on
        trip.report_approved_by = approved_by
        trip.report_agenda_item = agenda_item
        trip.report_minutes_url = minutes_url
        trip.state = PublicationState.REPORT_PUBLISHED
        trip.report_published_at = timezone.now()
        with totals.changing(Q(pk=trip.pk)):  # the report becomes searchable
            trip.save(
                update_fields=[
                    "report_approved_on",
                    "report_approved_by",
                    "report_agenda_item",
                    "report_minutes_url",
                    "state",
                    "report_published_at",
                ]
            )
        audit.record(
            actor=actor,
            action="trip.approve_report",
            obj=trip,
            summary=trip.title,
            approved_on=approved_on,
            committee=in_default_language(approved_by, "name"),
            agenda_item=agenda_item,
        )
    return trip
