"""The figures of the national comparison: per municipality and year, read from the totals
each municipality keeps (travel.totals, grants.totals) and its population, inside
`every_municipality()`. A fixed number of queries, however many municipalities and trips.

Each figure is worked out here once, in Decimal; the page, its chart and its downloads show
what this gives."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from grants.models import GrantMonthTotal
from grants.selectors import published_figures
from portal.models import Municipality, Population, SiteSettings
from travel.enums import PublicationState
from travel.figures import cost_per_participant, participants
from travel.models import PublicationLagTotal, Trip, TripTotal

CENT = Decimal("0.01")
# The deadline of a municipality that has not set one (SiteSettings' default).
DEFAULT_DEADLINE = SiteSettings._meta.get_field("trip_publication_days").default


def publishing_municipalities() -> list[Municipality]:
    """The municipalities in the comparison, by name, each with its host names (two queries)."""
    return list(
        Municipality.objects.filter(publishes_nationally=True)
        .prefetch_related("hosts")
        .order_by("name", "pk")
    )


def years_with_data(municipalities: list[Municipality]) -> list[int]:
    """The years with published trips or published grant figures, newest first (two queries
    over the kept totals)."""
    keys = [m.pk for m in municipalities]
    trips = TripTotal.objects.filter(municipality__in=keys, trips__gt=0)
    grants = GrantMonthTotal.objects.filter(municipality__in=keys, grants__gt=0)
    years = set(trips.order_by().values_list("year", flat=True).distinct())
    years |= set(grants.order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def per_inhabitant(amount: Decimal | None, inhabitants: int | None) -> Decimal | None:
    """An amount per inhabitant, to the øre; None without a population (or an amount)."""
    if amount is None or not inhabitants:
        return None
    return (Decimal(amount) / inhabitants).quantize(CENT, ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent with one decimal; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figures:
    """One municipality's figures of one year."""

    municipality: Municipality
    year: int
    inhabitants: int | None = None
    trips: int = 0
    cost: Decimal = Decimal("0.00")
    provisional: int = 0
    politicians: int = 0
    officials: int = 0
    participants: int = 0
    deadline_days: int = DEFAULT_DEADLINE
    published_with_date: int = 0
    published_in_time: int = 0
    overdue: int = 0
    grants: int | None = None
    grants_amount: Decimal | None = None
    grants_withheld: bool = False  # a scheme's year too small to publish (portal.statistics)
    notes: list = field(default_factory=list)

    @property
    def cost_per_inhabitant(self) -> Decimal | None:
        return per_inhabitant(self.cost, self.inhabitants)

    @property
    def cost_per_participant(self) -> Decimal | None:
        return cost_per_participant(self.cost, self.participants)

    @property
    def in_time_share(self) -> Decimal | None:
        return share(self.published_in_time, self.published_with_date)

    @property
    def grants_per_inhabitant(self) -> Decimal | None:
        return per_inhabitant(self.grants_amount, self.inhabitants)

    def as_row(self) -> dict:
        """The plain row the downloads write (shell.national.datasets)."""
        m = self.municipality
        return {
            "municipality": m.slug,
            "municipality_name": m.name,
            "region": m.region,
            "currency": m.currency,
            "year": self.year,
            "inhabitants": self.inhabitants,
            "trips": self.trips,
            "cost": self.cost,
            "cost_per_inhabitant": self.cost_per_inhabitant,
            "cost_per_participant": self.cost_per_participant,
            "politicians": self.politicians,
            "officials": self.officials,
            "participants": self.participants,
            "provisional": self.provisional > 0,
            "deadline_days": self.deadline_days,
            "published_in_time": self.published_in_time,
            "in_time_share": self.in_time_share,
            "overdue": self.overdue,
            "grants": self.grants,
            "grants_amount": self.grants_amount,
            "grants_per_inhabitant": self.grants_per_inhabitant,
            "grants_withheld": self.grants_withheld,
        }


def national_figures(
    municipalities: list[Municipality], years: list[int], today: datetime.date | None = None
) -> list[Figures]:
    """Each municipality's figures of each year (municipality by municipality, newest year
    first): seven queries over kept totals, the population, the deadlines and the trips not
    yet published, however many municipalities and trips there are."""
    today = today or timezone.localdate()
    keys = [m.pk for m in municipalities]
    rows = {(m.pk, year): Figures(m, year) for m in municipalities for year in years}
    if not rows:
        return []

    def of(municipality_id, year):
        return rows.get((municipality_id, year))

    for pk, year, inhabitants in Population.objects.filter(
        municipality__in=keys, year__in=years
    ).values_list("municipality", "year", "inhabitants"):
        rows[pk, year].inhabitants = inhabitants

    trips = (
        TripTotal.objects.filter(municipality__in=keys, year__in=years)
        .order_by()
        .values("municipality", "year")
        .annotate(
            trips_=Sum("trips"),
            cost_=Sum("cost"),
            politicians_=Sum("politicians"),
            officials_=Sum("officials"),
            others_=Sum("others"),
            provisional_=Sum("provisional"),
        )
    )
    for total in trips:
        row = of(total["municipality"], total["year"])
        row.trips = total["trips_"] or 0
        row.cost = (total["cost_"] or Decimal(0)).quantize(CENT)
        row.politicians = total["politicians_"] or 0
        row.officials = total["officials_"] or 0
        row.provisional = total["provisional_"] or 0
        row.participants = participants(row.politicians, row.officials, total["others_"] or 0)

    deadlines = dict(
        SiteSettings.objects.filter(municipality__in=keys).values_list(
            "municipality", "trip_publication_days"
        )
    )
    for row in rows.values():
        row.deadline_days = deadlines.get(row.municipality.pk, DEFAULT_DEADLINE)

    lags = PublicationLagTotal.objects.filter(
        municipality__in=keys, year__in=years, trips__gt=0
    ).values_list("municipality", "year", "lag_days", "trips")
    for pk, year, lag_days, count in lags:
        row = rows[pk, year]
        row.published_with_date += count
        if lag_days <= row.deadline_days:
            row.published_in_time += count

    # Trips not yet published, per municipality and day of return: a row per day, only of
    # the drafts (the trips in preparation and those overdue), never the published history.
    drafts = (
        Trip.objects.filter(
            municipality__in=keys,
            state=PublicationState.DRAFT,
            starts_on__gte=datetime.date(min(years), 1, 1),
            starts_on__lte=datetime.date(max(years), 12, 31),
            ends_on__lt=today,
        )
        .order_by()
        .values_list("municipality", "starts_on__year", "ends_on")
        .annotate(count=Count("pk"))
    )
    for pk, year, ends_on, count in drafts:
        row = of(pk, year)
        if row is not None and ends_on + datetime.timedelta(days=row.deadline_days) < today:
            row.overdue += count

    for grant in published_figures(years, with_municipality=True):
        row = of(grant["municipality"], grant["year"])
        if row is None:
            continue
        if grant["suppressed"]:
            row.grants_withheld = True
            continue
        if grant["amount"] is not None:
            row.grants = (row.grants or 0) + grant["trips"]
            row.grants_amount = (row.grants_amount or Decimal(0)) + grant["amount"]
    return sorted(rows.values(), key=lambda row: (row.municipality.name, -row.year))
