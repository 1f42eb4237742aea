"""Grants decided in the past, as the statistics and the budget see them."""

from decimal import Decimal

from django.utils import timezone

from budgets.models import BudgetLine
from budgets.services import book_commitment
from grants.enums import ApplicationState
from tests.factories import GrantApplicationFactory


def decided(*, scheme, amount, when, **extra):
    """A grant decided at `when` and booked on its scheme's line of that year that day, as
    grants.services.approve books a decision (which can only decide today)."""
    application = GrantApplicationFactory(
        scheme=scheme,
        state=ApplicationState.APPROVED,
        amount_requested=amount,
        amount_granted=Decimal(amount),
        decided_at=when,
        **extra,
    )
    book_commitment(
        line=BudgetLine.objects.get(code=scheme.budget_line_code, budget_year__year=when.year),
        amount=Decimal(amount),
        description=f"Grant #{application.pk}",
        source="grant_decision",
        grant_application=application,
        booked_on=timezone.localtime(when).date(),
        actor=None,
    )
    return application
