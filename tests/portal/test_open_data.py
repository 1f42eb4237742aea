"""Downloads of every public list, the data page and its catalogue, search and the sitemap."""

import csv
import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from portal import opendata
from tests.factories import (
    BudgetLineFactory,
    InitiativeFactory,
    PartnerCityFactory,
    PersonFactory,
    TripFactory,
    rows_of,
)

pytestmark = pytest.mark.django_db


def _csv(response, delimiter=";") -> list[list[str]]:
    return _rows(response.getvalue().decode("utf-8-sig"), delimiter)


def _rows(text: str, delimiter=";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture
def trips(db):
    wuxi = PartnerCityFactory(slug="wuxi", name="Wuxi")
    mette = PersonFactory(name="Mette Holm")
    return [
        TripFactory(
            slug="wuxi-2025",
            title="Til Wuxi",
            partner_city=wuxi,
            travellers=[mette],
            costs=[("transport", 12000, 11250.5)],
        ),
        TripFactory(
            slug="nacka-2024", title="Til Nacka", starts_on="2024-03-01", ends_on="2024-03-02"
        ),
        TripFactory(slug="kladde", state="draft", published_at=None),
    ]


def test_a_download_holds_exactly_the_filtered_rows_of_the_page(client, trips):
    page = client.get(reverse("travel:list"), {"year": "2025"})
    assert 'href="?year=2025&amp;format=csv"' in page.content.decode()
    rows = _csv(client.get(reverse("travel:list"), {"year": "2025", "format": "csv"}))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Identifikator", "Rejse", "Afrejse"]
    assert [row[0] for row in body] == ["wuxi-2025"]
    record = dict(
        zip([c.key for c in opendata.DATASETS["trips"].all_columns()], body[0], strict=True)
    )
    # A Danish spreadsheet and pandas (sep=";", decimal=",") read it as a number.
    assert record["total_actual"] == "11250,50"
    assert record["travellers"] == "Mette Holm (Member)"
    assert record["partner_city"] == "Wuxi"  # its name; the JSON gives its identifier

    data = json.loads(
        client.get(reverse("travel:list"), {"year": "2025", "format": "json"}).getvalue()
    )
    assert [trip["slug"] for trip in data] == ["wuxi-2025"]
    assert data[0]["total_actual"] == "11250.50"
    assert data[0]["starts_on"] == "2025-10-13"
    assert data[0]["report_approved"] is False


def test_the_english_download_has_english_headings_and_numbers(client, trips):
    # Commas between cells, as an English spreadsheet expects; an amount is written plainly
    # (no thousands comma), so pandas and spreadsheets read it as a number without options.
    text = client.get("/en/trips/", {"format": "csv"}).getvalue().decode("utf-8-sig")
    rows = _rows(text, delimiter=",")
    assert rows[0][:3] == ["Identifier", "Trip", "Departure"]
    wuxi = next(row for row in rows if row[0] == "wuxi-2025")
    assert "11250.50" in wuxi
    assert "11,250.50" not in text
    assert len(wuxi) == len(rows[0])


def test_every_dataset_downloads_as_csv_and_json_with_its_declared_columns(client, trips):
    BudgetLineFactory(budget_year__year=2025)
    InitiativeFactory(budget_year__year=2025)
    # Datasets that come one page at a time: a year's budget or follow-up, a person's trips.
    one_of = {"person-trips": ["mette-holm"]}
    for dataset in opendata.datasets():
        url = dataset.download_page or reverse(dataset.page, args=one_of.get(dataset.slug, [2025]))
        rows = _csv(client.get(url, {"format": "csv"}))
        assert len(rows[0]) == len(dataset.all_columns()), dataset.slug
        data = json.loads(client.get(url, {"format": "json"}).getvalue())
        for row in data:
            keys = [key for column in dataset.all_columns() for key in column.json_keys()]
            assert list(row) == keys, dataset.slug


def test_the_data_page_explains_every_column_of_every_dataset(client, db):
    page = client.get(reverse("data")).content.decode()
    for dataset in opendata.datasets():
        assert f'id="{dataset.slug}"' in page
        for column in dataset.all_columns():
            assert f"<code>{column.key}</code>" in page, (dataset.slug, column.key)
    english = client.get("/en/data/").content.decode()
    assert "What the initiative should have reached by this follow-up." in english


def test_the_catalogue_lists_every_dataset_with_working_downloads(client, trips):
    page = client.get(reverse("data")).content.decode()
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    catalog = json.loads(embedded.group(1))
    assert catalog == client.get(reverse("data_catalog")).json()
    assert catalog["@type"] == "dcat:Catalog"
    entries = {entry["dct:identifier"]: entry for entry in catalog["dcat:dataset"]}
    assert set(entries) == set(opendata.DATASETS)
    trips_entry = entries["trips"]
    assert {"@language": "da", "@value": "Udlandsrejser"} in trips_entry["dct:title"]
    assert {"@language": "en", "@value": "Trips abroad"} in trips_entry["dct:title"]
    for entry in entries.values():  # every dataset, those that come per year included
        downloads = [d for d in entry["dcat:distribution"] if "dcat:downloadURL" in d]
        whole = entry["dct:identifier"] != "person-trips"  # one person at a time only
        expected = {"CSV", "JSON", "XLSX", "Data Package"} if whole else set()
        assert {d["dct:title"] for d in downloads} == expected, entry
    for distribution in [d for entry in entries.values() for d in entry["dcat:distribution"]]:
        address = (distribution.get("dcat:downloadURL") or distribution["dcat:accessURL"])["@id"]
        path = address.removeprefix("http://127.0.0.1:8000")
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        media_type = distribution["dcat:mediaType"]["@id"].split("/media-types/")[1]
        assert response["Content-Type"].startswith(media_type)


def test_search_finds_cities_trips_and_initiatives_but_never_a_draft(client, trips):
    InitiativeFactory(title="Elevudveksling med Wuxi")
    TripFactory(slug="kladde-wuxi", title="Kladde til Wuxi", state="draft", published_at=None)
    page = client.get(reverse("search"), {"q": "wuxi"}).content.decode()
    assert 'href="/partner-cities/wuxi/"' in page
    assert 'href="/trips/wuxi-2025/"' in page
    assert "Elevudveksling med Wuxi" in page
    assert "kladde-wuxi" not in page


def test_search_reads_the_programme_and_only_an_approved_report(client, trips):
    trip = trips[1]
    with rows_of(trip):  # as the staff pages save them
        trip.programme.create(day=trip.starts_on, what="Besøg på rådhuset")
        trip.report = "Vi så en genbrugsstation"
        trip.save()
    assert (
        'href="/trips/nacka-2024/"'
        in client.get(reverse("search"), {"q": "rådhuset"}).content.decode()
    )
    assert (
        "nacka-2024" not in client.get(reverse("search"), {"q": "genbrugsstation"}).content.decode()
    )
    with rows_of(trip):
        trip.state = "report_published"
        trip.save()
    assert "nacka-2024" in client.get(reverse("search"), {"q": "genbrugsstation"}).content.decode()


def test_search_understands_danish_word_forms(client, trips):
    trip = trips[1]
    with rows_of(trip):
        trip.purpose = "At besøge skolerne i Nacka"
        trip.save()
    # "skole" and "skolerne" share the Danish stem.
    assert "nacka-2024" in client.get(reverse("search"), {"q": "skole"}).content.decode()
    assert "nacka-2024" not in client.get(reverse("search"), {"q": "skole -nacka"}).content.decode()


def test_a_german_text_is_read_with_german_word_forms(client, trips, settings):
    settings.LANGUAGES = [("da", "Dansk"), ("en", "English"), ("de", "Deutsch")]
    trip = trips[1]
    with rows_of(trip):
        trip.purpose_de = "Die Schulen in Nacka besuchen"
        trip.save()
    # German stems "Schulen" to "schul"; the Danish rules would not find it from "Schule".
    german = client.get("/de" + reverse("search"), {"q": "Schule"}).content.decode()
    assert "nacka-2024" in german
    danish = client.get(reverse("search"), {"q": "skolerne"}).content.decode()
    assert "nacka-2024" not in danish


def test_a_partner_city_is_found_by_what_its_last_save_says(client, trips):
    """A partner city's text is searched through a text kept by every save: the word its
    description gains is found at once, the one it lost is not; text written past the
    model (a bulk import) is found once `recount --fix` remakes the vectors."""
    from partnerships.models import PartnerCity
    from portal.tallies import recount

    def found(words: str) -> bool:
        page = client.get(reverse("search"), {"q": words}).content.decode()
        return "/partner-cities/wuxi/" in page

    city = PartnerCity.objects.get(slug="wuxi")
    city.description_da = "Venskabsby med fokus på skolerne"
    city.save()
    assert found("skole") and found("Wuxi")
    city.description_da = "Venskabsby med fokus på klimaet"
    city.save()
    assert found("klima") and not found("skole")
    PartnerCity.objects.filter(pk=city.pk).update(region="Jiangsu")
    assert not found("Jiangsu")
    recount(fix=True)
    assert found("Jiangsu")


def test_search_wants_every_word_somewhere(client, trips):
    trip = trips[1]
    with rows_of(trip):
        trip.purpose = "At besøge skolerne i Nacka"
        trip.save()
    assert "nacka-2024" in client.get(reverse("search"), {"q": "skole nacka"}).content.decode()
    assert (
        "nacka-2024" not in client.get(reverse("search"), {"q": "skole stockholm"}).content.decode()
    )


def test_an_empty_or_huge_query_is_harmless(client, db):
    assert client.get(reverse("search"), {"q": ""}).status_code == 200
    response = client.get(reverse("search"), {"q": "x" * 5000 + " '; DROP TABLE travel_trip; --"})
    assert response.status_code == 200
    assert (
        "Intet blev fundet" in response.content.decode()
        or "Nothing was found" in response.content.decode()
    )


def test_the_sitemap_names_public_pages_in_both_languages_and_no_draft(client, trips):
    index = client.get(reverse("sitemap")).content.decode()
    assert "sitemap-trips.xml" in index
    section = client.get(reverse("sitemap_section", args=["trips"])).content.decode()
    assert "/trips/wuxi-2025/" in section
    assert "/en/trips/wuxi-2025/" in section
    assert "kladde" not in section
    robots = client.get(reverse("robots_txt")).content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    assert "Disallow: /staff/" in robots


def test_the_sitemap_index_dates_the_trips_by_their_latest_publication(client, db):
    when = lambda day: datetime.datetime(2025, 2, day, 12, tzinfo=datetime.UTC)  # noqa: E731
    TripFactory(published_at=when(10))
    TripFactory(state="report_published", published_at=when(1), report_published_at=when(20))
    TripFactory(state="draft", published_at=None, slug="kladde")
    index = client.get(reverse("sitemap")).content.decode()
    trips = re.search(r"sitemap-trips\.xml</loc>\s*<lastmod>([^<]+)</lastmod>", index)
    assert trips and trips.group(1).startswith("2025-02-20")


@pytest.mark.parametrize("path", ["/data/", "/data/api/", "/search/?q=wuxi", "/sitemap-trips.xml"])
def test_open_data_pages_cost_the_same_queries_for_few_rows_and_many(
    client, trips, path, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as few:
        client.get(path)
    for n in range(30):
        TripFactory(title=f"Wuxi {n}", travellers=[PersonFactory()], costs=[("hotel", 1, 1)])
        PartnerCityFactory(name=f"Wuxi {n}")
        InitiativeFactory(title=f"Wuxi {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(path)


def test_control_characters_in_a_search_are_ignored(client, trips):
    response = client.get(reverse("search"), {"q": "wuxi\x00\x07"})
    assert response.status_code == 200
    assert 'href="/trips/wuxi-2025/"' in response.content.decode()


def test_every_dataset_downloads_as_xlsx_with_typed_cells(client, trips):
    import datetime
    from decimal import Decimal

    from openpyxl import load_workbook

    BudgetLineFactory(budget_year__year=2025)
    InitiativeFactory(budget_year__year=2025, number="1.01")
    one_of = {"person-trips": ["mette-holm"]}
    for dataset in opendata.datasets():
        url = dataset.download_page or reverse(dataset.page, args=one_of.get(dataset.slug, [2025]))
        response = client.get(url, {"format": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [str(column.label) for column in dataset.all_columns()], (
            dataset.slug
        )
        assert len(rows) > 1 or dataset.slug not in ("trips", "budget", "follow-up")
        for row in rows[1:]:
            for column, value in zip(dataset.all_columns(), row, strict=True):
                if value is None:
                    continue
                expected = {
                    "decimal": (int, float, Decimal),
                    "integer": (int,),
                    "date": (datetime.datetime, datetime.date),
                }.get(column.type, (str, bool))
                assert isinstance(value, expected), (dataset.slug, column.key, value)
    # Identifiers that look like numbers stay text: the follow-up's 1.01 is not 1.01 the number.
    sheet = load_workbook(
        io.BytesIO(
            client.get(reverse("budgets:follow_up", args=[2025]), {"format": "xlsx"}).getvalue()
        )
    ).active
    assert "1.01" in [cell.value for cell in sheet[2]]


def test_no_xlsx_cell_is_a_formula(client, db):
    from openpyxl import load_workbook

    TripFactory(slug="formel", title='=HYPERLINK("http://evil.example","Klik")')
    response = client.get(reverse("travel:list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert '=HYPERLINK("http://evil.example","Klik")' in [cell.value for cell in cells]


@pytest.mark.parametrize(
    ("prefix", "separator", "example"),
    [("", "“;”", "1234,50"), ("/en", "“,”", "1234.50"), ("/de", "“;”", "1234,50")],
)
def test_the_data_page_states_the_csv_format_of_its_own_language(
    client, db, prefix, separator, example
):
    data_page, trips = reverse("data"), reverse("travel:list")  # before a request changes language
    page = client.get(prefix + data_page).content.decode()
    assert separator in page and example in page
    csv = client.get(prefix + trips, {"format": "csv"}).getvalue().decode()
    assert csv.lstrip("\ufeff").split("\r\n")[0].count(separator.strip("“”")) > 3


def test_the_sitemap_comes_in_pages_that_the_index_lists(client, monkeypatch):
    from shell.sitemaps import SITEMAPS

    # Each trip once per language (three): 15 entries, 6 a page.
    monkeypatch.setattr(SITEMAPS["trips"], "limit", 6)
    for n in range(5):
        TripFactory(slug=f"trip-{n}")
    index = client.get(reverse("sitemap")).content.decode()
    # Addresses from PORTAL_BASE_URL, not the request's host (docs/security/mail-and-links.md).
    base = re.escape(settings.PORTAL_BASE_URL)
    pages = re.findall(rf"<loc>{base}(/sitemap-trips\.xml[^<]*)</loc>", index)
    assert [page.replace("&amp;", "&") for page in pages] == [
        "/sitemap-trips.xml",
        "/sitemap-trips.xml?p=2",
        "/sitemap-trips.xml?p=3",
    ]
    last = client.get("/sitemap-trips.xml", {"p": 3}).content.decode()
    assert "/trips/trip-4/" in last and "/trips/trip-0/" not in last

    # Pages that end inside a trip's languages: each address once, on one page.
    monkeypatch.setattr(SITEMAPS["trips"], "limit", 4)
    addresses = [
        address
        for page in (1, 2, 3, 4)
        for address in re.findall(
            r"<loc>([^<]*)</loc>", client.get("/sitemap-trips.xml", {"p": page}).content.decode()
        )
    ]
    assert len(addresses) == len(set(addresses)) == 15


def test_the_sitemap_pages_say_what_djangos_own_sitemap_would(client, trips):
    """The sitemap writes its pages itself (addresses made once per language, the XML
    without a template loop): each page must hold the very entries Django's sitemap
    would, with their languages' alternates, x-default and dates."""
    import xml.etree.ElementTree as ET

    from django.contrib.sitemaps import Sitemap
    from django.contrib.sites.requests import RequestSite
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from shell.sitemaps import SITEMAPS

    trips[0].state = "report_published"
    trips[0].report_published_at = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
    trips[0].save()
    site = RequestSite(RequestFactory().get("/"))

    def entries(xml: str) -> list[bytes]:
        urls = list(ET.fromstring(xml.encode()))
        for url in urls:
            url.tail = None
        return [ET.tostring(url) for url in urls]

    for name, sitemap in SITEMAPS.items():
        djangos = Sitemap.get_urls(sitemap, site=site, protocol="http")
        served = client.get(reverse("sitemap_section", args=[name])).content.decode()
        assert entries(served) == entries(render_to_string("sitemap.xml", {"urlset": djangos}))
        assert len(entries(served)) == len(djangos), name
        assert djangos or name not in ("pages", "trips", "partner-cities")


@pytest.mark.parametrize("page", ["0", "2", "99999", "abc", "-1", "1.5", "x" * 500])
def test_a_sitemap_page_that_does_not_exist_is_a_404_not_an_error(client, trips, page):
    """The sitemap's own writer reads ?p= as Django's does: a page past the last, or not a
    page number at all, is "not found" and never a 500."""
    response = client.get(reverse("sitemap_section", args=["trips"]), {"p": page})
    assert response.status_code == 404
