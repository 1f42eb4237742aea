"""Reads of trips for the public pages and the API. Only published trips are public."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Prefetch,
    Sum,
    Value,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from budgets.models import Commitment
from portal import search
from portal.i18n import all_languages, from_row
from travel.enums import ADMINISTRATION, PUBLIC_STATES, PublicationState
from travel.figures import cost_per_participant, participants
from travel.models import (
    HEAD_COUNT,
    PER_PARTICIPANT_ORDER,
    PROVISIONAL,
    Person,
    TravellerYearTotal,
    Trip,
    TripTotal,
    TripTraveller,
)

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
MONEY = DecimalField(max_digits=14, decimal_places=2)


def with_figures(queryset):
    """Annotate trips with their head count and the order of their cost per participant,
    from the figures the services keep on each trip (travel.totals)."""
    return queryset.annotate(head_count=HEAD_COUNT, per_participant_order=PER_PARTICIPANT_ORDER)


# Each trip's travellers with their persons, for a whole list of trips, as a list
# (`trip.traveller_list`): the travellers in one query, then each person once (a person
# travels on many trips of a download's 2,000), cheaper per trip than a related manager or
# a join, which a download of 100,000 trips feels. Give it as prefetch_related(*TRIP_TRAVELLERS).
# In the order they were entered: the trip's edit form, its pages and its downloads agree
# (docs/decisions/travellers-keep-the-order-entered.md).
TRAVELLER_ORDER = ("pk",)
TRIP_TRAVELLERS = (
    Prefetch(
        "travellers",
        queryset=TripTraveller.objects.order_by(*TRAVELLER_ORDER),
        to_attr="traveller_list",
    ),
    "traveller_list__person",
)
# What a trip's own page (public, staff, the API's detail) reads with it.
TRIP_DETAILS = (*TRIP_TRAVELLERS, "programme", "account_lines", "corrections")


@dataclass(frozen=True)
class Traveller:
    """A trip's traveller as `trip.traveller_list` holds them: who, and in what role."""

    person: Person
    role: str


def travellers_of(trip_keys: list[int]) -> dict[int, list[Traveller]]:
    """The travellers of these trips, each trip's in order (`TRAVELLER_ORDER`), for the plain
    rows of a download's chunk (travel.datasets.TRIPS: `traveller_list`): one query for the
    travellers, one for their people (a person travels on many of a chunk's trips)."""
    places = list(
        TripTraveller.objects.filter(trip__in=trip_keys)
        .order_by(*TRAVELLER_ORDER)
        .values_list("trip_id", "person_id", "role")
    )
    people = Person.objects.in_bulk({person for _trip, person, _role in places})
    travellers: dict[int, list[Traveller]] = {}
    for trip, person, role in places:
        travellers.setdefault(trip, []).append(Traveller(people[person], role))
    return travellers


def published():
    """Every public trip: the one definition the lists, the feed, the sitemap, search, the
    filters and the people's pages use. Without the search vector, which only search reads
    (through the index)."""
    return Trip.objects.filter(state__in=PUBLIC_STATES).defer("search_document", "search_text")


def public_trips():
    """The published trips with their figures, for the pages and the API."""
    return with_figures(
        published().select_related("committee", "partner_city", "network", "report_approved_by")
    )


# What the trip totals are kept per: a list filtered by nothing else reads them.
KEPT_PER = ("year", "committee", "country")


def kept_totals(*, year=None, committee=None, country=None):
    """The kept totals of published trips (of a year of departure, a committee, a
    destination country): a few rows per year, however many trips there are."""
    totals = TripTotal.objects.filter(trips__gt=0)
    if year is not None:
        totals = totals.filter(year=year)
    if committee is not None:
        totals = totals.filter(committee=committee)
    if country:
        totals = totals.filter(country=country)
    return totals


def published_count(**kept) -> int:
    """How many trips are published (`kept_totals`' filters): one small query instead of
    counting the trips."""
    return kept_totals(**kept).aggregate(trips=Sum("trips"))["trips"] or 0


def trip_totals(trips=None, kept: dict | None = None) -> dict:
    """Trips, travellers and cost per year of departure (`by_year`, newest first) and per
    committee (`by_committee`: its name in the reader's language as `group`; the
    administration's, ADMINISTRATION, last), and how many trips there are (`count`), from one
    query grouped by year and committee: of the given (filtered) trips, from their kept
    figures; without trips, of the published trips `kept` selects (`kept_totals`; all
    without), from the kept totals (a row per year, committee and country, however many trips
    there are). Each total says how many of its trips are provisional (`provisional`:
    travel.figures.is_provisional), and so is the total; `provisional` on the whole says
    whether any is."""
    names = all_languages("committee__name")
    if trips is None:
        rows = kept_totals(**(kept or {})).annotate(departure_year=F("year"))
        sums = {
            "trips": Sum("trips"),
            "cost": Sum("cost"),
            "others": Sum("others"),
            "provisional": Sum("provisional"),
        }
    else:
        rows = trips.annotate(departure_year=ExtractYear("starts_on"))
        sums = {
            "trips": Count("pk"),
            "cost": Sum("total_actual"),
            "others": Sum("other_participants"),
            "provisional": Count("pk", filter=PROVISIONAL),
        }
    grouped = (
        rows.order_by()
        .values("departure_year", "committee", *names)
        .annotate(**sums, politicians=Sum("politicians"), officials=Sum("officials"))
    )
    by_year: dict = {}
    by_committee: dict = {}
    for row in grouped:
        committee = from_row(row, "committee__name") if row["committee"] else ADMINISTRATION
        for groups, key, group in (
            (by_year, row["departure_year"], row["departure_year"]),
            (by_committee, row["committee"], committee),
        ):
            total = groups.setdefault(key, _no_trips(group))
            total["trips"] += row["trips"]
            total["cost"] += row["cost"] or 0
            total["politicians"] += row["politicians"] or 0
            total["officials"] += row["officials"] or 0
            total["participants"] += participants(
                row["politicians"] or 0, row["officials"] or 0, row["others"] or 0
            )
            total["provisional"] += row["provisional"] or 0
    for total in (*by_year.values(), *by_committee.values()):
        total["per_participant"] = cost_per_participant(total["cost"], total["participants"])
    return {
        "by_year": sorted(by_year.values(), key=lambda row: row["group"], reverse=True),
        # By name, the administration (no committee) last.
        "by_committee": [
            by_committee[key]
            for key in sorted(
                by_committee, key=lambda key: (key is None, str(by_committee[key]["group"]))
            )
        ],
        "count": sum(total["trips"] for total in by_year.values()),
        "provisional": any(total["provisional"] for total in by_year.values()),
    }


