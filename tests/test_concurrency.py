"""Fifty people spending one budget line at the same moment (PostgreSQL: real row locks)."""

import threading
from contextvars import copy_context  # each thread in the test's municipality
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from budgets.enums import CommitmentSource
from budgets.models import Commitment
from budgets.selectors import balance_of
from budgets.services import BudgetError, book_commitment
from grants import services
from grants.enums import ApplicationState
from grants.models import GrantApplication
from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    GrantApplicationFactory,
    UserFactory,
)

S = ApplicationState


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_fifty_approvals_and_bookings_at_once_never_overspend_and_never_lose_one():
    line = BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year),
        code="INT-UNG",
        amount=Decimal("60000"),
    )
    administrator = UserFactory(username="admin-racer")
    work = [
        (
            "approve",
            GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=3000),
            UserFactory(),
        )
        for _ in range(25)
    ] + [("book", None, administrator) for _ in range(25)]
    start = threading.Barrier(len(work))
    outcomes: list[tuple[str, str]] = []

    def act(kind, application, user):
        start.wait()
        try:
            if kind == "approve":
                services.approve(application=application, officer=user, amount="3000")
            else:
                book_commitment(
                    line=line,
                    amount=Decimal("2000"),
                    description="Manuel bogføring",
                    source=CommitmentSource.MANUAL,
                    manual_cause="membership",
                    actor=user,
                )
            outcomes.append((kind, "done"))
        except BudgetError:
            outcomes.append((kind, "refused"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=copy_context().run, args=[act, *job]) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 50  # nobody crashed
    approved = outcomes.count(("approve", "done"))
    booked = outcomes.count(("book", "done"))
    assert approved + booked < 50  # the line could not pay for everyone
    # Every success left exactly one commitment; no refusal left any.
    assert GrantApplication.objects.filter(state=S.APPROVED).count() == approved
    grants = Commitment.objects.filter(line=line, source=CommitmentSource.GRANT_DECISION)
    manual = Commitment.objects.filter(line=line, source=CommitmentSource.MANUAL)
    assert (grants.count(), manual.count()) == (approved, booked)
    remaining = balance_of(line).remaining
    assert remaining == Decimal("60000") - 3000 * approved - 2000 * booked
    assert Decimal("0") <= remaining < Decimal("3000")  # refused only when it no longer fitted
