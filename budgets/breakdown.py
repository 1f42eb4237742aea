"""Every krone on a budget line, followed to what it paid for.

A line's commitments are grouped by their cause: each trip (published: a link; not yet
published: who sent it, its dates and when it is due, nothing more), the grants of each
scheme per month of booking (a count and a sum, never a person; months with fewer grants
than STATISTICS_MIN_GROUP are merged, and a merged group still that small shows its sum but
not its count), and each manual entry by its public description. Reversals fall into the
group of what they reverse, so the groups add up to the line's committed and spent amounts
to the krone.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from budgets.enums import CommitmentSource
from budgets.models import BudgetLine, Commitment
from portal.statistics import is_small

ZERO = Decimal("0.00")


@dataclass
class Cause:
    kind: str  # "trip", "unpublished_trip", "grants", "entry"
    label: str
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    url: str = ""
    count: int | None = None  # grants: how many, None when too few to say
    booked_on: datetime.date | None = None
    detail: dict = field(default_factory=dict)

    def add(self, amount: Decimal, is_spent: bool) -> None:
        self.committed += amount
        if is_spent:
            self.spent += amount


def _reference(commitment: dict) -> tuple[str, int | None]:
    kind, _sep, pk = commitment["reference"].partition(":")
    if kind in ("trip", "grant") and pk.isdigit():
        return kind, int(pk)
    return "", None


def causes_of(line: BudgetLine) -> list[Cause]:
    """The line's money by cause, largest first within each kind. Three queries."""
    from grants.models import GrantApplication, GrantScheme
    from portal.models import SiteSettings
    from travel.models import Trip

    commitments = list(
        Commitment.objects.filter(line=line)
        .order_by("booked_on", "pk")
        .values(
            "pk", "amount", "is_spent", "source", "reference", "reverses_id",
            "public_description", "booked_on",
        )
    )  # fmt: skip
    by_pk = {c["pk"]: c for c in commitments}
    references = [_reference(c) for c in commitments]
    trip_ids = {pk for kind, pk in references if kind == "trip"}
    grant_ids = {pk for kind, pk in references if kind == "grant"}
    trips = {
        trip.pk: trip for trip in Trip.objects.filter(pk__in=trip_ids).select_related("committee")
    }
    grants = dict(
        GrantApplication.objects.filter(pk__in=grant_ids).values_list("pk", "scheme__slug")
    )
    schemes = {s.slug: s for s in GrantScheme.objects.filter(slug__in=set(grants.values()))}
    days = SiteSettings.current().trip_publication_days

    causes: dict[tuple, Cause] = {}
    grant_months: dict[str, dict[tuple[int, int], dict]] = defaultdict(dict)
    for commitment in commitments:
        original = by_pk.get(commitment["reverses_id"], commitment)
        kind, pk = _reference(original)
        amount, is_spent = commitment["amount"], commitment["is_spent"]
        if kind == "trip" and pk in trips:
            if ("trip", pk) not in causes:
                causes["trip", pk] = _trip_cause(trips[pk], days)
            causes["trip", pk].add(amount, is_spent)
        elif kind == "grant" and pk in grants:
            month = (original["booked_on"].year, original["booked_on"].month)
            group = grant_months[grants[pk]].setdefault(
                month, {"ids": set(), "committed": ZERO, "spent": ZERO}
            )
            group["ids"].add(pk)
            group["committed"] += amount
            group["spent"] += amount if is_spent else ZERO
        else:
            if ("entry", original["pk"]) not in causes:
                causes["entry", original["pk"]] = _entry_cause(original)
            causes["entry", original["pk"]].add(amount, is_spent)

    result = [c for c in causes.values() if c.committed or c.spent]
    for slug, months in grant_months.items():
        result += _grant_causes(schemes[slug], months)
    order = {"trip": 0, "unpublished_trip": 1, "grants": 2, "entry": 3}
    return sorted(result, key=lambda c: (order[c.kind], -c.committed, c.label))


def _trip_cause(trip, days: int) -> Cause:
    if trip.is_public:
        return Cause(kind="trip", label=trip.title, url=trip.get_absolute_url())
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
    from django.utils.formats import date_format

    return f"{date_format(first, 'SHORT_DATE_FORMAT')}–{date_format(last, 'SHORT_DATE_FORMAT')}"


def _entry_cause(commitment: dict) -> Cause:
    label = commitment["public_description"] or (
        _("Booked by hand; no public description was written")
        if commitment["source"] == CommitmentSource.MANUAL
        else CommitmentSource(commitment["source"]).label
    )
    return Cause(kind="entry", label=label, booked_on=commitment["booked_on"])


def _grant_causes(scheme, months: dict[tuple[int, int], dict]) -> list[Cause]:
    """One cause per month with enough grants; the small months merged into one."""
    causes, small = [], {"ids": set(), "committed": ZERO, "spent": ZERO}
    url = reverse("grants:statistics")
    for (year, month), group in sorted(months.items()):
        if is_small(len(group["ids"])):
            small["ids"] |= group["ids"]
            small["committed"] += group["committed"]
            small["spent"] += group["spent"]
            continue
        causes.append(
            Cause(
                kind="grants",
                label=_("%(scheme)s, grants booked in %(month)s")
                % {"scheme": scheme.name, "month": _month(year, month)},
                committed=group["committed"],
                spent=group["spent"],
                url=url,
                count=len(group["ids"]),
            )
        )
    if small["committed"] or small["spent"] or small["ids"]:
        causes.append(
            Cause(
                kind="grants",
                label=_("%(scheme)s, grants in months with few grants") % {"scheme": scheme.name}
                if causes
                else _("%(scheme)s, grants") % {"scheme": scheme.name},
                committed=small["committed"],
                spent=small["spent"],
                url=url,
                count=None if is_small(len(small["ids"])) else len(small["ids"]),
            )
        )
    return causes


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
    """The causes by kind, in the page's order, each kind with its totals."""
    groups = []
    for kind, label in KIND_LABELS.items():
        rows = [cause for cause in causes if cause.kind == kind]
        if rows:
            groups.append(
                {
                    "kind": kind,
                    "label": label,
                    "causes": rows,
                    "committed": sum((c.committed for c in rows), ZERO),
                    "spent": sum((c.spent for c in rows), ZERO),
                }
            )
    return groups