def _no_trips(group) -> dict:
    return {
        "group": group,
        "trips": 0,
        "cost": Decimal("0.00"),
        "politicians": 0,
        "officials": 0,
        "participants": 0,
        "provisional": 0,
    }


def publication_lag(trip: Trip) -> int | None:
    """Days from return to publication (negative: published before the return), counted in
    the portal's time zone: published at 00:30 in Copenhagen is that day, not the day before."""
    if trip.published_at is None:
        return None
    return (timezone.localdate(trip.published_at) - trip.ends_on).days


def publication_due(trip: Trip, days: int) -> datetime.date:
    return trip.ends_on + datetime.timedelta(days=days)


TRIP_TEXT = [*all_languages("title"), *all_languages("purpose"), "destination_city"]
PROGRAMME_TEXT = [*all_languages("what"), "where", "with_whom"]


def search_trips(query: str):
    """Published trips whose title, purpose, programme, approved report, committee,
    destination or partner city match, through each trip's kept search text (travel.totals;
    portal.search); ranked by relevance on PostgreSQL."""
    found = published().filter(search.matches_text("search_text", query))
    return search.ranked_by_document(
        found,
        public_trips(),
        "search_document",
        query,
        "-starts_on",
        "-pk",
    )


def _overdue(today: datetime.date, days: int):
    return Trip.objects.filter(
        state=PublicationState.DRAFT, ends_on__lt=today - datetime.timedelta(days=days)
    )


def overdue_trips_count(today: datetime.date, days: int) -> int:
    return _overdue(today, days).count()


def overdue_trips(today: datetime.date, days: int) -> list[Trip]:
    """Trips not published within `days` of their return: who sent them, their dates, what
    they booked and how many days overdue. Nothing else of a draft is public. Two queries."""
    trips = list(_overdue(today, days).select_related("committee").order_by("ends_on", "pk"))
    booked = dict(
        Commitment.objects.filter(trip__in=trips)
        .values("trip")
        .annotate(total=Sum("amount"))
        .values_list("trip", "total")
    )
    for trip in trips:
        trip.booked = booked.get(trip.pk, Decimal("0.00"))
        trip.due = publication_due(trip, days)
        trip.days_overdue = (today - trip.due).days
    return trips


# People whose rows travellers_by_year makes at a time: what it holds in memory.
PEOPLE_AT_A_TIME = 100


def travellers_by_year() -> Iterator[dict]:
    """Everyone who went on a published trip, per person and year: trips, their cost per
    participant added up, and whether any is provisional. Ordered by name, then newest year.

    Made PEOPLE_AT_A_TIME people at a time (two queries each: the people, then their
    published trips with the figures), so a download of every person holds one batch,
    however many trips there are."""
    batch: list[Person] = []
    for person in people_who_travelled().iterator(chunk_size=PEOPLE_AT_A_TIME):
        batch.append(person)
        if len(batch) == PEOPLE_AT_A_TIME:
            yield from years_of(batch)
            batch = []
    if batch:
        yield from years_of(batch)


def people_who_travelled():
    """Everyone who went on a published trip, by name (from the totals kept per traveller and
    year, travel.totals: not a pass over every trip)."""
    return Person.objects.filter(
        pk__in=TravellerYearTotal.objects.filter(trips__gt=0).values("person")
    ).order_by("name", "pk")


def years_of(people: list[Person]) -> list[dict]:
    """The rows of `travellers_by_year` for these people: one query over the totals kept per
    traveller and year (travel.totals), a row per person and year, however many trips each
    made."""
    by_pk = {person.pk: person for person in people}
    totals = TravellerYearTotal.objects.filter(person__in=by_pk, trips__gt=0).order_by()
    order = {person.pk: position for position, person in enumerate(people)}
    rows = [
        {
            "person": by_pk[total.person_id],
            "year": total.year,
            "trips": total.trips,
            "cost": total.cost,
            "provisional": total.provisional > 0,
        }
        for total in totals
    ]
    return sorted(rows, key=lambda row: (order[row["person"].pk], -row["year"]))


def search_travellers(query: str):
    """People who went on a published trip, by name."""
    people = people_who_travelled()
    return search.ranked(
        people.filter(search.matches(people, ["name"], query)), ["name"], query, "name"
    )
