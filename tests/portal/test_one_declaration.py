"""One declaration per public list: a dataset's columns make its CSV, JSON and XLSX
downloads, its data package's Table Schema, the data page's dictionary and the API's fields.
"""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.text import slugify
from openpyxl import load_workbook

from grants.api import GrantStatisticsSerializer
from partnerships.api import NetworkSerializer, PartnerCitySerializer
from partnerships.models import PartnerCity
from portal import opendata
from portal.opendata import Column
from tests.portal.test_statistics import grant
from travel.api import TripSerializer
from travel.datasets import TRIPS

pytestmark = pytest.mark.django_db

# (dataset, API list, what the API adds beyond the columns)
LISTS = [
    (TripSerializer.dataset, "api:trip-list", {"published_at"}),
    (
        GrantStatisticsSerializer.dataset,
        "api:grant-statistics-list",
        {"more_partner_cities", "more_associations"},
    ),
    (PartnerCitySerializer.dataset, "api:partner-city-list", set()),
    (NetworkSerializer.dataset, "api:network-list", {"membership", "member_cities"}),
]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    # Grants decided in a month that has ended: the statistics publish them.
    for city in ("Wuxi", "Prag 10", "Prag 10", "Nacka"):
        grant(city=PartnerCity.objects.get_or_create(name=city, slug=slugify(city))[0])


def test_a_budget_years_lines_in_the_api_are_its_json_download(client, demo):
    detail, page = (
        reverse("api:budget-year-detail", args=[2026]),
        reverse("budgets:year", args=[2026]),
    )
    lines = json.loads(client.get(detail).content)["lines"]
    rows = json.loads(client.get(page, {"format": "json"}).getvalue())
    assert len(rows) > 3
    assert lines == rows


@pytest.mark.parametrize(("dataset", "api", "extra"), LISTS)
def test_the_api_gives_each_row_as_the_json_download_does(client, demo, dataset, api, extra):
    api_url, page_url = reverse(api), reverse(dataset.page)
    items = json.loads(client.get(api_url, {"page_size": 500}).content)["results"]
    rows = json.loads(client.get(page_url, {"format": "json"}).getvalue())
    assert rows, "the demo has rows"
    assert len(items) == len(rows)
    for item, row in zip(items, rows, strict=True):
        assert set(item) == set(row) | extra
        assert {key: item[key] for key in row} == row


def test_a_column_declared_once_reaches_every_format_and_the_api(client, demo):
    extra = Column(
        "nights",
        "Nights away",
        "Nights between departure and return.",
        "integer",
        lambda trip: (trip["ends_on"] - trip["starts_on"]).days,
        reads=("starts_on", "ends_on"),
    )
    columns = TRIPS.columns
    object.__setattr__(TRIPS, "columns", (*columns, extra))
    try:
        urls = {
            "page": reverse("travel:list"),
            "api": reverse("api:trip-list"),
            "package": reverse("data_package", args=["trips"]),
            "data": reverse("data"),
            "schema": reverse("api:schema"),
        }
        text = client.get(urls["page"], {"format": "csv"}).getvalue().decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(text), delimiter=";"))
        assert header[-1] == "Nights away"
        sheet = load_workbook(
            io.BytesIO(client.get(urls["page"], {"format": "xlsx"}).getvalue()), read_only=True
        ).active
        first, second = list(sheet.iter_rows(max_row=2, values_only=True))
        assert first[-1] == "Nights away" and isinstance(second[-1], int)
        row = json.loads(client.get(urls["page"], {"format": "json"}).getvalue())[0]
        item = json.loads(client.get(urls["api"]).content)["results"][0]
        assert row["nights"] == item["nights"] >= 0
        package = json.loads(client.get(urls["package"]).content)
        fields = package["resources"][0]["schema"]["fields"]
        assert fields[-1]["name"] == "Nights away" and fields[-1]["type"] == "integer"
        assert "Nights between departure and return." in client.get(urls["data"]).content.decode()
        assert "Nights between departure and return." in client.get(urls["schema"]).content.decode()
    finally:
        object.__setattr__(TRIPS, "columns", columns)


