"""Pages not covered by their app's tests: the same number of queries for little data and much."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.institutions import ensure_follow_up_rounds
from budgets.models import Milestone
from grants.enums import ApplicationState
from tests.factories import (
    CommitteeFactory,
    ExchangeFactory,
    GrantApplicationFactory,
    InitiativeFactory,
    PersonFactory,
    SchoolFactory,
    TripFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def add_trips(person, count: int):
    for n in range(count):
        trip = TripFactory(
            travellers=[person, PersonFactory(name=f"Official {n}", kind="official")],
            costs=[("transport", 100, 90), ("accommodation", 200, 210)],
            committee=CommitteeFactory(slug=f"c{n}"),
        )
        trip.programme.create(day=trip.starts_on, what="Møde")
        trip.corrections.create(summary="hotelpris")


def add_grants(count: int):
    for _ in range(count):
        GrantApplicationFactory(
            state=ApplicationState.APPROVED,
            amount_granted=Decimal("5000"),
            decided_at=timezone.now(),
            organisation_may_be_published=True,
        )


def add_initiatives(count: int):
    for _ in range(count):
        initiative = InitiativeFactory(budget_year__year=2026)
        for round_ in ("first", "second", "third", "year_end"):
            Milestone.objects.create(
                initiative=initiative, round=ensure_follow_up_rounds()[round_], description="M"
            )


def add_exchanges(count: int):
    """Exchanges of as many schools, registered by as many coordinators (and one by nobody)."""
    ExchangeFactory(registered_by=None)
    for n in range(count):
        ExchangeFactory(
            school=SchoolFactory(name=f"Skole {n}"), registered_by=UserFactory(username=f"k{n}")
        )


@pytest.mark.parametrize(
    ("persona", "url", "make"),
    [
        (
            "anonymous",
            lambda: reverse("travel:person", args=["mette-holm"]),
            lambda n: add_trips(PersonFactory(name="Mette Holm"), n),
        ),
        (
            "secretary",
            lambda: reverse("travel:staff_list"),
            lambda n: add_trips(PersonFactory(name="Mette Holm"), n),
        ),
        (
            "anonymous",
            lambda: reverse("travel:feed"),
            lambda n: add_trips(PersonFactory(name="Mette Holm"), n),
        ),
        ("anonymous", lambda: reverse("grants:statistics"), add_grants),
        ("anonymous", lambda: reverse("grants:schemes"), add_grants),
        ("secretary", lambda: reverse("budgets:staff_follow_up", args=[2026]), add_initiatives),
        (
            "secretary",
            lambda: reverse("budgets:follow_up_round", args=[2026, "first"]),
            add_initiatives,
        ),
        ("coordinator", lambda: reverse("partnerships:exchange_list"), add_exchanges),
    ],
)
def test_queries_do_not_grow_with_the_data(
    client, request, persona, url, make, django_assert_max_num_queries
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    make(1)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url()).status_code == 200
    make(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url()).status_code == 200


def test_a_trip_page_uses_the_same_queries_for_a_short_trip_and_a_long_one(
    client, django_assert_max_num_queries
):
    short = TripFactory(costs=[("transport", 100, 90)], travellers=[PersonFactory(name="A")])
    short.programme.create(day=short.starts_on, what="Møde")
    long = TripFactory(
        costs=[
            (c, 100, 90)
            for c in ("transport", "accommodation", "meals", "per_diem", "fees", "other")
        ],
        travellers=[PersonFactory(name=f"P{n}") for n in range(8)],
    )
    for day in range(5):
        for hour in range(6):
            long.programme.create(
                day=long.starts_on + datetime.timedelta(days=day),
                time=datetime.time(8 + hour),
                what="Møde",
            )
        long.corrections.create(summary=f"rettelse {day}")
    with django_assert_max_num_queries(20) as few:
        client.get(short.get_absolute_url())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(long.get_absolute_url())
