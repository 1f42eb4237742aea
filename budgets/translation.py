"""Names and notes of the budget, stored in every shipped language (portal.i18n)."""

from budgets.models import (
    BudgetLine,
    BudgetYear,
    Committee,
    ElectionPeriod,
    FollowUpRound,
    LineKind,
    StaffResource,
)
from portal.i18n import register_translated

register_translated(Committee, "name", required=("name",))
register_translated(BudgetYear, "note")
register_translated(BudgetLine, "name", required=("name",))
register_translated(LineKind, "name", required=("name",))
register_translated(FollowUpRound, "name", required=("name",))
register_translated(ElectionPeriod, "name")
register_translated(StaffResource, "description", required=("description",))