def test_the_api_document_describes_each_column_as_the_data_page_does(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = json.loads(schema.content)
    trip = document["components"]["schemas"]["Trip"]["properties"]
    for column in TRIPS.all_columns():
        assert trip[column.key]["description"] == str(column.description)
    assert trip["cost_per_participant"]["type"] == ["string", "null"]
    status = trip["accounts_status"]["allOf"][0]["$ref"].rpartition("/")[2]
    assert document["components"]["schemas"][status]["enum"] == ["provisional", "final"]


AGENDA_ITEM = Column(
    "agenda_item",
    "Agenda item of the approval",
    "The agenda item of the committee meeting that approved the report.",
    value=lambda trip: trip["report_agenda_item"],
    reads=("report_agenda_item",),
)


@pytest.fixture
def agenda_item_column():
    """A column reading a field of Trip that no other column reads, added to the trips'
    dataset and nowhere else."""
    columns = TRIPS.columns
    object.__setattr__(TRIPS, "columns", (*columns, AGENDA_ITEM))
    yield AGENDA_ITEM
    object.__setattr__(TRIPS, "columns", columns)


def test_a_column_reading_a_new_field_is_read_by_every_list_of_the_dataset(
    client, demo, agenda_item_column, monkeypatch
):
    """The fields a download, the API's list and the API's detail read derive from the
    columns: a column that reads a field no other column reads (the report's agenda item)
    finds it in the CSV (written over many chunks, as a long file is), the spreadsheet, the
    JSON, the API's list and detail, the data package, the data page and the API document.
    (The list page shows some of the columns, which this is not one of.)"""
    from django.core.cache import cache

    from portal import streaming
    from travel.selectors import published

    cache.clear()
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 2)  # a file of many chunks
    expected = dict(published().values_list("slug", "report_agenda_item"))
    assert len(expected) > 2 * streaming.CHUNK_ROWS - 1 and {"12", "7", ""} <= set(
        expected.values()
    )
    page = reverse("travel:list")

    for language in ("da", "en"):
        text = (
            client.get(page, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE=language)
            .getvalue()
            .decode("utf-8-sig")
        )
        header, *rows = csv.reader(io.StringIO(text), delimiter=";")
        assert header[-1] == "Agenda item of the approval"
        assert {row[0]: row[-1] for row in rows} == expected
    sheet = load_workbook(
        io.BytesIO(client.get(page, {"format": "xlsx"}).getvalue()), read_only=True
    ).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[-1] == "Agenda item of the approval"
    assert {row[0]: row[-1] or "" for row in rows} == expected
    rows = json.loads(client.get(page, {"format": "json"}).getvalue())
    assert {row["slug"]: row["agenda_item"] for row in rows} == expected

    items = json.loads(client.get(reverse("api:trip-list"), {"page_size": 500}).content)
    assert {item["slug"]: item["agenda_item"] for item in items["results"]} == expected
    for slug in ("2025-10-bsu-wuxi", "2026-04-ecn-nacka"):
        detail = json.loads(client.get(reverse("api:trip-detail", args=[slug])).content)
        assert detail["agenda_item"] == expected[slug]

    package = json.loads(client.get(reverse("data_package", args=["trips"])).content)
    assert package["resources"][0]["schema"]["fields"][-1] == {
        "name": "Agenda item of the approval",
        "title": "Agenda item of the approval",
        "description": str(AGENDA_ITEM.description),
        "type": "string",
    }
    assert str(AGENDA_ITEM.description) in client.get(reverse("data")).content.decode()
    document = json.loads(
        client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    trip = document["components"]["schemas"]["Trip"]["properties"]
    assert trip["agenda_item"] == {
        "type": "string",
        "title": "Agenda item of the approval",
        "readOnly": True,
        "description": str(AGENDA_ITEM.description),
    }


def test_a_column_that_works_its_value_out_must_say_what_it_reads(db):
    """A column whose value a function works out and that does not say what it reads is
    refused when the dataset is registered, not halfway through a streamed download."""
    from django.core.exceptions import ImproperlyConfigured

    from portal.opendata import Dataset, register

    silent = Column("nights", "Nights", "Nights away.", "integer", lambda trip: 1)
    dataset = Dataset(
        slug="silent-trips",
        title="Trips",
        description="Trips.",
        page="travel:list",
        plain_rows=True,
        columns=(*TRIPS.columns, silent),
    )
    with pytest.raises(ImproperlyConfigured, match="'nights' works out what it shows"):
        register(dataset)
    unknown = Dataset(
        slug="unknown-columns",
        title="Trips",
        description="Trips.",
        page="travel:list",
        page_columns=("title", "nights"),
        columns=TRIPS.columns,
    )
    with pytest.raises(ImproperlyConfigured, match="unknown-columns has no column nights"):
        register(unknown)
    assert "silent-trips" not in opendata.DATASETS
    assert "unknown-columns" not in opendata.DATASETS
