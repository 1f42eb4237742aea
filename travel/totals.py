"""A trip's figures and what the published trips add up to per year and committee, kept
by the services with the rows they come from (see portal.tallies), checked against those
rows by `manage.py recount`.

Every change of a trip's accounts, travellers, state, dates or committee, and of a
traveller's kind, goes through `changing`."""

from contextlib import ExitStack, contextmanager
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from portal import search
from portal.countries import names_everywhere
from portal.i18n import all_languages
from portal.tallies import Tally
from travel.enums import PUBLIC_STATES, PersonKind, PublicationState
from travel.figures import cost_per_participant, is_provisional
from travel.models import (
    HEAD_COUNT,
    PROVISIONAL,
    AccountLine,
    ProgrammeItem,
    PublicationLagTotal,
    TravellerYearTotal,
    Trip,
    TripTotal,
    TripTraveller,
)
from travel.selectors import PROGRAMME_TEXT, TRIP_TEXT

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _counted_figures(trips):
    """Each trip's totals and head counts from its rows (subqueries, so they never multiply)."""

    def account_sum(field):
        total = (
            AccountLine.objects.filter(trip=OuterRef("pk"))
            .order_by()
            .values("trip")
            .annotate(total=Sum(field))
            .values("total")
        )
        return Coalesce(Subquery(total, output_field=MONEY), Value(0, output_field=MONEY))

    def travellers(kind):
        count = (
            TripTraveller.objects.filter(trip=OuterRef("pk"), person__kind=kind)
            .order_by()
            .values("trip")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return Coalesce(Subquery(count), 0)

    rows = (
        trips.order_by()
        .annotate(
            counted_budgeted=account_sum("budgeted"),
            counted_actual=account_sum("actual"),
            counted_politicians=travellers(PersonKind.POLITICIAN),
            counted_officials=travellers(PersonKind.OFFICIAL),
        )
        .values_list(
            "pk", "counted_budgeted", "counted_actual", "counted_politicians", "counted_officials"
        )
    )
    for pk, budgeted, actual, politicians, officials in rows.iterator(chunk_size=2000):
        yield (
            (pk,),
            {
                "total_budgeted": budgeted,
                "total_actual": actual,
                "politicians": politicians,
                "officials": officials,
            },
        )


TRIP_FIGURES = Tally(
    name="trips' figures",
    model=Trip,
    keys=["pk"],
    sums=["total_budgeted", "total_actual", "politicians", "officials"],
    source=Trip.objects.all,
    count=_counted_figures,
    rows_exist=True,
)


def _counted_totals(trips):
    """Published trips per year of departure, committee and country, from their figures: how
    many, their cost and travellers, and how many have provisional accounts."""
    rows = (
        trips.filter(state__in=PUBLIC_STATES)
        .order_by()
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "committee", "destination_country")
        .annotate(
            trips=Count("pk"),
            cost=Sum("total_actual"),
            politicians=Sum("politicians"),
            officials=Sum("officials"),
            others=Sum("other_participants"),
            provisional=Count("pk", filter=PROVISIONAL),
        )
    )
    for row in rows:
        yield (row.pop("year"), row.pop("committee"), row.pop("destination_country")), row


TRIP_TOTALS = Tally(
    name="trip totals",
    model=TripTotal,
    keys=["year", "committee_id", "country"],
    sums=["trips", "cost", "politicians", "officials", "others", "provisional"],
    source=Trip.objects.all,
    count=_counted_totals,
)


def _counted_travellers(trips):
    """Each traveller's published trips per year of departure: how many, their cost per
    participant added up (the rule of travel.figures, each trip rounded as its page shows
    it, so added in Python) and how many have provisional accounts."""
    rows = (
        trips.filter(state__in=PUBLIC_STATES, travellers__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("starts_on"), head_count=HEAD_COUNT)
        .values_list("travellers__person", "year", "total_actual", "head_count", "accounts_status")
    )
    sums: dict[tuple[int, int], dict] = {}
    for person, year, total_actual, head_count, accounts_status in rows.iterator(chunk_size=2000):
        row = sums.setdefault(
            (person, year), {"trips": 0, "cost": Decimal("0.00"), "provisional": 0}
        )
        row["trips"] += 1
        row["cost"] += cost_per_participant(total_actual, head_count) or Decimal("0.00")
        row["provisional"] += is_provisional(accounts_status)
    yield from sums.items()


TRAVELLER_TOTALS = Tally(
    name="trips per traveller and year",
    model=TravellerYearTotal,
    keys=["person_id", "year"],
    sums=["trips", "cost", "provisional"],
    source=Trip.objects.all,
    count=_counted_travellers,
)


def _counted_lags(trips):
    """Published trips per year of departure and days from return to publication (as
    travel.selectors.publication_lag counts them; 0 for the day of return or before). The
    lag is worked out in Python, the same on every database."""
    rows = (
        trips.filter(state__in=PUBLIC_STATES, published_at__isnull=False)
        .order_by()
        .values_list("starts_on", "ends_on", "published_at")
    )
    sums: dict[tuple[int, int], dict] = {}
    for starts_on, ends_on, published_at in rows.iterator(chunk_size=2000):
        lag = max(0, (timezone.localdate(published_at) - ends_on).days)
        sums.setdefault((starts_on.year, lag), {"trips": 0})["trips"] += 1
    yield from sums.items()


