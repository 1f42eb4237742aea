"""The decided grants the public statistics add up: per scheme, month of decision, partner
city and (named with its consent) association. Kept by grants.services in the transaction
of each move of a case (see portal.tallies), checked by `manage.py recount`."""

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

from grants.models import GrantTotal
from grants.selectors import ASSOCIATIONS, granted
from portal.tallies import Tally

NAMED = Q(organisation_may_be_published=True, applicant_kind__in=ASSOCIATIONS) & ~Q(organisation="")


def _count(applications):
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
        .values("scheme", "year", "month", "partner_city", "association")
        .annotate(grants=Count("pk"), amount=Sum("amount_granted"))
    )
    for row in rows.iterator(chunk_size=2000):
        key = (row["scheme"], row["year"], row["month"], row["partner_city"], row["association"])
        yield key, {"grants": row["grants"], "amount": row["amount"]}


GRANT_TOTALS = Tally(
    name="grant statistics",
    model=GrantTotal,
    keys=["scheme_id", "year", "month", "partner_city_id", "association"],
    sums=["grants", "amount"],
    source=granted,
    count=_count,
)

TALLIES = [GRANT_TOTALS]


def added(application) -> None:
    """Count a case made outside the services (a demo, an import, a test's data)."""
    GRANT_TOTALS.count_in(pk=application.pk)
