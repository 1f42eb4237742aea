"""Load budget and follow-up demo data from a municipality's demo file (idempotent).

Commitments are booked through the service, so the demo obeys the same rules
(and leaves the same audit trail) as a real booking.
"""

import contextlib
import datetime
from decimal import Decimal

from django.db.models import ProtectedError

from budgets.institutions import (
    DEFAULT_FOLLOW_UP_ROUNDS,
    DEFAULT_LINE_KINDS,
    ensure_follow_up_rounds,
    ensure_line_kinds,
)
from budgets.models import (
    BudgetLine,
    BudgetYear,
    Commitment,
    Committee,
    ElectionPeriod,
    FollowUpRound,
    Initiative,
    LineKind,
    Milestone,
    StaffResource,
)
from budgets.services import book_commitment
from portal.demo_file import Reference, Section
from portal.dicts import without

COMMITTEE = Reference("owner", "committees", "slug", Committee)
# The parts of a demo file this app loads (portal.demo_file). A commitment and an
# initiative name their year and line by number and code.
SECTIONS = [
    Section("line_kinds", LineKind, required=("code",)),
    Section("follow_up_rounds", FollowUpRound, required=("code",)),
    Section("committees", Committee, required=("slug",)),
    Section("election_periods", ElectionPeriod, required=("first_year", "last_year")),
    Section(
        "budget_years",
        BudgetYear,
        required=("year",),
        nested=(
            Section(
                "lines",
                BudgetLine,
                required=("code", "kind"),
                references=(
                    COMMITTEE,
                    Reference(
                        "kind",
                        "line_kinds",
                        "code",
                        LineKind,
                        defaults=tuple(kind[0] for kind in DEFAULT_LINE_KINDS),
                    ),
                ),
            ),
        ),
    ),
    Section(
        "staff_resources",
        StaffResource,
        required=("year", "position"),
        handled=("year",),
    ),
    Section(
        "commitments",
        Commitment,
        required=("year", "code", "amount", "booked_on", "description", "source"),
        handled=("year", "code"),
    ),
    Section(
        "initiatives",
        Initiative,
        required=("year", "number", "title"),
        handled=("year",),
        references=(Reference("responsible_committee", "committees", "slug", Committee),),
        nested=(
            Section(
                "milestones",
                Milestone,
                required=("round",),
                references=(
                    Reference(
                        "round",
                        "follow_up_rounds",
                        "code",
                        FollowUpRound,
                        defaults=tuple(each[0] for each in DEFAULT_FOLLOW_UP_ROUNDS),
                    ),
                ),
            ),
        ),
    ),
]


def load(data: dict) -> None:
    # A file that names its own institutions replaces Denmark's, as an administrator would.
    _institutions(data.get("line_kinds"), LineKind, ensure_line_kinds)
    _institutions(data.get("follow_up_rounds"), FollowUpRound, ensure_follow_up_rounds)
    for row in data.get("committees", []):
        Committee.objects.update_or_create(slug=row["slug"], defaults=without(row, "slug"))
    for row in data.get("election_periods", []):
        ElectionPeriod.objects.update_or_create(
            first_year=row["first_year"], defaults=without(row, "first_year")
        )
    for row in data.get("budget_years", []):
        budget_year, _ = BudgetYear.objects.get_or_create(year=row["year"])
        for line in row.get("lines", []):
            defaults = without(line, "code", "owner", "kind")
            defaults["kind"] = LineKind.objects.get(code=line["kind"])
            defaults["owner"] = (
                Committee.objects.get(slug=line["owner"]) if line.get("owner") else None
            )
            BudgetLine.objects.update_or_create(
                budget_year=budget_year, code=line["code"], defaults=defaults
            )
    for row in data.get("staff_resources", []):
        budget_year, _ = BudgetYear.objects.get_or_create(year=row["year"])
        StaffResource.objects.update_or_create(
            budget_year=budget_year,
            position=row["position"],
            defaults=without(row, "year", "position"),
        )
    for row in data.get("commitments", []):
        _book(row)
    for row in data.get("initiatives", []):
        _load_initiative(row)


def _institutions(rows, model, ensure_defaults) -> None:
    """The file's records of `model`, the defaults it does not use removed; or the defaults."""
    if not rows:
        ensure_defaults()
        return
    for row in rows:
        model.objects.update_or_create(code=row["code"], defaults=without(row, "code"))
    unused = model.objects.exclude(code__in=[row["code"] for row in rows])
    for record in unused:  # only what nothing refers to: a line or a milestone keeps its own
        with contextlib.suppress(ProtectedError):
            record.delete()


def _book(row: dict) -> None:
    line = BudgetLine.objects.get(budget_year__year=row["year"], code=row["code"])
    booked_on = datetime.date.fromisoformat(row["booked_on"])
    if Commitment.objects.filter(
        line=line,
        booked_on=booked_on,
        description=row["description"],
        amount=Decimal(row["amount"]),
    ).exists():
        return
    book_commitment(
        line=line,
        amount=row["amount"],
        booked_on=booked_on,
        description=row["description"],
        source=row["source"],
        # A trip's cost is not an entry of its own: it comes with the trip (travel.demo).
        manual_cause=row.get("manual_cause", ""),
        reason=row.get("reason", ""),
        is_spent=row.get("is_spent", False),
        # The seeds' descriptions name no one: they are what the public reads.
        public_description=row.get("public_description", row["description"]),
        actor=None,
    )


def _load_initiative(row: dict) -> None:
    budget_year, _ = BudgetYear.objects.get_or_create(year=row["year"])
    committee = row.get("responsible_committee")
    initiative, _ = Initiative.objects.update_or_create(
        budget_year=budget_year,
        number=row["number"],
        title=row["title"],
        defaults={
            **without(row, "year", "number", "title", "responsible_committee", "milestones"),
            "responsible_committee": Committee.objects.get(slug=committee) if committee else None,
        },
    )
    for milestone in row.get("milestones", []):
        Milestone.objects.update_or_create(
            initiative=initiative,
            round=FollowUpRound.objects.get(code=milestone["round"]),
            defaults=without(milestone, "round"),
        )
