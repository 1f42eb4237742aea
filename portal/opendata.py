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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from portal import costly, streaming
from portal.base_url import base_url
from portal.choices import label_of
from portal.csvexport import csv_response
from portal.i18n import all_languages, from_row, localized
from portal.money import currency
from portal.pagination import PAGE_PARAMETER
from portal.streaming import in_chunks, streamed
from portal.writers import CellWords, at_most, csv_cells, json_array, json_value, xlsx_too_large
from portal.xlsxexport import xlsx_response

FORMATS = ("csv", "json", "xlsx")
# The query parameter that asks a page for its list as a download (?format=csv).
FORMAT_PARAMETER = "format"
# What a page made by `list_page` reads of its query string, besides its filters.
LIST_PAGE_READS = (PAGE_PARAMETER, FORMAT_PARAMETER)

TYPES = {
    "text": _("Text"),
    "integer": _("Whole number"),
    "decimal": lazy(
        lambda: _("Amount in %(currency)s with two decimals") % {"currency": currency()}, str
    )(),
    # A quantity that is no money (full-time equivalents): written as an amount is.
    "number": _("Number with two decimals"),
    "date": _("Date, YYYY-MM-DD"),
    "code": _("Code from a fixed list"),
    "url": _("Web address"),
    "list": _("List (in CSV separated by commas)"),
    "boolean": _("Yes or no (true/false in JSON)"),
}


def in_every_language(obj, field: str, key: str = "") -> dict:
    """A text staff write, from an object or a values() row, in every shipped language:
    {key_da: ..., key_en: ..., key_de: ...} ("" where it is not written)."""
    return {
        localized(key or field, code): in_language(obj, field, code)
        for code in settings.MODELTRANSLATION_LANGUAGES
    }


def in_language(obj, field: str, code: str) -> str:
    """The text in one shipped language, from an object or a values() row ("" if none)."""
    column = localized(field, code)
    text = obj.get(column) if isinstance(obj, dict) else getattr(obj, column, "")
    return text or ""


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
    # A text staff write in every language (portal.i18n): where it is, as "title", "line.name"
    # or, in a row of values(), "scheme__name". JSON then gives it in every shipped language
    # too (title_da, title_en, title_de); CSV in the page's language.
    translated: str = ""
    # Whether the JSON value may be null (an amount not yet known).
    nullable: bool = False
    # The JSON value's schema for the API document where the type alone does not say it
    # (a list of objects).
    json_schema: dict | None = None
    # What the column reads of a row, for the lists that read only what their columns read
    # (`Dataset.fields`): the row's own fields ("starts_on", "title_da"), a related record's
    # fields through its relation ("committee__slug": the row then holds the record as
    # "committee"), or a list of related records by the name the row holds it under
    # ("traveller_list", `Dataset.lists`). A plain column reads its key, a translated one
    # its text in every shipped language; a column that works its value or words out
    # (`value`, `words`) says what it reads.
    reads: tuple[str, ...] | None = None

    def fields(self) -> tuple[str, ...]:
        """What the column reads of a row (`reads`)."""
        if self.reads is not None:
            return self.reads
        if self.value is not None or self.words is not None:
            raise ImproperlyConfigured(
                f"The column {self.key!r} works out what it shows: say what it reads (reads=)."
            )
        if self.translated:
            return tuple(all_languages(self.translated.replace(".", "__")))
        return (self.key,)

    def json_keys(self) -> list[str]:
        if not self.translated:
            return [self.key]
        return [self.key, *all_languages(self.key)]

    def in_every_language(self, obj) -> dict:
        holder, field = self._text_of(obj)
        return in_every_language(holder, field, self.key)

    def in_language(self, obj, code: str) -> str:
        """The text in one shipped language ("" where it is not written)."""
        return in_language(*self._text_of(obj), code)

    def _text_of(self, obj) -> tuple[Any, str]:
        holder, _dot, field = self.translated.rpartition(".")
        for name in holder.split(".") if holder else []:
            obj = getattr(obj, name) if obj is not None else None
        return obj, field

    def of(self, obj) -> Any:
        if self.value is not None:
            return self.value(obj)
        if isinstance(obj, dict):
            # A plain row holds a text in every language: the page's, else the default's.
            return from_row(obj, self.translated) if self.translated else obj[self.key]
        return getattr(obj, self.key)

    def csv_cell(self, words: "CellWords") -> Callable[[Any], str]:
        """What a reader of the spreadsheet sees in this column's cells of one file (words,
        never a code), as a function of the row: what the file's language decides (labels
        of codes, yes and no, the number format) is worked out once, not for each of a
        download's hundreds of thousands of cells."""
        if self.words is not None:
            in_words = self.words
            return lambda obj: words(in_words(obj))
        of = self.of
        if self.choices is None:
            return lambda obj: words(of(obj))
        labels = {code: str(label) for code, label in self.choices.choices}

        def label_or_other(code) -> str:
            # A stored code the choices no longer have is shown, not a failed download.
            return labels[code] if code in labels else str(label_of(self.choices, code))

        def label(obj) -> str:
            value = of(obj)
            if isinstance(value, list | tuple):
                return ", ".join(label_or_other(item) for item in value)
            return label_or_other(value) if value else words(value)

        return label

    @property
    def type_label(self) -> Promise:
        return TYPES[self.type]


