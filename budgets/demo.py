"""Load budget and follow-up demo data from a municipality's demo file (idempotent).

Commitments are booked through the service, so the demo obeys the same rules
(and leaves the same audit trail) as a real booking.
"""

import datetime
from decimal import Decimal

from budgets.institutions import ensure_line_kinds
from budgets.models import (
    BudgetLine,
    BudgetYear,
    Commitment,
    Committee,
    ElectionPeriod,
    Initiative,
    LineKind,
    Milestone,
)
from budgets.services import book_commitment
from portal.dicts import without


def load(data: dict) -> None:
    ensure_line_kinds()
    for row in data.get("line_kinds", []):
        LineKind.objects.update_or_create(code=row["code"], defaults=without(row, "code"))
    for row in data.get("committees", []):
        Committee.objects.update_or_create(slug=row["slug"], defaults=without(row, "slug"))
    for row in data.get("election_periods", []):
        ElectionPeriod.objects.get_or_create(**row)
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
    for row in data.get("commitments", []):
        _book(row)
    for row in data.get("initiatives", []):
        _load_initiative(row)


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
            initiative=initiative, round=milestone["round"], defaults=without(milestone, "round")
        )
