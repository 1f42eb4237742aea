"""Downloads of any size: sent as they are written, from rows read a chunk at a time."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import streaming
from tests.factories import PersonFactory, TripFactory

pytestmark = pytest.mark.django_db


def _travellers_reads(queries) -> int:
    """How many times the travellers of a batch of trips were read (the prefetch)."""
    return sum('"travel_triptraveller"."trip_id" IN (' in query["sql"] for query in queries)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_download_sends_its_first_rows_before_it_reads_the_rest(client, monkeypatch, fmt):
    monkeypatch.setattr(streaming, "CHUNK_ROWS", 2)
    monkeypatch.setattr(streaming, "PIECE_BYTES", 1)  # send every row as soon as it is written
    person = PersonFactory(name="Mette Holm")
    for n in range(5):
        TripFactory(slug=f"trip-{n}", title=f"Rejse {n}", travellers=[person])
    url = reverse("travel:list")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"format": fmt})
        pieces = iter(response.streaming_content)
        first = next(pieces)  # the headings (or "["), before the database is asked
        assert _travellers_reads(queries) == 0
        first += next(pieces)  # the first trip: sent before any trip past the first chunk is read
        assert b"Rejse 4" in first
        assert _travellers_reads(queries) == 1
        rest = b"".join(pieces)
    # Five trips in chunks of two: three reads of travellers, never one per trip.
    assert _travellers_reads(queries) == 3
    body = (first + rest).decode("utf-8-sig")
    if fmt == "json":
        assert [trip["slug"] for trip in json.loads(body)] == [f"trip-{n}" for n in range(5)][::-1]
    else:
        assert body.count("Mette Holm") == 5


def test_an_empty_list_is_an_empty_json_array_and_a_csv_with_its_headings(client):
    url = reverse("travel:list")
    assert json.loads(client.get(url, {"format": "json"}).getvalue()) == []
    lines = client.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("Identifikator;Rejse")


def test_a_download_keeps_the_language_it_was_asked_in_while_it_is_sent(client):
    TripFactory(slug="til-wuxi", title="Til Wuxi")
    url = "/en/trips/"
    response = client.get(url, {"format": "csv"})
    client.get(reverse("travel:list"))  # the next request, in Danish, before the file is read
    text = response.getvalue().decode("utf-8-sig")
    assert text.startswith("Identifier,Trip,Departure")


def test_an_xlsx_of_more_rows_than_the_setting_sends_the_reader_to_the_csv(client, settings):
    settings.XLSX_MAX_ROWS = 2
    for n in range(3):
        TripFactory(slug=f"trip-{n}", title=f"Rejse {n}", starts_on=f"202{n}-05-01")
    url = reverse("travel:list")
    refused = client.get(url, {"order": "-cost", "format": "xlsx"})
    assert refused.status_code == 413
    page = refused.content.decode()
    assert "mere end 2 rækker" in page
    # The same list, filters kept, as CSV and JSON, or its page to choose fewer rows.
    assert 'href="?order=-cost&amp;format=csv"' in page
    assert 'href="?order=-cost&amp;format=json"' in page
    assert 'href="?order=-cost"' in page
    # Filtered to one year it fits: a workbook.
    fits = client.get(url, {"year": "2021", "format": "xlsx"})
    assert fits.status_code == 200
    assert fits["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_list_made_as_it_is_read_is_bounded_in_xlsx_too(client, settings):
    settings.XLSX_MAX_ROWS = 1
    people = [PersonFactory(name=f"Person {n}") for n in range(2)]
    for n, person in enumerate(people):
        TripFactory(slug=f"trip-{n}", travellers=[person])
    url = reverse("travel:people")
    assert client.get(url, {"format": "xlsx"}).status_code == 413
    settings.XLSX_MAX_ROWS = 2
    sheet = client.get(url, {"format": "xlsx"})
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_people_who_travelled_are_made_a_batch_at_a_time(client, monkeypatch):
    from travel import selectors

    monkeypatch.setattr(selectors, "PEOPLE_AT_A_TIME", 2)
    people = [PersonFactory(name=f"Person {n}") for n in range(5)]
    for n, person in enumerate(people):
        TripFactory(slug=f"trip-{n}", travellers=[person], starts_on=f"202{n}-05-01")
    TripFactory(slug="together", travellers=people[:2], starts_on="2024-06-01")
    rows = list(selectors.travellers_by_year())
    assert [(row["person"].name, row["year"], row["trips"]) for row in rows] == [
        ("Person 0", 2024, 1),
        ("Person 0", 2020, 1),
        ("Person 1", 2024, 1),
        ("Person 1", 2021, 1),
        ("Person 2", 2022, 1),
        ("Person 3", 2023, 1),
        ("Person 4", 2024, 1),
    ]
