from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from partnerships.forms import ExchangeForm
from tests.factories import PartnerCityFactory, SchoolFactory


@pytest.fixture
def valid(db):
    city = PartnerCityFactory()
    return {
        "title": "Elevudveksling",
        "kind": "pupil_exchange",
        "school": SchoolFactory(name="Skovlunde Skole").pk,
        "partner_city": city.pk,
        "other_destination": "",
        "direction": "outgoing",
        "starts_on": "2026-10-05",
        "ends_on": "2026-10-16",
        "pupils": "16",
        "teachers": "2",
        "staff": "0",
        "others": "0",
        "status": "planned",
        "report": "",
    }


def errors_of(data) -> dict:
    with override("en"):
        form = ExchangeForm(data=data)
        form.is_valid()
        return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def test_a_complete_registration_is_valid(valid):
    assert errors_of(valid) == {}


def test_one_day_exchange_is_valid(valid):
    assert errors_of({**valid, "ends_on": valid["starts_on"]}) == {}


def test_end_before_start_is_refused(valid):
    assert errors_of({**valid, "ends_on": "2026-10-04"}) == {
        "ends_on": ["The last day cannot be before the first day."]
    }


def test_at_least_one_participant(valid):
    assert errors_of({**valid, "pupils": "0", "teachers": "0"}) == {
        "pupils": ["Give at least one participant: pupils, teachers, staff or others."]
    }


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_counts_are_whole_numbers_of_zero_or_more(valid, value):
    errors = errors_of({**valid, "teachers": value})
    assert list(errors) == ["teachers"]


def test_a_place_is_needed(valid):
    assert errors_of({**valid, "partner_city": ""}) == {
        "partner_city": ["Choose a partner city, or write the place under 'Other place'."]
    }


def test_another_place_instead_of_a_partner_city(valid):
    assert errors_of({**valid, "partner_city": "", "other_destination": "Oslo"}) == {}


def test_not_both_a_partner_city_and_another_place(valid):
    assert errors_of({**valid, "other_destination": "Oslo"}) == {
        "other_destination": ["Leave this empty when the exchange is with a partner city."]
    }


def test_an_exchange_that_has_not_begun_cannot_be_carried_out(valid):
    """Planned is what has not happened yet: the partner city page counts a carried-out
    exchange as done."""
    today = timezone.localdate()
    future = {**valid, "status": "carried_out", "starts_on": str(today + timedelta(days=1))}
    future["ends_on"] = str(today + timedelta(days=5))
    assert errors_of(future) == {
        "status": ["An exchange that has not begun cannot be carried out yet: choose Planned."]
    }
    assert errors_of({**future, "status": "planned"}) == {}
    begun = {**future, "starts_on": str(today)}
    assert errors_of(begun) == {}
