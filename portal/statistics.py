"""Public statistics that cannot single anyone out.

A group of fewer than STATISTICS_MIN_GROUP people or decisions is shown as "fewer than N",
never as its figures. Grant figures cover only months that have ended, and those months are
added to a published figure in batches of at least STATISTICS_MIN_GROUP decisions
(`released`): comparing the figure on two days never isolates fewer decisions than that.
docs/security/small-groups.md says why and where each rule is used.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone


def is_small(count: int) -> bool:
    return count < settings.STATISTICS_MIN_GROUP


def published_until() -> datetime.datetime:
    """The start of the current month in the portal's time zone: figures stop there."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime(today.year, today.month, 1))


@dataclass(frozen=True)
class Released:
    count: int  # decisions published; 0 when none
    amount: Decimal | None  # their sum; None when none
    until: tuple[int, int] | None  # (year, month) of the last month published
    any: bool  # whether the group has any decision in a month that has ended

    @property
    def suppressed(self) -> bool:
        """Decisions exist, but fewer than the threshold are published: say "fewer than N"."""
        return self.any and is_small(self.count)


def released(months: dict[tuple[int, int], tuple[int, Decimal]]) -> Released:
    """What a group's figures publish of its months that have ended ({(year, month):
    (decisions, amount)}): the months in order, each added only together with the months
    before it that are not yet published, once they hold STATISTICS_MIN_GROUP decisions or
    more. So the published count and amount move only in steps of at least that many
    decisions: the difference between two days is never a small group, let alone one
    decision. The months still waiting are published with a later month that completes a
    batch, or not at all."""
    count, amount, until = 0, Decimal(0), None
    waiting_count, waiting_amount = 0, Decimal(0)
    for month in sorted(months):
        grants, total = months[month]
        waiting_count += grants
        waiting_amount += total or 0
        if waiting_count and not is_small(waiting_count):
            count, amount, until = count + waiting_count, amount + waiting_amount, month
            waiting_count, waiting_amount = 0, Decimal(0)
    return Released(
        count=count,
        amount=amount if count else None,
        until=until,
        any=any(grants for grants, _total in months.values()),
    )
