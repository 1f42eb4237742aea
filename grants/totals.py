"""The decided grants the public statistics add up: per scheme, month of decision, partner
city and (named with its consent) association. Kept by grants.services in the transaction
of each move of a case (see portal.tallies), checked by `manage.py recount`."""

from contextlib import contextmanager

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

from grants.models import GrantMonthTotal, GrantTotal
from grants.selectors import ASSOCIATIONS, granted
from portal.tallies import Tally

NAMED = Q(organisation_may_be_published=True, applicant_kind__in=ASSOCIATIONS) & ~Q(organisation="")


def _counter(*keys: str):
    """Decided grants and amounts of the given applications per `keys` of each decision
    (scheme, year, month, partner_city, association)."""

    def count(applications):
        rows = (
            applications.filter(decided_at__isnull=False)
            .order_by()
            .annotate(
                year=ExtractYear("decided_at"),
                month=ExtractMonth("decided_at"),
                association=Case(
                    When(NAMED, then="organisation"), default=Value(""), output_field=CharField()
                ),
            )
            .values(*keys)
            .annotate(grants=Count("pk"), amount=Sum("amount_granted"))
        )
        for row in rows.iterator(chunk_size=2000):
            yield (
                tuple(row[key] for key in keys),
                {"grants": row["grants"], "amount": row["amount"]},
            )

    return count


GRANT_TOTALS = Tally(
    name="grant statistics",
    model=GrantTotal,
    keys=["scheme_id", "year", "month", "partner_city_id", "association"],
    sums=["grants", "amount"],
    source=granted,
    count=_counter("scheme", "year", "month", "partner_city", "association"),
)
GRANT_MONTHS = Tally(
    name="grant statistics per month",
    model=GrantMonthTotal,
    keys=["scheme_id", "year", "month"],
    sums=["grants", "amount"],
    source=granted,
    count=_counter("scheme", "year", "month"),
)

TALLIES = [GRANT_TOTALS, GRANT_MONTHS]


@contextmanager
def changing(application):
    """Move every grant tally by what a change of one application does (see Tally.change)."""
    with GRANT_TOTALS.change(pk=application.pk), GRANT_MONTHS.change(pk=application.pk):
        yield


def added(application) -> None:
    """Count a case made outside the services (a demo, an import, a test's data)."""
    for tally in TALLIES:
        tally.count_in(pk=application.pk)
