"""What each budget line has committed and spent: its commitments added up as they are
booked (budgets.services), checked against them by `manage.py recount`."""

from django.db.models import Q, Sum

from budgets.enums import CommitmentSource
from budgets.models import BudgetLine, Commitment
from portal.tallies import Tally

GRANT = Q(source=CommitmentSource.GRANT_DECISION)


def _count(commitments):
    rows = (
        commitments.order_by()
        .values("line")
        .annotate(
            committed=Sum("amount"),
            spent=Sum("amount", filter=Q(is_spent=True)),
            grants_committed=Sum("amount", filter=GRANT),
            grants_spent=Sum("amount", filter=GRANT & Q(is_spent=True)),
        )
        .values_list("line", "committed", "spent", "grants_committed", "grants_spent")
    )
    for line, committed, spent, grants_committed, grants_spent in rows.iterator(chunk_size=2000):
        yield (
            (line,),
            {
                "committed": committed,
                "spent": spent,
                "grants_committed": grants_committed or 0,
                "grants_spent": grants_spent or 0,
            },
        )


LINE_TOTALS = Tally(
    name="budget lines",
    model=BudgetLine,
    keys=["pk"],
    sums=["committed", "spent", "grants_committed", "grants_spent"],
    source=Commitment.objects.all,
    count=_count,
    rows_exist=True,
)

TALLIES = [LINE_TOTALS]


def booked(commitment: Commitment) -> None:
    """Add a new commitment (or reversal) to its line's sums."""
    grant = commitment.source == CommitmentSource.GRANT_DECISION
    spent = commitment.amount if commitment.is_spent else 0
    LINE_TOTALS.add(
        {
            (commitment.line_id,): {
                "committed": commitment.amount,
                "spent": spent,
                "grants_committed": commitment.amount if grant else 0,
                "grants_spent": spent if grant else 0,
            }
        }
    )


def paid_out(commitment: Commitment) -> None:
    grant = commitment.source == CommitmentSource.GRANT_DECISION
    sums = {"spent": commitment.amount, "grants_spent": commitment.amount if grant else 0}
    LINE_TOTALS.add({(commitment.line_id,): sums})


def paid_back(commitment: Commitment) -> None:
    """A payment reversed: the commitment's amount leaves the line's spent sums again."""
    grant = commitment.source == CommitmentSource.GRANT_DECISION
    sums = {"spent": -commitment.amount, "grants_spent": -commitment.amount if grant else 0}
    LINE_TOTALS.add({(commitment.line_id,): sums})
