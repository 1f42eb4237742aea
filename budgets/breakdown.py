"""Every krone on a budget line, followed to what it paid for.

A line's commitments are grouped by their cause: each trip (published: a link; not yet
published: who sent it, its dates and when it is due, nothing more), the grants of each
scheme in the line's year exactly as the grant statistics publish them (a count and a sum,
never a person, no payments; a group too small shows neither: budgets.selectors.
public_figures), and each manual entry by its public description. Reversals fall into the
group of what they reverse, so the groups add up to the line's public committed and spent
amounts to the krone.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from budgets.enums import CommitmentSource
from budgets.models import BudgetLine, Commitment
from portal.choices import label_of
from portal.dates import short_date

ZERO = Decimal("0.00")


@dataclass
class Cause:
    kind: str  # "trip", "unpublished_trip", "grants", "entry"
    label: str
    committed: Decimal | None = ZERO  # grants: None when too few to say
    spent: Decimal | None = ZERO  # grants: None, their payments are not published
    url: str = ""
    count: int | None = None  # grants: how many, None when too few to say
    booked_on: datetime.date | None = None
    detail: dict = field(default_factory=dict)
    # A published trip whose accounts are not final (the trip's own rule,
    # Trip.accounts_are_provisional): its amounts may still change.
    provisional: bool = False

    def add(self, amount: Decimal, is_spent: bool) -> None:
        self.committed += amount
        if is_spent:
            self.spent += amount


def causes_of(line: BudgetLine, grants: list[dict]) -> list[Cause]:
    """The line's money by cause, largest first within each kind; `grants` are the grant
    statistics' rows the line's public balance counts (LineBalance.grants). Two queries."""
    from portal.models import SiteSettings

    commitments = list(
        Commitment.objects.filter(line=line)
        .exclude(source=CommitmentSource.GRANT_DECISION)  # published as `grants` instead
        .order_by("booked_on", "pk")
        .values(
            "pk", "amount", "is_spent", "source", "trip_id", "reverses_id",
            "public_description", "booked_on",
        )
    )  # fmt: skip
    by_pk = {c["pk"]: c for c in commitments}
    trip_ids = {c["trip_id"] for c in commitments} - {None}
    # The trips, through the commitments' key: budgets sits below travel and imports nothing
    # of it.
    trips_paid = Commitment._meta.get_field("trip").related_model.objects
    trips = {
        trip.pk: trip for trip in trips_paid.filter(pk__in=trip_ids).select_related("committee")
    }
    days = SiteSettings.current().trip_publication_days

    causes: dict[tuple, Cause] = {}
    for commitment in commitments:
        original = by_pk.get(commitment["reverses_id"], commitment)
        pk = original["trip_id"]
        amount, is_spent = commitment["amount"], commitment["is_spent"]
        if pk in trips:
            if ("trip", pk) not in causes:
                causes["trip", pk] = _trip_cause(trips[pk], days)
            causes["trip", pk].add(amount, is_spent)
        else:
            if ("entry", original["pk"]) not in causes:
                causes["entry", original["pk"]] = _entry_cause(original)
            causes["entry", original["pk"]].add(amount, is_spent)

    result = [c for c in causes.values() if c.committed or c.spent]
    result += [_grant_cause(row) for row in grants]
    order = {"trip": 0, "unpublished_trip": 1, "grants": 2, "entry": 3}
    return sorted(result, key=lambda c: (order[c.kind], -(c.committed or ZERO), c.label))


def _trip_cause(trip, days: int) -> Cause:
    if trip.is_public:
        return Cause(
            kind="trip",
            label=trip.title,
            url=trip.get_absolute_url(),
            provisional=trip.accounts_are_provisional,
        )
    sender = trip.committee.name if trip.committee_id else trip.unit
    due = trip.ends_on + datetime.timedelta(days=days)
    return Cause(
        kind="unpublished_trip",
        label=_("Trip by %(sender)s, %(dates)s, not yet published")
        % {
            "sender": sender or _("the administration"),
            "dates": _dates(trip.starts_on, trip.ends_on),
        },
        url=reverse("travel:overdue"),
        detail={"due": due, "overdue": due < timezone.localdate()},
    )


def _dates(first: datetime.date, last: datetime.date) -> str:
    return f"{short_date(first)}–{short_date(last)}"


def _entry_cause(commitment: dict) -> Cause:
    label = commitment["public_description"] or (
        _("Booked by hand; no public description was written")
        if commitment["source"] == CommitmentSource.MANUAL
        else label_of(CommitmentSource, commitment["source"])
    )
    return Cause(kind="entry", label=label, booked_on=commitment["booked_on"])


def _grant_cause(row: dict) -> Cause:
    """A scheme's grants in the line's year, as the grant statistics publish them."""
    label = _("%(scheme)s, grants decided in %(year)s") % {
        "scheme": row["scheme_name"],
        "year": row["year"],
    }
    if row["suppressed"]:
        return Cause(
            kind="grants", label=label, committed=None, spent=None, url=_statistics_url(row)
        )
    return Cause(
        kind="grants",
        label=label + " " + _("(until %(month)s)") % {"month": _month(*row["released_until"])},
        committed=row["amount"],
        spent=None,
        url=_statistics_url(row),
        count=row["trips"],
    )


def _statistics_url(row: dict) -> str:
    return reverse("grants:statistics_year", args=[row["year"]])


def _month(year: int, month: int) -> str:
    from django.utils.formats import date_format

    return date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")


KIND_LABELS = {
    "trip": _lazy("Published trips"),
    "unpublished_trip": _lazy("Trips not yet published"),
    "grants": _lazy("Grants"),
    "entry": _lazy("Other entries"),
}


def cause_groups(causes: list[Cause]) -> list[dict]:
    """The causes by kind, in the page's order, each kind with its totals (provisional when
    they include a provisional cause)."""
    groups = []
    for kind, label in KIND_LABELS.items():
        rows = [cause for cause in causes if cause.kind == kind]
        if rows:
            groups.append(
                {
                    "kind": kind,
                    "label": label,
                    "causes": rows,
                    "committed": sum((c.committed or ZERO for c in rows), ZERO),
                    "spent": None
                    if kind == "grants"
                    else sum((c.spent or ZERO for c in rows), ZERO),
                    "provisional": any(cause.provisional for cause in rows),
                }
            )
    return groups
