"""The open-data API: its document, every endpoint against it, and what it never tells."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from grants.models import GrantApplication
from partnerships.models import PartnerCity
from tests.factories import (
    CityNetworkFactory,
    CommitteeFactory,
    ExchangeFactory,
    NetworkMemberCityFactory,
    PartnerCityFactory,
    PersonFactory,
    TripFactory,
    rows_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # throttle counts live in the cache
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def document(client) -> dict:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _validator(document: dict, schema: dict) -> Draft202012Validator:
    # The document's schemas refer to "#/components/...": give them the components to find.
    return Draft202012Validator({**schema, "components": document["components"]})


def _response_schema(document: dict, path: str) -> dict:
    return document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]


def _walk(client, document) -> dict[str, list]:
    """GET every endpoint of the document (each detail for every item of its list, every
    page of every list) and check each answer against the document. Returns the bodies."""
    bodies: dict[str, list] = {}
    lists = [path for path in document["paths"] if "{" not in path]
    details = [path for path in document["paths"] if "{" in path]
    identifiers: dict[str, list] = {}
    for path in lists:
        validator = _validator(document, _response_schema(document, path))
        url = path
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.json()
            errors = [error.message for error in validator.iter_errors(body)]
            assert errors == [], url
            bodies.setdefault(path, []).append(body)
            items = body["results"] if isinstance(body, dict) and "results" in body else []
            identifiers.setdefault(path, []).extend(items)
            url = body.get("next") if isinstance(body, dict) else None
    for path in details:
        list_path, _, rest = path.partition("{")
        key = rest.partition("}")[0]
        validator = _validator(document, _response_schema(document, path))
        assert identifiers[list_path], f"no items to fetch from {path}"
        for item in identifiers[list_path]:
            url = list_path + str(item[key]) + "/"
            response = client.get(url)
            assert response.status_code == 200, url
            errors = [error.message for error in validator.iter_errors(response.json())]
            assert errors == [], url
            bodies.setdefault(path, []).append(response.json())
    return bodies


def test_the_openapi_document_is_valid_and_names_every_endpoint(document):
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/partner-cities/",
        "/api/partner-cities/{slug}/",
        "/api/networks/",
        "/api/networks/{slug}/",
        "/api/exchanges/",
        "/api/budget-years/",
        "/api/budget-years/{year}/",
        "/api/trips/",
        "/api/trips/{slug}/",
        "/api/grant-statistics/",
    }
    # The HTML lists' filters are the API's parameters.
    trip_parameters = {p["name"] for p in document["paths"]["/api/trips/"]["get"]["parameters"]}
    assert {"year", "committee", "person", "country", "partner_city", "order"} <= trip_parameters


def test_every_endpoint_answers_as_its_document_says(client, demo, document):
    bodies = _walk(client, document)
    trips = [trip for body in bodies["/api/trips/"] for trip in body["results"]]
    assert {trip["slug"] for trip in trips} == {
        "2024-05-bsu-brandenburg",
        "2025-05-kb-brandenburg",
        "2025-10-bsu-wuxi",
        "2026-04-ecn-nacka",
        "2026-09-staff-south-lanarkshire",
    }
    wuxi = next(t for t in bodies["/api/trips/{slug}/"] if t["slug"] == "2025-10-bsu-wuxi")
    assert wuxi["report"]["text"]
    assert wuxi["accounts"] and wuxi["programme"]
    year = next(y for y in bodies["/api/budget-years/{year}/"] if y["year"] == 2025)
    central = sum(float(line["amount"]) for line in year["lines"] if line["kind"] == "central")
    assert central == 522_000


def test_no_response_carries_an_applicants_or_a_contacts_personal_data(client, demo, document):
    applicants = GrantApplication.objects.values_list(
        "applicant_name", "applicant_email", "applicant_phone", "applicant_address"
    )
    secrets = {value for row in applicants for value in row if value}
    contacts = PartnerCity.objects.values_list("contact_name", "contact_email")
    secrets |= {value for row in contacts for value in row if value}
    assert len(secrets) >= 5  # the demo has applicants and contacts to leak
    bodies = _walk(client, document)
    output = [json.dumps(bodies, ensure_ascii=False)]
    for name in (
        "partnerships:city_list",
        "partnerships:network_list",
        "partnerships:charter_list",
        "travel:list",
        "grants:schemes",
        "grants:statistics",
    ):
        for fmt in ("csv", "json"):
            output.append(client.get(reverse(name), {"format": fmt}).getvalue().decode("utf-8-sig"))
    for year in (2024, 2025, 2026):
        output.append(
            client.get(reverse("budgets:year", args=[year]), {"format": "json"}).getvalue().decode()
        )
    output.append(client.get(reverse("data_catalog")).content.decode())
    everything = "\n".join(output)
    assert [secret for secret in secrets if secret in everything] == []


def test_a_filter_selects_the_same_trips_in_the_api_as_on_the_page(client, demo):
    query = {"year": "2025", "order": "-cost"}
    api = client.get(reverse("api:trip-list"), query).json()
    page = json.loads(client.get(reverse("travel:list"), {**query, "format": "json"}).getvalue())
    assert [t["slug"] for t in api["results"]] == [t["slug"] for t in page]
    assert [t["slug"] for t in api["results"]] == ["2025-10-bsu-wuxi", "2025-05-kb-brandenburg"]


def test_a_bad_filter_is_a_clear_400(client, db):
    response = client.get(reverse("api:trip-list"), {"year": "last year"})
    assert response.status_code == 400
    assert "year" in response.json()


def test_paging_through_equal_trips_gives_each_exactly_once(client, db):
    committee = CommitteeFactory()
    for _ in range(120):  # the same date and cost: only the tie-break orders them
        TripFactory(committee=committee, costs=[("transport", 100, 100)])
    seen = []
    url = reverse("api:trip-list") + "?order=cost&page_size=50"
    while url:
        body = client.get(url).json()
        seen += [trip["slug"] for trip in body["results"]]
        url = body["next"]
    assert len(seen) == 120
    assert len(set(seen)) == 120


def test_an_unchanged_answer_is_a_short_304(client, db):
    PartnerCityFactory()
    url = reverse("api:partner-city-list")
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    PartnerCityFactory()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.json()["count"] == 2


def test_any_web_page_may_read_the_api_but_not_with_credentials(client, db):
    response = client.get(reverse("api:trip-list"), headers={"origin": "https://avis.dk"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        reverse("api:trip-list"),
        headers={
            "origin": "https://avis.dk",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    # Downloads are open too; ordinary pages are not.
    download = client.get(reverse("travel:list"), {"format": "csv"})
    assert download["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get(reverse("travel:list"))


def test_the_api_refuses_to_write(client, db):
    city = PartnerCityFactory()
    url = reverse("api:partner-city-detail", args=[city.slug])
    assert client.delete(url).status_code == 405
    assert client.post(reverse("api:partner-city-list"), {"name": "X"}).status_code == 405
    assert PartnerCity.objects.count() == 1


def test_the_throttle_answers_429_with_retry_after(client, db, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    url = reverse("api:partner-city-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another address is not held back by the first one's script.
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_exchanges_are_only_counted_never_named(client, db, settings):
    settings.STATISTICS_MIN_GROUP = 1  # the counting itself; small groups: test_statistics.py
    city = PartnerCityFactory(slug="wuxi")
    ExchangeFactory(partner_city=city, pupils=10, teachers=2, title="Sofies klasse")
    ExchangeFactory(partner_city=city, pupils=5, teachers=1, kind="teacher_exchange")
    ExchangeFactory(partner_city=city, pupils=99, status="cancelled")
    body = client.get(reverse("api:exchange-statistics-list"), {"partner_city": "wuxi"})
    text = body.content.decode()
    assert "Sofies klasse" not in text
    rows = body.json()["results"]
    assert sum(row["activities"] for row in rows) == 2
    assert sum(row["pupils"] for row in rows) == 15
    assert sum(row["participants"] for row in rows) == 18


def test_a_draft_trip_is_not_in_the_api(client, db):
    TripFactory(slug="draft-trip", state="draft", published_at=None)
    assert client.get(reverse("api:trip-list")).json()["count"] == 0
    assert client.get(reverse("api:trip-detail", args=["draft-trip"])).status_code == 404


def test_a_report_appears_only_once_approved(client, db):
    TripFactory(slug="t", report="Vi lærte meget.", state="published")
    assert client.get(reverse("api:trip-detail", args=["t"])).json()["report"] is None
    TripFactory(slug="u", report="Vi lærte meget.", state="report_published")
    assert client.get(reverse("api:trip-detail", args=["u"])).json()["report"]["text"] == (
        "Vi lærte meget."
    )


def _grow(n: int):
    committee = CommitteeFactory()
    for _ in range(n):
        person = PersonFactory()
        city = PartnerCityFactory()
        network = CityNetworkFactory()
        NetworkMemberCityFactory(network=network)
        ExchangeFactory(partner_city=city)
        TripFactory(
            committee=committee,
            partner_city=city,
            travellers=[person],
            costs=[("transport", 10, 10)],
        )


@pytest.mark.parametrize(
    "name",
    [
        "api:root",
        "api:partner-city-list",
        "api:network-list",
        "api:exchange-statistics-list",
        "api:budget-year-list",
        "api:trip-list",
        "api:grant-statistics-list",
    ],
)
def test_a_list_costs_the_same_queries_for_one_row_and_for_many(
    client, db, name, django_assert_max_num_queries
):
    _grow(1)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(name))
    _grow(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(name))


def test_a_trip_costs_the_same_queries_however_long_its_programme(
    client, db, django_assert_max_num_queries
):
    trip = TripFactory(slug="t", travellers=[PersonFactory()], costs=[("transport", 1, 1)])
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("api:trip-detail", args=["t"]))
    for day in range(20):
        trip.programme.create(day=trip.starts_on, what=f"Møde {day}")
        with rows_of(trip):
            trip.account_lines.create(category="hotel", budgeted=1, actual=1)
    TripFactory(travellers=[PersonFactory(), PersonFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api:trip-detail", args=["t"]))
