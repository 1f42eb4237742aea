"""What each budget line has committed and spent: its commitments added up as they are
booked (budgets.services), checked against them by `manage.py recount`."""

from django.db.models import Q, Sum

from budgets.models import BudgetLine, Commitment
from portal.tallies import Tally


def _count(commitments):
    rows = (
        commitments.order_by()
        .values("line")
        .annotate(committed=Sum("amount"), spent=Sum("amount", filter=Q(is_spent=True)))
        .values_list("line", "committed", "spent")
    )
    for line, committed, spent in rows.iterator(chunk_size=2000):
        yield (line,), {"committed": committed, "spent": spent}


LINE_TOTALS = Tally(
    name="budget lines",
    model=BudgetLine,
    keys=["pk"],
    sums=["committed", "spent"],
    source=Commitment.objects.all,
    count=_count,
    rows_exist=True,
)

TALLIES = [LINE_TOTALS]


def booked(commitment: Commitment) -> None:
    """Add a new commitment (or reversal) to its line's sums."""
    LINE_TOTALS.add(
        {
            (commitment.line_id,): {
                "committed": commitment.amount,
                "spent": commitment.amount if commitment.is_spent else 0,
            }
        }
    )


def paid_out(commitment: Commitment) -> None:
    LINE_TOTALS.add({(commitment.line_id,): {"spent": commitment.amount}})
