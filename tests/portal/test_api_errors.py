"""The API answers JSON on every /api/ path, its errors included."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/budget-years/%C2%84/",
        "/api/budget-years/99999/",
        "/api/no-such-list/",
        "/api/trips/%00/",
        "/api/trips/no-such-trip/",
        "/api/partner-cities/%E2%80%AE/",
    ],
)
def test_a_missing_api_resource_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["detail"]


def test_a_programme_time_matches_what_the_api_document_declares(client):
    import datetime
    import re

    from tests.factories import TripFactory

    trip = TripFactory(slug="wuxi")
    trip.programme.create(day=trip.starts_on, time=datetime.time(9, 30), what="Møde")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = json.loads(schema.content)
    declared = document["components"]["schemas"]["ProgrammeItem"]["properties"]["time"]
    assert "format" not in declared
    (item,) = json.loads(client.get("/api/trips/wuxi/").content)["programme"]
    assert item["time"] == "09:30"
    assert re.fullmatch(declared["pattern"], item["time"])
