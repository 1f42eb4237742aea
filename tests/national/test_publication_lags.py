"""The publication-lag tally (travel.PublicationLagTotal) moves with the services that
publish and take down a trip, and `recount` finds it equal to the trips."""

import datetime

import pytest
from django.utils import timezone

from portal.tallies import recount
from tests.factories import PersonFactory, TripFactory, UserFactory
from travel.models import PublicationLagTotal
from travel.services import publish_trip, unpublish_trip

pytestmark = pytest.mark.django_db


def lags():
    return sorted(
        PublicationLagTotal.objects.filter(trips__gt=0).values_list("year", "lag_days", "trips")
    )


def test_publishing_and_taking_down_move_the_lags():
    actor = UserFactory()
    returned = timezone.localdate() - datetime.timedelta(days=10)
    trip = TripFactory(
        state="draft",
        published_at=None,
        starts_on=returned - datetime.timedelta(days=3),
        ends_on=returned,
        travellers=[PersonFactory(name="Rejsende")],
        costs=[("transport", 100, 100)],
    )
    trip.programme.create(day=trip.starts_on, what="Møde")
    # Published before its return: counted as published on the day of return.
    TripFactory(
        starts_on=datetime.date(2024, 5, 1),
        ends_on=datetime.date(2024, 5, 10),
        published_at=datetime.datetime(2024, 5, 2, 9, tzinfo=datetime.UTC),
    )
    assert lags() == [(2024, 0, 1)]
    publish_trip(trip=trip, actor=actor)
    year = trip.starts_on.year
    assert lags() == sorted([(2024, 0, 1), (year, 10, 1)])
    assert recount() == {}
    unpublish_trip(trip=trip, actor=actor, reason="Fejl i regnskabet")
    assert lags() == [(2024, 0, 1)]
    assert recount() == {}