PUBLICATION_LAGS = Tally(
    name="trips per days to publication",
    model=PublicationLagTotal,
    keys=["year", "lag_days"],
    sums=["trips"],
    source=Trip.objects.all,
    count=_counted_lags,
)

# In the order a recount must make them: the totals add up the trips' figures.
TALLIES = [TRIP_FIGURES, TRIP_TOTALS, TRAVELLER_TOTALS, PUBLICATION_LAGS]


def _document():
    """A trip's searchable text as one vector: its own texts, its programme's and, once
    public, its report's, each column in its language (what search_trips searches)."""
    from django.contrib.postgres.aggregates import StringAgg

    def programme(field):
        text = (
            ProgrammeItem.objects.filter(trip=OuterRef("pk"))
            .order_by()
            .values("trip")
            .annotate(text=StringAgg(field, " "))
            .values("text")
        )
        return Coalesce(Subquery(text), Value(""), output_field=TextField())

    def report(field):
        return Case(
            When(state=PublicationState.REPORT_PUBLISHED, then=F(field)),
            default=Value(""),
            output_field=TextField(),
        )

    texts = [
        *[(field, field) for field in TRIP_TEXT],
        *[(programme(field), field) for field in PROGRAMME_TEXT],
        *[(report(field), field) for field in all_languages("report")],
    ]
    return search.vector(
        [text for text, _field in texts], [search.language_of(field) for _text, field in texts]
    )


# What else a trip is found by: its committee's name and its country's, in every language.
COMMITTEE_NAMES = [f"committee__{field}" for field in all_languages("name")]
TEXT_BATCH = 500


def index_text(trips: Q | None = None) -> None:
    """Make the search texts (portal.search.document), and on PostgreSQL the vectors it
    ranks by, of the trips matched: one UPDATE for the vectors; for the texts, the trips'
    rows, their programmes' and an UPDATE a batch at a time."""
    matched = Trip.objects.filter(trips or Q())
    if connection.vendor == "postgresql":
        matched.update(search_document=_document())
    report = all_languages("report")
    fields = ["pk", "state", "destination_country", *TRIP_TEXT, *report, *COMMITTEE_NAMES]
    rows = matched.order_by("pk").values(*fields, "partner_city__name")
    batch = []

    def write(batch):
        programme = {}
        items = ProgrammeItem.objects.filter(trip__in=[row["pk"] for row in batch])
        for item in items.order_by("trip", "day", "pk").values("trip", *PROGRAMME_TEXT):
            programme.setdefault(item["trip"], []).extend(search.column_texts(item, PROGRAMME_TEXT))
        Trip.objects.bulk_update(
            [Trip(pk=row["pk"], search_text=_search_text(row, programme)) for row in batch],
            ["search_text"],
        )

    for row in rows.iterator(chunk_size=TEXT_BATCH):
        batch.append(row)
        if len(batch) == TEXT_BATCH:
            write(batch)
            batch = []
    if batch:
        write(batch)


def _search_text(row: dict, programme: dict) -> str:
    texts = search.column_texts(row, TRIP_TEXT)
    if row["state"] == PublicationState.REPORT_PUBLISHED:
        texts += search.column_texts(row, all_languages("report"))
    texts += programme.get(row["pk"], [])
    texts += [(row[name], search.language_of(name)) for name in COMMITTEE_NAMES if row[name]]
    texts += [(row["partner_city__name"] or "", None)]
    texts += [(name, None) for name in names_everywhere(row["destination_country"])]
    texts += search.in_every_language(Trip._meta.verbose_name, Trip._meta.verbose_name_plural)
    return search.document(texts)


# What `manage.py recount --fix` also remakes: derived data that is not a sum.
REMAKE = [index_text]


@contextmanager
def changing(trips: Q):
    """Around a change of the trips matched by `trips` (locked first): their figures and
    the totals move with what the block changes. Call inside the change's transaction."""
    ids = list(Trip.objects.select_for_update().filter(trips).order_by("pk").values_list("pk"))
    scope = {"pk__in": [pk for (pk,) in ids]}
    with ExitStack() as stack:
        # The totals first: they are counted after the figures they add up have moved.
        stack.enter_context(TRIP_TOTALS.change(**scope))
        stack.enter_context(TRAVELLER_TOTALS.change(**scope))
        stack.enter_context(PUBLICATION_LAGS.change(**scope))
        stack.enter_context(TRIP_FIGURES.change(**scope))
        yield
    index_text(Q(**scope))


def added(trip: Trip) -> None:
    """Count a trip made outside the services (a demo, an import, a test's data)."""
    for tally in TALLIES:
        tally.count_in(pk=trip.pk)
    index_text(Q(pk=trip.pk))