@dataclass(frozen=True)
class PerRecord:
    """Columns that follow records staff keep (three per follow-up round), made when a page
    or a file is made: `make()` gives them."""

    make: Callable[[], Iterable[Column]]


@dataclass(frozen=True)
class StandardFile:
    """The dataset as a file in a standard of its field, besides the lists' CSV, XLSX and
    JSON (the grants as 360Giving data): the data page links it and the catalogue lists it
    as a distribution that conforms to the standard, whenever `available()` says it has
    something to give."""

    title: str  # the standard's own name, the same in every language
    description: Promise
    url_name: str
    standard: str  # the standard's address (the catalogue's dct:conformsTo)
    available: Callable[[], bool] = lambda: True  # noqa: E731

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_available(self) -> bool:
        return self.available()


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    page: str  # URL name of the public list page
    columns: tuple[Column | PerRecord, ...]
    api: str = ""  # URL name of the API list, if there is one
    # For a dataset shown one year at a time: the URL name of the page that leads to the years.
    index: str = ""
    # Whether the index gives the current year's download (?format= kept on its redirect).
    index_downloads: bool = False
    # Whether the columns read plain rows (`rows`: values() of the fields they read, with
    # their related records attached) rather than model objects: a download then makes no
    # model object per row, where a file of 100,000 rows spends most of its time.
    plain_rows: bool = False
    # The lists of related records a plain row holds that are no field of its model, by the
    # name the columns read them under (a trip's "traveller_list"): a function of a chunk's
    # keys that gives each key's list, in a query or two for the whole chunk. A model
    # object read as a row (`as_row`) holds the same list under that name (a Prefetch's
    # to_attr).
    lists: Mapping[str, Callable[[list], dict]] | None = None
    # The columns (by key) the HTML list page shows, when it shows fewer than all: what the
    # page reads of its objects derives from them (`page_rows`).
    page_columns: tuple[str, ...] = ()
    # The period the data covers, (first day, last day or None), for the catalogue's
    # dct:temporal: from the data itself (one aggregate query), see `period_of`.
    period: Callable[[], tuple] | None = None
    # The dataset in the standards of its field (StandardFile), besides the lists' formats.
    standard_files: tuple[StandardFile, ...] = ()

    @property
    def download_page(self) -> str:
        """The page whose ?format=csv gives the whole dataset, or "" when it comes per year."""
        return "" if self.index else reverse(self.page)

    @property
    def landing_page(self) -> str:
        return reverse(self.index or self.page)

    def all_columns(self) -> list[Column]:
        """The columns, those that follow records (PerRecord) made now."""
        made = []
        for column in self.columns:
            made.extend(column.make() if isinstance(column, PerRecord) else [column])
        return made

    def named_columns(self, keys: Iterable[str]) -> list[Column]:
        by_key = {column.key: column for column in self.all_columns()}
        if unknown := [key for key in keys if key not in by_key]:
            raise ImproperlyConfigured(f"{self.slug} has no column {', '.join(unknown)}")
        return [by_key[key] for key in keys]

    def fields(self, keys: Iterable[str] | None = None) -> tuple[str, ...]:
        """What the columns (all, or those of these keys) read of a row, each once: the one
        declaration a download, the API's list and the list page read their rows by."""
        columns = self.all_columns() if keys is None else self.named_columns(keys)
        return tuple(dict.fromkeys(name for column in columns for name in column.fields()))

    def rows(self, queryset: QuerySet, also: Iterable[str] = ()) -> Iterator[dict]:
        """The queryset's rows as plain rows (`plain_rows`) with what the columns read (and
        the fields `also` names): values() read CHUNK_ROWS at a time, each chunk's related
        records and lists loaded once for the chunk (`_completed`). What the columns read is
        checked now, before a download's first byte, not halfway through its rows."""
        own, related, lists = self._reads(queryset.model, also)

        def chunks():
            chunk_rows = streaming.CHUNK_ROWS  # read when the file is written (tests shrink it)
            values = queryset.values(*own).iterator(chunk_size=chunk_rows)
            while chunk := list(islice(values, chunk_rows)):
                yield from self._completed(chunk, queryset.model, related, lists)

        return chunks()

    def rows_in_order(self, queryset: QuerySet, keys: list, also: Iterable[str] = ()) -> list:
        """The plain rows of these keys, in the keys' order, in one read (a page of the API's
        list, at most a few hundred)."""
        own, related, lists = self._reads(queryset.model, also)
        chunk = list(queryset.filter(pk__in=keys).values(*own))
        rows = {row["pk"]: row for row in self._completed(chunk, queryset.model, related, lists)}
        return [rows[pk] for pk in keys]

    def as_row(self, obj) -> Any:
        """A model object as the plain row the columns read (`plain_rows`), from what it
        holds: its fields as values() gives them (a country's code, not a Country), its
        related records and its lists as loaded with it. Other datasets read the object."""
        if not self.plain_rows or isinstance(obj, dict):
            return obj
        row = {"pk": obj.pk}
        for name in self.fields():
            head, _sep, rest = name.partition("__")
            if rest or _field(obj._meta.model, name) is None:
                row[head] = getattr(obj, head)
                continue
            attname = _field(obj._meta.model, name).attname
            value = getattr(obj, attname)  # loads the field if it was deferred
            row[name] = obj.__dict__.get(attname, value)
        return row

    def page_rows(self, queryset: QuerySet) -> QuerySet:
        """The (filtered) list as its HTML page reads it: the objects with only the fields
        its columns (`page_columns`) read, their related records joined; lists of records
        are the queryset's own prefetches."""
        fields = [
            name
            for name in self.fields(self.page_columns or None)
            if "__" in name or _field(queryset.model, name) is not None
        ]
        related = {name.rpartition("__")[0] for name in fields if "__" in name}
        return queryset.select_related(None).select_related(*related).only(*fields)

    def _reads(self, model, also: Iterable[str]) -> tuple[list, dict, list]:
        """What a plain row reads: the model's own fields (with the key, and each related
        record's key), each related record's fields by relation, and the lists."""
        own, related, lists = ["pk"], {}, []
        for name in dict.fromkeys((*self.fields(), *also)):
            head, _sep, rest = name.partition("__")
            if rest:
                related.setdefault(head, []).append(rest)
            elif _field(model, name) is not None:
                own.append(name)
            elif name in (self.lists or {}):
                lists.append(name)
            else:
                raise ImproperlyConfigured(
                    f"{self.slug}: a column reads {name!r}, which is no field of "
                    f"{model.__name__} nor a list the dataset loads (lists=)."
                )
        own.extend(head for head in related if head not in own)
        return own, related, lists

    def _completed(self, chunk: list[dict], model, related: dict, lists: list) -> list[dict]:
        """A chunk of values() rows with their related records (one query per relation, only
        the fields read of them) and lists (`lists`) in place of their keys."""
        records = {}
        for name, fields in related.items():
            keys = {row[name] for row in chunk} - {None}
            manager = model._meta.get_field(name).related_model._default_manager
            joined = {field.rpartition("__")[0] for field in fields if "__" in field}
            records[name] = manager.select_related(*joined).only(*fields).in_bulk(keys)
        keys = [row["pk"] for row in chunk]
        loaded = {name: self.lists[name](keys) for name in lists}
        for row in chunk:
            for name, by_key in records.items():
                row[name] = by_key.get(row[name])
            for name, by_key in loaded.items():
                row[name] = by_key.get(row["pk"], [])
        return chunk

    def json_rows(self, objects: Iterable, columns: list[Column] | None = None) -> Iterator[dict]:
        columns = columns or self.all_columns()
        for obj in objects:
            row = {}
            for column in columns:
                row[column.key] = json_value(column.of(obj))
                if column.translated:
                    row.update(column.in_every_language(obj))
            yield row

    def csv_rows(self, objects: Iterable, columns: list[Column] | None = None):
        cells = csv_cells(columns or self.all_columns())
        for obj in objects:
            yield [cell(obj) for cell in cells]

    def response(self, request, fmt: str, objects: Iterable, name: str = "") -> HttpResponseBase:
        """The list as a download, streamed: rows are read in chunks and sent as written,
        so neither memory nor the time to the first byte grows with the list. Each client
        may ask for DOWNLOAD_RATE of them (portal.costly)."""
        if refused := costly.too_many(request, costly.DOWNLOAD):
            return refused
        filename = f"{name or self.slug}.{fmt}"
        columns = self.all_columns()
        if self.plain_rows and isinstance(objects, QuerySet):
            rows = self.rows(objects)
        elif self.plain_rows:
            rows = map(self.as_row, objects)
        else:
            rows = in_chunks(objects)
        if fmt == "csv":
            header = [str(column.label) for column in columns]
            return csv_response(filename, header, self.csv_rows(rows, columns))
        if fmt == "xlsx":
            too_many, rows = at_most(objects, rows, settings.XLSX_MAX_ROWS)
            if too_many:
                return xlsx_too_large(request)
            return xlsx_response(filename, str(self.title), columns, csv_cells(columns), rows)
        response = StreamingHttpResponse(
            streamed(json_array(self.json_rows(rows, columns))),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


def _field(model, name: str):
    """The model's field of that name, or None (a list held under that name)."""
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def period_of(queryset, start: str, end: str = "", *, years: bool = False) -> Callable:
    """A dataset's period: the earliest `start` and the latest `end` (or `start`) of the
    queryset's rows; `years=True` for year numbers (1 January to 31 December)."""

    def edge(rows, field: str, order: str):
        # The first row in the field's order: an index on it answers without reading the
        # others (an aggregate, or a count beside it, reads every row of the dataset).
        dated = rows.filter(**{f"{field}__isnull": False}).order_by(order)
        return dated.values_list(field, flat=True).first()

    def period() -> tuple:
        rows = queryset()
        first, last = (
            value.date() if isinstance(value, datetime.datetime) else value
            for value in (edge(rows, start, start), edge(rows, end or start, f"-{end or start}"))
        )
        has_rows = first is not None or rows.exists()
        if years:
            first = first and datetime.date(first, 1, 1)
            last = last and datetime.date(last, 12, 31)
        return Period((first, last), has_rows=has_rows)

    return period


class Period(tuple):
    """(first day, last day) of a dataset's rows; `has_rows`: whether it has rows at all (rows
    without dates: a partner city without a year)."""

    def __new__(cls, dates: tuple, *, has_rows: bool):
        period = super().__new__(cls, dates)
        period.has_rows = has_rows
        return period


def datasets() -> list[Dataset]:
    return list(DATASETS.values())


DATASETS: dict[str, Dataset] = {}


def whole_download(dataset: Dataset) -> str:
    """The site path whose ?format= gives the whole dataset, or "" when it comes only per
    entry. A dataset shown per year downloads from its index, which keeps the format on
    its way to the current year."""
    return dataset.download_page or (dataset.landing_page if dataset.index_downloads else "")


def absolute_url(path: str) -> str:
    return base_url() + path


def page_url(obj) -> str:
    return absolute_url(obj.get_absolute_url())


def identifier_column(*, in_api: bool) -> Column:
    """The row's slug, as its page's address (and the API's) uses it."""
    if in_api:
        return Column(
            "slug", _("Identifier"), _("Stable identifier used in addresses and the API.")
        )
    return Column("slug", _("Identifier"), _("Stable identifier used in addresses."))


def record_column(key: str, label: Promise, description: Promise) -> Column:
    """A record a plain row may hold (`row[key]`, with a slug and a name): its identifier
    in JSON, its name in CSV, null or empty when there is none."""

    def slug(row):
        record = row[key]
        return record.slug if record else None

    def name(row):
        record = row[key]
        return record.name if record else ""

    reads = (f"{key}__slug", f"{key}__name")  # a translated name: every language (only())
    return Column(key, label, description, value=slug, words=name, nullable=True, reads=reads)


def named(record) -> dict | None:
    """A record staff keep, as JSON gives it inside a row: its identifier and its name in
    the default language and in every shipped language."""
    if record is None:
        return None
    return {"slug": record.slug, "name": str(record.name), **in_every_language(record, "name")}


def named_schema() -> dict:
    """The API document's schema of `named`."""
    names = {key: {"type": "string"} for key in ("name", *_name_keys())}
    return {"type": "object", "properties": {"slug": {"type": "string"}, **names}}


def _name_keys() -> list[str]:
    return all_languages("name")


def url_column(
    description: Promise, page_of=None, *, address=None, reads: tuple[str, ...] | None = None
) -> Column:
    """The address of the row's own page (or of the object `page_of(row)` gives, or the
    site path `address(row)` gives of a plain row); `reads`: what that reads of the row."""
    if address:
        value = lambda row: absolute_url(address(row))  # noqa: E731
    else:
        value = (lambda row: page_url(page_of(row))) if page_of else page_url
    return Column("url", _("Page"), description, "url", value, reads=reads)


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in DATASETS:
        raise ValueError(f"Two datasets are called {dataset.slug!r}")
    if dataset.plain_rows or dataset.page_columns:
        # What its lists read derives from its columns: each must say what it reads (at
        # start-up, not in the middle of a download); the page names columns it has.
        dataset.fields()
        dataset.fields(dataset.page_columns or None)
    DATASETS[dataset.slug] = dataset
    return dataset
