"""The national comparison on the service's own host: each municipality's figures of a
year from its kept totals and its population, sortable and filterable, linked to the
municipality's own pages, and downloadable."""

import csv
import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.enums import ApplicationState
from portal.models import Municipality, MunicipalityHost, Population, SiteSettings
from portal.scoping import municipality
from tests.factories import GrantApplicationFactory, PersonFactory, TripFactory

pytestmark = pytest.mark.django_db

SERVICE = "localhost"


@pytest.fixture(autouse=True)
def service_host(settings):
    settings.SERVICE_HOSTS = [SERVICE]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "a.example", "b.example"]


def published(day: datetime.date):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def add_trip(*, cost, travellers, starts_on, ends_on, published_on=None, **extra):
    return TripFactory(
        costs=[("transport", cost, cost)],
        travellers=travellers,
        starts_on=starts_on,
        ends_on=ends_on,
        published_at=published_on and published(published_on),
        **extra,
    )


def add_grants(count: int, amount: int, when: datetime.datetime):
    for _ in range(count):
        GrantApplicationFactory(
            state=ApplicationState.APPROVED,
            amount_granted=Decimal(amount),
            decided_at=when,
            applicant_kind="employee",
        )


@pytest.fixture
def kommune():
    """The first municipality, with a host, a region, its 2025 population and data."""
    record = Municipality.objects.get(pk=1)
    record.region = "Hovedstaden"
    record.save()
    MunicipalityHost.objects.create(municipality=record, host="a.example")
    Population.objects.create(municipality=record, year=2025, inhabitants=50_000)
    with municipality(record):
        politician = PersonFactory(name="Anna Politiker", kind="politician")
        official = PersonFactory(name="Ole Embedsmand", kind="official")
        # Published six days after its return: in time (60 days by default).
        add_trip(
            cost=1000,
            travellers=[politician, official],
            starts_on=datetime.date(2025, 10, 13),
            ends_on=datetime.date(2025, 10, 19),
            published_on=datetime.date(2025, 10, 25),
        )
        # Published 180 days after its return: late.
        add_trip(
            cost=3000,
            travellers=[politician],
            starts_on=datetime.date(2025, 3, 1),
            ends_on=datetime.date(2025, 3, 5),
            published_on=datetime.date(2025, 9, 1),
        )
        # Returned long ago and never published: overdue.
        add_trip(
            cost=700,
            travellers=[official],
            starts_on=datetime.date(2025, 1, 10),
            ends_on=datetime.date(2025, 1, 12),
            state="draft",
        )
        add_grants(3, 5000, published(datetime.date(2025, 6, 15)))
    return record


@pytest.fixture
def byen():
    """A second municipality, in euros and German first, with no population for 2025."""
    record = Municipality.objects.create(
        name="Byen",
        slug="byen",
        languages="de,en",
        default_language="de",
        currency="EUR",
        region="Midtjylland",
    )
    MunicipalityHost.objects.create(municipality=record, host="b.example")
    with municipality(record):
        add_trip(
            cost=500,
            travellers=[PersonFactory(name="Klaus Beamter", kind="official")],
            starts_on=datetime.date(2025, 5, 1),
            ends_on=datetime.date(2025, 5, 3),
            published_on=datetime.date(2025, 5, 10),
        )
    return record


