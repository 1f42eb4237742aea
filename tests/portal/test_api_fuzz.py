"""Schemathesis generates requests from the OpenAPI document, valid and invalid, and the
API must never answer with a server error or with an answer the document does not allow."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import PartnerCityFactory, TripFactory


@pytest.fixture
def api_schema(db, settings):
    settings.API_THROTTLE_RATE = "100000/minute"  # the fuzzer is not a journalist
    PartnerCityFactory(slug="wuxi")
    TripFactory(slug="wuxi-2025")
    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction (on PostgreSQL that would abort every later query).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same requests on every run: CI must not be a lottery
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_generated_request_makes_the_api_fail(case):
    # An identifier that names nothing (?focus_area=foaf) is a 400 that says so: such values
    # are valid strings in the document, so "every valid-looking request is accepted" is off.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
