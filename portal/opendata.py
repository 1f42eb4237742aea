"""Open data: every public list as CSV, JSON and XLSX, each column described once.

A `Dataset` names its columns. The same columns make the CSV and JSON downloads
of a list page and the data dictionary on the data page, so a download cannot
carry a column the dictionary does not explain. Apps declare their datasets in
a `datasets.py` module, found at start-up like admin modules.

CSV is for spreadsheets: headings and numbers in the reader's language (a Danish
spreadsheet reads 1.234,50 as a number). JSON is for programs: the column keys,
amounts as strings with a decimal point (never floats), dates as YYYY-MM-DD.
"""

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.csvexport import Number, csv_response
from portal.money import format_number
from portal.pagination import paginate
from portal.xlsxexport import MEDIA_TYPE as XLSX_MEDIA_TYPE
from portal.xlsxexport import xlsx_response

FORMATS = ("csv", "json", "xlsx")

TYPES = {
    "text": _("Text"),
    "integer": _("Whole number"),
    "decimal": _("Amount in kroner with two decimals"),
    "date": _("Date, YYYY-MM-DD"),
    "code": _("Code from a fixed list"),
    "url": _("Web address"),
    "list": _("List (in CSV separated by commas)"),
    "boolean": _("Yes or no (true/false in JSON)"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    description: Promise
    type: str = "text"
    value: Callable[[Any], Any] | None = None
    # For type "code" (or a list of codes): the TextChoices whose codes JSON carries and whose
    # labels CSV shows.
    choices: Any = None
    # The words CSV shows where JSON carries a code that is not a TextChoices (a country).
    words: Callable[[Any], Any] | None = None

    def of(self, obj) -> Any:
        if self.value is not None:
            return self.value(obj)
        if isinstance(obj, dict):
            return obj[self.key]
        return getattr(obj, self.key)

    def csv_of(self, obj) -> str:
        """What a reader of the spreadsheet sees: words, never a code."""
        if self.words is not None:
            return _csv_value(self.words(obj))
        value = self.of(obj)
        if self.choices is not None and isinstance(value, list | tuple):
            return ", ".join(str(self.choices(item).label) for item in value)
        if self.choices is not None and value:
            return str(self.choices(value).label)
        return _csv_value(value)

    @property
    def type_label(self) -> Promise:
        return TYPES[self.type]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    page: str  # URL name of the public list page
    columns: tuple[Column, ...]
    api: str = ""  # URL name of the API list, if there is one
    # For a dataset shown one year at a time: the URL name of the page that leads to the years.
    index: str = ""

    @property
    def download_page(self) -> str:
        """The page whose ?format=csv gives the whole dataset, or "" when it comes per year."""
        return "" if self.index else reverse(self.page)

    @property
    def landing_page(self) -> str:
        return reverse(self.index or self.page)

    def json_rows(self, objects: Iterable) -> list[dict]:
        return [
            {column.key: _json_value(column.of(obj)) for column in self.columns} for obj in objects
        ]

    def csv_rows(self, objects: Iterable):
        for obj in objects:
            yield [column.csv_of(obj) for column in self.columns]

    def response(self, fmt: str, objects: Iterable, name: str = "") -> HttpResponse:
        filename = f"{name or self.slug}.{fmt}"
        if fmt == "csv":
            header = [str(column.label) for column in self.columns]
            return csv_response(filename, header, self.csv_rows(objects))
        if fmt == "xlsx":
            return xlsx_response(filename, str(self.title), self.columns, objects)
        body = json.dumps(self.json_rows(objects), cls=DjangoJSONEncoder, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


def datasets() -> list[Dataset]:
    return list(DATASETS.values())


def _both_languages(text) -> list[dict]:
    values = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            values.append({"@language": language, "@value": str(text)})
    return values


def catalog(*, publisher: str, catalog_url: str) -> dict:
    """The datasets as a DCAT catalogue in JSON-LD, for national data portals to harvest."""
    licence = {"@id": settings.OPEN_DATA_LICENSE_URL}
    agent = {"@type": "foaf:Organization", "foaf:name": publisher}
    with translation.override(settings.LANGUAGE_CODE):
        entries = []
        for dataset in datasets():
            distributions = []
            if dataset.download_page:
                for fmt, media_type in (
                    ("csv", "text/csv"),
                    ("json", "application/json"),
                    ("xlsx", XLSX_MEDIA_TYPE),
                ):
                    distributions.append(
                        {
                            "@type": "dcat:Distribution",
                            "dct:title": fmt.upper(),
                            "dcat:downloadURL": {
                                "@id": absolute_url(f"{dataset.download_page}?format={fmt}")
                            },
                            "dcat:mediaType": media_type,
                            "dct:license": licence,
                        }
                    )
            if dataset.api:
                distributions.append(
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": "API",
                        "dcat:accessURL": {"@id": absolute_url(reverse(dataset.api))},
                        "dcat:mediaType": "application/json",
                        "dct:conformsTo": {"@id": absolute_url(reverse("api:schema"))},
                        "dct:license": licence,
                    }
                )
            entries.append(
                {
                    "@type": "dcat:Dataset",
                    "@id": f"{catalog_url}#{dataset.slug}",
                    "dct:identifier": dataset.slug,
                    "dct:title": _both_languages(dataset.title),
                    "dct:description": _both_languages(dataset.description),
                    "dct:publisher": agent,
                    "dct:license": licence,
                    "dcat:landingPage": {"@id": absolute_url(dataset.landing_page)},
                    "dcat:distribution": distributions,
                }
            )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": catalog_url,
        "dct:title": _both_languages(_("Open data")),
        "dct:publisher": agent,
        "dct:license": licence,
        "dct:language": [language for language, _name in settings.LANGUAGES],
        "dcat:dataset": entries,
    }


DATASETS: dict[str, Dataset] = {}


def absolute_url(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def page_url(obj) -> str:
    return absolute_url(obj.get_absolute_url())


def identifier_column(*, in_api: bool) -> Column:
    """The row's slug, as its page's address (and the API's) uses it."""
    if in_api:
        return Column(
            "slug", _("Identifier"), _("Stable identifier used in addresses and the API.")
        )
    return Column("slug", _("Identifier"), _("Stable identifier used in addresses."))


def url_column(description: Promise, page_of=None) -> Column:
    """The address of the row's own page (or of the object `page_of(row)` gives)."""
    value = (lambda row: page_url(page_of(row))) if page_of else page_url
    return Column("url", _("Page"), description, "url", value)


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in DATASETS:
        raise ValueError(f"Two datasets are called {dataset.slug!r}")
    DATASETS[dataset.slug] = dataset
    return dataset


def list_page(request, template: str, dataset: Dataset, objects, **context) -> HttpResponse:
    """A public list: its CSV or JSON when asked for (?format=), else the page of 50.
    A callable in `context` is called only for the page (totals a download does not need)."""
    if fmt := requested_format(request):
        return dataset.response(fmt, objects)
    context = {key: value() if callable(value) else value for key, value in context.items()}
    return render(
        request,
        template,
        {"page": paginate(request, objects), "dataset": dataset, **context},
    )


def redirect_keeping_query(request, to: str, **kwargs):
    """A redirect to `to` with the request's query string, so that a download address
    (`/follow-up/?format=csv`) keeps its format on the way to the current year."""
    from django.shortcuts import redirect
    from django.urls import reverse

    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse(to, kwargs=kwargs)}{'?' + query if query else ''}")


def requested_format(request) -> str | None:
    """'csv', 'json' or 'xlsx' when the page was asked for as a download (?format=csv)."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def _json_value(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{Decimal(value):.2f}"
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal | float):
        return Number(format_number(value, 2))
    if isinstance(value, int):
        return Number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_csv_value(item) for item in value)
    return str(value)