def rows_of(html: str) -> list[str]:
    """The names in the table's row headings, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        part.split("</a>", 1)[0].rsplit(">", 1)[-1] for part in body.split('<th scope="row">')[1:]
    ]


def test_each_municipality_s_figures_for_the_latest_year(client, kommune, byen):
    response = client.get("/en/", HTTP_HOST=SERVICE)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["year"] == 2025
    figures = {row["figures"].municipality.slug: row["figures"] for row in response.context["rows"]}
    first = figures["kommune"]
    assert (first.trips, first.cost, first.politicians, first.officials) == (
        2,
        Decimal("4000.00"),
        2,
        1,
    )
    assert first.cost_per_inhabitant == Decimal("0.08")
    assert first.cost_per_participant == Decimal("1333.33")
    assert (first.published_in_time, first.published_with_date, first.in_time_share) == (
        1,
        2,
        Decimal("50.0"),
    )
    assert first.overdue == 1
    assert (first.grants, first.grants_amount, first.grants_per_inhabitant) == (
        3,
        Decimal("15000.00"),
        Decimal("0.30"),
    )
    second = figures["byen"]
    assert (second.trips, second.cost_per_participant, second.in_time_share) == (
        1,
        Decimal("500.00"),
        Decimal("100.0"),
    )
    # No population: no figure per inhabitant, and the page says why.
    assert second.cost_per_inhabitant is None
    assert "— (no population for 2025)" in html
    assert "50.0% (1 of 2)" in html
    # Each figure links to the page of its own municipality that explains it.
    assert 'href="http://a.example/en/trips/?year=2025"' in html
    assert 'href="http://a.example/en/trips/overdue/"' in html
    assert 'href="http://a.example/en/grants/statistics/2025/"' in html
    assert 'href="http://b.example/en/trips/?year=2025"' in html
    # The chart draws only what has a figure, one chart per currency.
    charts = response.context["charts"]
    assert [[bar.lines[0][0] for bar in chart["bars"]] for chart in charts] == [["Kommune"]]
    assert charts[0]["title"].endswith(", in DKK")


def test_no_person_is_named(client, kommune, byen):
    html = client.get("/", HTTP_HOST=SERVICE).content.decode()
    for name in ("Anna Politiker", "Ole Embedsmand", "Klaus Beamter"):
        assert name not in html
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/?format=csv", HTTP_HOST=SERVICE).getvalue().decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert not any("Anna" in cell for row in rows for cell in row)


def test_a_link_to_a_municipality_is_in_a_language_it_offers(client, kommune, byen):
    html = client.get("/", HTTP_HOST=SERVICE).content.decode()
    # Byen offers German and English only: its pages in its default language, German.
    assert 'href="http://b.example/trips/?year=2025"' in html
    assert 'href="http://a.example/trips/?year=2025"' in html


def test_sorted_by_each_column_unknown_figures_last(client, kommune, byen):
    assert rows_of(client.get("/en/", HTTP_HOST=SERVICE).content.decode()) == ["Byen", "Kommune"]
    assert rows_of(client.get("/en/?order=-trips", HTTP_HOST=SERVICE).content.decode()) == [
        "Kommune",
        "Byen",
    ]
    assert rows_of(client.get("/en/?order=trips", HTTP_HOST=SERVICE).content.decode()) == [
        "Byen",
        "Kommune",
    ]
    for order in ("cost_per_inhabitant", "-cost_per_inhabitant"):
        html = client.get(f"/en/?order={order}", HTTP_HOST=SERVICE).content.decode()
        assert rows_of(html) == ["Kommune", "Byen"]  # Byen has no population: last
    html = client.get("/en/?order=-in_time", HTTP_HOST=SERVICE).content.decode()
    assert rows_of(html) == ["Byen", "Kommune"]
    assert 'aria-sort="descending"' in html


def test_filtered_by_region_and_year(client, kommune, byen):
    html = client.get("/en/?region=Midtjylland", HTTP_HOST=SERVICE).content.decode()
    assert rows_of(html) == ["Byen"]
    with municipality(kommune):
        add_trip(
            cost=200,
            travellers=[PersonFactory(name="Ny", kind="official")],
            starts_on=datetime.date(2024, 5, 1),
            ends_on=datetime.date(2024, 5, 2),
            published_on=datetime.date(2024, 5, 3),
        )
    response = client.get("/en/?year=2024", HTTP_HOST=SERVICE)
    figures = {row["figures"].municipality.slug: row["figures"] for row in response.context["rows"]}
    assert (figures["kommune"].trips, figures["byen"].trips) == (1, 0)
    assert response.context["years"] == [2025, 2024]


@pytest.mark.parametrize(
    "query",
    ["year=1999", "year=abc", "order=name;drop", "order=-", "region=Nowhere", "format=pdf"],
)
def test_a_bad_parameter_gets_a_clear_page(client, kommune, byen, query):
    response = client.get(f"/en/?{query}", HTTP_HOST=SERVICE)
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a" in html and "Choose one of" in html
    assert 'href="/en/"' in html


def test_a_deadline_the_municipality_sets_is_its_own(client, kommune, byen):
    with municipality(kommune):
        settings_row = SiteSettings.current()
        settings_row.trip_publication_days = 200
        settings_row.save()
    response = client.get("/en/", HTTP_HOST=SERVICE)
    figures = {row["figures"].municipality.slug: row["figures"] for row in response.context["rows"]}
    # Both published trips now in time; the draft's deadline (12 Jan + 200 days) has passed.
    assert (figures["kommune"].in_time_share, figures["kommune"].overdue) == (Decimal("100.0"), 1)


def test_a_municipality_outside_the_comparison_is_not_shown(client, kommune, byen):
    byen.publishes_nationally = False
    byen.save()
    html = client.get("/en/", HTTP_HOST=SERVICE).content.decode()
    assert rows_of(html) == ["Kommune"]


def _more_municipalities(count: int, start: int):
    for n in range(start, start + count):
        record = Municipality.objects.create(
            name=f"Kommune {n}", slug=f"k{n}", languages="da", default_language="da",
            currency="DKK", region=f"Region {n}",
        )  # fmt: skip
        MunicipalityHost.objects.create(municipality=record, host=f"k{n}.example")
        Population.objects.create(municipality=record, year=2025, inhabitants=1000 * n)
        with municipality(record):
            for t in range(n):
                add_trip(
                    cost=100 * (t + 1),
                    travellers=[PersonFactory(name=f"P {n} {t}", kind="politician")],
                    starts_on=datetime.date(2025, 2, 1 + t),
                    ends_on=datetime.date(2025, 2, 2 + t),
                    published_on=datetime.date(2025, 3, 1),
                )
            add_trip(
                cost=50,
                travellers=[],
                starts_on=datetime.date(2025, 1, 1),
                ends_on=datetime.date(2025, 1, 2),
                state="draft",
            )


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=SERVICE)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/en/", "/en/?order=-grants_per_inhabitant", "/en/?format=csv"])
def test_the_same_number_of_queries_for_2_and_5_municipalities(client, kommune, byen, path):
    two = _queries(client, path)
    _more_municipalities(3, start=3)
    assert Municipality.objects.filter(publishes_nationally=True).count() == 5
    assert _queries(client, path) == two


def test_figures_download_as_csv_xlsx_and_json(client, kommune, byen):
    with municipality(kommune):
        add_trip(
            cost=200,
            travellers=[PersonFactory(name="Ny", kind="official")],
            starts_on=datetime.date(2024, 5, 1),
            ends_on=datetime.date(2024, 5, 2),
            published_on=datetime.date(2024, 5, 3),
            title_en='=HYPERLINK("http://evil")',
        )
    response = client.get("/en/?format=json", HTTP_HOST=SERVICE)
    data = json.loads(b"".join(response.streaming_content))
    by_key = {(row["municipality"], row["year"]): row for row in data}
    assert set(by_key) == {("kommune", 2025), ("kommune", 2024), ("byen", 2025), ("byen", 2024)}
    assert by_key["kommune", 2025]["cost_per_inhabitant"] == "0.08"
    assert by_key["kommune", 2025]["in_time_share"] == "50.00"
    assert by_key["kommune", 2025]["grants_amount"] == "15000.00"
    assert by_key["byen", 2025]["cost_per_inhabitant"] is None
    assert by_key["byen", 2025]["currency"] == "EUR"

    response = client.get("/en/?format=csv", HTTP_HOST=SERVICE)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=","))
    kommune_2025 = next(r for r in rows if r["Identifier"] == "kommune" and r["Year"] == "2025")
    assert kommune_2025["Cost per inhabitant"] == "0.08"
    assert kommune_2025["Inhabitants"] == "50000"
    byen_2025 = next(r for r in rows if r["Identifier"] == "byen" and r["Year"] == "2025")
    assert byen_2025["Cost per inhabitant"] == ""

    response = client.get("/en/?format=xlsx", HTTP_HOST=SERVICE)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    values = [
        dict(zip(header, [cell.value for cell in row], strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    kommune_row = next(r for r in values if r["Identifier"] == "kommune" and r["Year"] == 2025)
    assert kommune_row["Cost per inhabitant"] == pytest.approx(0.08)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_every_trip_in_one_format_streamed(client, kommune, byen):
    with municipality(kommune):
        add_trip(
            cost=200,
            travellers=[PersonFactory(name="Ny", kind="official")],
            starts_on=datetime.date(2024, 5, 1),
            ends_on=datetime.date(2024, 5, 2),
            published_on=datetime.date(2024, 5, 3),
            title_en='=HYPERLINK("http://evil")',
        )
    response = client.get("/en/data/trips/?format=json", HTTP_HOST=SERVICE)
    assert response.streaming
    trips = json.loads(b"".join(response.streaming_content))
    assert sorted((trip["municipality"], trip["total_actual"]) for trip in trips) == [
        ("byen", "500.00"),
        ("kommune", "1000.00"),
        ("kommune", "200.00"),
        ("kommune", "3000.00"),
    ]
    first = next(trip for trip in trips if trip["total_actual"] == "1000.00")
    assert first["cost_transport"] == "1000.00"
    assert first["travellers"] == [
        {"role": "Member", "kind": "politician"},
        {"role": "Member", "kind": "official"},
    ]
    assert "Anna" not in json.dumps(trips)

    response = client.get("/en/data/trips/?format=csv", HTTP_HOST=SERVICE)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["Municipality"] for row in rows} == {"Kommune", "Byen"}
    evil = next(row for row in rows if "HYPERLINK" in row["Trip"])
    assert evil["Trip"].startswith("'=")

    response = client.get("/en/data/trips/?format=xlsx", HTTP_HOST=SERVICE)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


def test_the_service_s_catalogue_lists_the_national_datasets(client, kommune, byen):
    document = client.get("/en/data/catalog.jsonld", HTTP_HOST=SERVICE).json()
    datasets = {entry["dct:identifier"]: entry for entry in document["dcat:dataset"]}
    assert set(datasets) == {"national-comparison", "national-trips"}
    downloads = [
        d["dcat:downloadURL"]["@id"]
        for d in datasets["national-trips"]["dcat:distribution"]
        if "dcat:downloadURL" in d
    ]
    # In the service's default language, as the catalogue is written.
    assert any(url.endswith("/data/trips/?format=csv") for url in downloads)
    # The municipality's own catalogue still lists its own datasets, not the national ones.
    own = client.get("/en/data/catalog.jsonld", HTTP_HOST="a.example").json()
    identifiers = {entry["dct:identifier"] for entry in own["dcat:dataset"]}
    assert "trips" in identifiers and "national-trips" not in identifiers


def test_the_data_page_and_packages(client, kommune, byen):
    html = client.get("/de/data/", HTTP_HOST=SERVICE).content.decode()
    assert "/de/data/national-trips/datapackage.json" in html
    package = client.get("/en/data/national-comparison/datapackage.json", HTTP_HOST=SERVICE).json()
    names = [field["name"] for field in package["resources"][0]["schema"]["fields"]]
    assert "Cost per inhabitant" in names


def test_pages_speak_each_shipped_language(client, kommune, byen):
    for prefix, words in (
        ("", "Kommuner sammenlignet"),
        ("/en", "Municipalities compared"),
        ("/de", "Kommunen im Vergleich"),
    ):
        html = client.get(f"{prefix}/", HTTP_HOST=SERVICE).content.decode()
        assert words in html, prefix
        assert 'class="skip-link"' in html and '<main id="main"' in html


def test_an_unknown_address_on_the_service_is_a_404_page(client, kommune):
    response = client.get("/en/nothing/", HTTP_HOST=SERVICE)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_only_reads(client, kommune, byen):
    response = client.post("/en/", HTTP_HOST=SERVICE)
    assert response.status_code == 405


def test_too_many_downloads_get_the_service_s_own_page(client, kommune, settings):
    settings.DOWNLOAD_RATE = "1/minute"
    assert client.get("/en/data/trips/?format=csv", HTTP_HOST=SERVICE).status_code == 200
    response = client.get("/en/?format=json", HTTP_HOST=SERVICE)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert 'href="/en/"' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_comparison_is_cached_until_any_municipality_changes(client, settings, kommune, byen):
    """Kept in the page cache like a municipality's pages; a trip published in any of the
    municipalities makes it stale at once."""
    from portal.roles import ensure_roles

    ensure_roles()  # a transactional test starts from empty tables
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    for each in (kommune, byen):
        with municipality(each):
            SiteSettings.current()  # made on first use, which makes pages stale
    client.get("/en/", HTTP_HOST=SERVICE)
    assert client.get("/en/", HTTP_HOST=SERVICE)["X-Cache"] == "hit"
    assert client.get("/en/?year=2025", HTTP_HOST=SERVICE).status_code == 200
    assert client.get("/en/?year=2025", HTTP_HOST=SERVICE)["X-Cache"] == "hit"
    # A region is a page served, never stored.
    for _ in range(2):
        region = client.get("/en/?region=Hovedstaden", HTTP_HOST=SERVICE)
        assert region.status_code == 200 and "X-Cache" not in region

    with municipality(byen):
        add_trip(
            cost=800,
            travellers=[PersonFactory(name="Karl Beamter", kind="official")],
            starts_on=datetime.date(2025, 6, 1),
            ends_on=datetime.date(2025, 6, 3),
            published_on=datetime.date(2025, 6, 10),
        )
    fresh = client.get("/en/", HTTP_HOST=SERVICE)
    assert "X-Cache" not in fresh
    figures = {row["figures"].municipality.slug: row["figures"] for row in fresh.context["rows"]}
    assert figures["byen"].trips == 2
