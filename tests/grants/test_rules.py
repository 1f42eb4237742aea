"""Eligibility: each rule fails alone, with its message next to its field."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import override

from grants.rules import age_on, eligibility_errors
from tests.factories import GrantSchemeFactory, PartnerCityFactory

TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme():
    return GrantSchemeFactory()


@pytest.fixture
def valid():
    return {
        "applicant_kind": "young_person",
        "applicant_birth_date": datetime.date(2002, 3, 1),
        "departs_on": datetime.date(2027, 2, 28),
        "returns_on": datetime.date(2027, 3, 4),
        "participants": 1,
        "participants_under_25": 1,
        "partner_city": PartnerCityFactory(),
        "other_destination": "",
        "cost_travel": Decimal("2000"),
        "cost_accommodation": Decimal("1000"),
        "cost_other": Decimal("0"),
        "amount_requested": Decimal("3000"),
    }


def errors(scheme, data, today=TODAY):
    with override("en"):
        return {
            field: str(message)
            for field, message in eligibility_errors(scheme, data, today).items()
        }


def test_a_valid_application_breaks_no_rule(scheme, valid):
    assert errors(scheme, valid) == {}


def test_age_is_counted_on_the_day_of_departure():
    assert age_on(datetime.date(2002, 3, 1), datetime.date(2027, 2, 28)) == 24
    assert age_on(datetime.date(2002, 3, 1), datetime.date(2027, 3, 1)) == 25


def test_under_25_on_the_day_of_departure(scheme, valid):
    assert errors(
        scheme,
        {**valid, "departs_on": datetime.date(2027, 3, 1), "returns_on": datetime.date(2027, 3, 4)},
    ) == {"applicant_birth_date": "You must be under 25 on the day of departure."}
    assert list(errors(scheme, {**valid, "applicant_birth_date": None})) == ["applicant_birth_date"]


def test_an_association_needs_participants_under_25(scheme, valid):
    data = {
        **valid,
        "applicant_kind": "youth_association",
        "participants": 5,
        "participants_under_25": 0,
    }
    assert list(errors(scheme, data)) == ["participants_under_25"]
    assert list(errors(scheme, {**data, "participants_under_25": 6})) == ["participants_under_25"]


def test_apply_before_departure(scheme, valid):
    assert errors(scheme, valid, today=datetime.date(2027, 2, 28)) == {
        "departs_on": "Apply before you leave: the departure must be after today."
    }


def test_destination_must_be_a_partner_city_where_the_scheme_says_so(scheme, valid):
    data = {**valid, "partner_city": None, "other_destination": "Oslo"}
    assert errors(scheme, data) == {
        "partner_city": "This scheme is for trips to one of our partner cities."
    }
    scheme.requires_partner_city = False
    assert errors(scheme, data) == {}


def test_only_the_kinds_of_applicant_the_scheme_names(scheme, valid):
    assert list(errors(scheme, {**valid, "applicant_kind": "employee"})) == ["applicant_kind"]


def test_the_scheme_must_be_open(scheme, valid):
    scheme.closes_on = datetime.date(2026, 6, 30)
    assert list(errors(scheme, valid)) == ["__all__"]


def test_not_more_than_the_trip_costs_nor_the_cap(scheme, valid):
    assert errors(scheme, {**valid, "amount_requested": Decimal("3000.01")}) == {
        "amount_requested": "You cannot apply for more than the trip costs."
    }
    data = {**valid, "cost_travel": Decimal("20000"), "amount_requested": Decimal("15001")}
    assert errors(scheme, data) == {
        "amount_requested": "The scheme grants at most DKK\u00a015,000 per application."
    }
