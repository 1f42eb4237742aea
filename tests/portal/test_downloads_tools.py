"""The downloads as the tools of a journalist read them: pandas with its defaults reads the
English CSV's amounts as numbers, and the Danish one's with `sep=";", decimal=","`; the data
package says which; the spreadsheet names the partner city; under the demo, absolute links
follow the address it is served on."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import translation

from portal import opendata
from tests.factories import PartnerCityFactory, PersonFactory, TripFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(db):
    return TripFactory(
        slug="wuxi-2025",
        title="Til Wuxi",
        partner_city=PartnerCityFactory(slug="wuxi", name="Wuxi"),
        travellers=[PersonFactory(name="Mette Holm")],
        costs=[("transport", 30000, 29500), ("hotel", 1000, 1234.5)],
    )


def label(key: str, language: str) -> str:
    (column,) = [c for c in opendata.DATASETS["trips"].all_columns() if c.key == key]
    with translation.override(language):
        return str(column.label)


def _csv(client, prefix: str) -> str:
    return client.get(f"{prefix}/trips/", {"format": "csv"}).getvalue().decode("utf-8-sig")


def test_pandas_reads_the_english_amounts_as_numbers_with_its_defaults(client, trip):
    import pandas as pd

    text = _csv(client, "/en")
    frame = pd.read_csv(io.StringIO(text))
    row = frame[frame["Identifier"] == "wuxi-2025"].iloc[0]
    total = label("total_actual", "en")
    assert frame[total].dtype.kind == "f"
    assert row[total] == 30734.5
    assert "30734.50" in text and "30,734.50" not in text


def test_pandas_reads_the_danish_amounts_with_semicolons_and_decimal_commas(client, trip):
    import pandas as pd

    text = _csv(client, "")
    frame = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    row = frame[frame["Identifikator"] == "wuxi-2025"].iloc[0]
    total = label("total_actual", "da")
    assert frame[total].dtype.kind == "f"
    assert row[total] == 30734.5
    assert "30734,50" in text and "30.734,50" not in text


@pytest.mark.parametrize(
    ("prefix", "delimiter", "decimal"), [("", ";", ","), ("/en", ",", "."), ("/de", ";", ",")]
)
def test_the_data_package_says_how_its_csv_writes_numbers(client, trip, prefix, delimiter, decimal):
    package = json.loads(client.get(f"{prefix}/data/trips/datapackage.json").content)
    (resource,) = package["resources"]
    assert resource["dialect"]["delimiter"] == delimiter
    numbers = [field for field in resource["schema"]["fields"] if field["type"] == "number"]
    assert numbers and all(field["decimalChar"] == decimal for field in numbers)
    assert not any("groupChar" in field for field in numbers)


def test_frictionless_reads_the_danish_csv_as_numbers_by_its_package(client, trip, tmp_path):
    from frictionless import Dialect, Resource, Schema, formats, validate

    package = json.loads(client.get("/data/trips/datapackage.json").content)
    (described,) = package["resources"]
    path = tmp_path / "trips.csv"  # frictionless reads a relative path below its basepath
    path.write_bytes(client.get("/trips/", {"format": "csv"}).getvalue())
    dialect = Dialect(controls=[formats.CsvControl(delimiter=described["dialect"]["delimiter"])])
    resource = Resource(
        path="trips.csv",
        basepath=str(tmp_path),
        schema=Schema.from_descriptor(described["schema"]),
        dialect=dialect,
        encoding="utf-8-sig",
    )
    report = validate(resource)
    assert report.valid, report.flatten(["type", "note"])
    rows = resource.read_rows()
    assert [row[label("total_actual", "da")] for row in rows] == [Decimal("30734.50")]


def test_the_spreadsheet_names_the_partner_city(client, trip):
    from openpyxl import load_workbook

    response = client.get("/en/trips/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][header.index("Partner city")] == "Wuxi"
    json_rows = json.loads(client.get("/en/trips/", {"format": "json"}).getvalue())
    assert json_rows[0]["partner_city"] == "wuxi"  # the JSON keeps the identifier


DEMO_HOST = "localhost:8123"


@pytest.mark.parametrize(
    "path",
    ["/robots.txt", "/sitemap.xml", "/trips/feed/", "/api/", "/data/trips/datapackage.json"],
)
def test_under_the_demo_links_follow_the_address_it_is_served_on(client, trip, settings, path):
    settings.PORTAL_BASE_URL_FROM_REQUEST = True
    body = client.get(path, HTTP_HOST=DEMO_HOST).content.decode()
    assert f"http://{DEMO_HOST}/" in body
    assert settings.PORTAL_BASE_URL not in body


def test_in_production_links_keep_the_configured_address(client, trip, settings):
    assert settings.PORTAL_BASE_URL_FROM_REQUEST is False
    body = client.get("/robots.txt", HTTP_HOST=DEMO_HOST).content.decode()
    assert DEMO_HOST not in body and settings.PORTAL_BASE_URL in body


# The API document, as a client generator reads it.


def _document(language: str) -> dict:
    from drf_spectacular.generators import SchemaGenerator

    with translation.override(language):
        return SchemaGenerator().get_schema(request=None, public=True)


def _titles(document: dict) -> dict:
    return {
        name: {key: prop.get("title") for key, prop in schema.get("properties", {}).items()}
        for name, schema in document["components"]["schemas"].items()
    }


def test_the_api_documents_names_and_titles_are_the_same_in_every_language(db):
    danish, german = _document("da"), _document("de")
    assert _titles(danish) == _titles(german)
    line = danish["components"]["schemas"]["LineBalance"]["properties"]
    assert line["owner"]["title"] == "Owner"  # a class name a generator can keep
    german_line = german["components"]["schemas"]["LineBalance"]["properties"]
    assert line["owner"]["description"] != german_line["owner"]["description"]  # translated


def test_every_public_operation_declares_no_security(db):
    document = _document("da")
    operations = [op for ops in document["paths"].values() for op in ops.values()]
    assert operations and all(operation["security"] == [] for operation in operations)


def test_a_page_past_the_end_says_how_many_pages_there_are(client, trip):
    answer = client.get("/api/trips/", {"page": 3, "page_size": 1})
    assert answer.status_code == 404
    assert answer.json() == {
        "detail": "No such page: page 3 is past the end of the list, which has 1 rows in "
        "1 page of up to 1."
    }
    assert "deep" not in client.get("/api/trips/", {"page": "x"}).json()["detail"]


@pytest.mark.parametrize("path", ["/api/budget-years/%C2%84/", "/api/budget-years/x/", "/api/x/"])
def test_an_address_no_endpoint_has_is_the_apis_json_404_even_under_debug(
    client, db, settings, path
):
    settings.DEBUG = True
    answer = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert (answer.status_code, answer["Content-Type"]) == (404, "application/json")
    assert answer.json() == {"detail": "Not found."}  # in the client's language


def test_the_api_page_explains_every_parameter_and_field_in_the_readers_language(client, db):
    page = client.get("/data/api/").content.decode()
    assert "* `" not in page  # drf-spectacular's Markdown, read as words
    assert "<code></code>" not in page
    assert "A page number within the paginated result set." not in page
    assert "Slug of the partner city" not in page and "Identifier of the partner" not in page
    assert "Listens side, fra 1." in page
    assert "<code>twin_town</code> (Venskabsby)" in page
    assert "Adressen på elementets side på portalen." in page  # the url field's note
    lines = re.search(r"<code>lines</code></th><td[^>]*>array</td><td[^>]*>(.*?)</td>", page)
    assert lines and "<code>remaining</code>" in lines.group(1)
    notes = re.findall(
        r'<th scope="row"><code>[a-z_]+</code></th><td[^>]*>[^<]*</td><td[^>]*>(.*?)</td>', page
    )
    assert notes and all(note.strip() for note in notes)
