"""Public statistics that cannot single anyone out.

A group of fewer than STATISTICS_MIN_GROUP people or decisions is shown as "fewer than N",
never as its figures; and grant statistics cover only months that have ended, so comparing
the page on two days never isolates one decision.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def is_small(count: int) -> bool:
    return count < settings.STATISTICS_MIN_GROUP


def published_until() -> datetime.datetime:
    """The start of the current month in the portal's time zone: figures stop there."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime(today.year, today.month, 1))
