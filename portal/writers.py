"""Writing rows out: a value as JSON gives it, a cell as the CSV and XLSX files show it in
the reader's language, a JSON array written as it is read, and the answer to an XLSX
download of more rows than it may hold."""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.csvexport import Number, plain_number
from portal.money import format_number


def xlsx_too_large(request) -> HttpResponse:
    """The answer to an XLSX download of more rows than XLSX_MAX_ROWS: why, and the same
    list as CSV or JSON (which stream), or its page to filter."""
    query = request.GET.copy()
    addresses = {}
    for key, fmt in (("csv_query", "csv"), ("json_query", "json"), ("page_query", None)):
        query.pop("format", None)
        if fmt:
            query["format"] = fmt
        addresses[key] = query.urlencode()
    context = {"xlsx_max_rows": format_number(settings.XLSX_MAX_ROWS), **addresses}
    return render(request, "portal/xlsx_too_large.html", context, status=413)


def at_most(objects, rows: Iterable, limit: int) -> tuple[bool, Iterable]:
    """Whether there are more than `limit` rows, and the rows to write if not: a queryset
    is asked for at most limit + 1 identifiers; rows made as they are read (a generator)
    are read up to limit + 1 and handed back whole."""
    if isinstance(objects, QuerySet):
        return len(objects.values_list("pk", flat=True)[: limit + 1]) > limit, rows
    if hasattr(objects, "__len__"):
        return len(objects) > limit, rows
    rows = iter(rows)
    head = list(islice(rows, limit + 1))
    return len(head) > limit, chain(head, rows)


def json_array(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array written one element at a time (its "[" first, before any row is read)."""
    yield "["
    separator = ""
    for row in rows:
        yield separator + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ","
    yield "]"


def json_value(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{Decimal(value):.2f}"
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, Promise):
        return str(value)
    return value


def csv_cells(columns: list) -> list[Callable[[Any], str]]:
    """Each column's CSV cell as a function of the row, in the active language (the CSV and
    the XLSX file's text cells)."""
    words = CellWords()
    return [column.csv_cell(words) for column in columns]


class CellWords:
    """A value as a CSV cell in the active language (words, never a code): yes and no and
    the decimal mark looked up once for a whole file; amounts without grouping
    (`portal.csvexport.plain_number`)."""

    def __init__(self):
        self.yes, self.no = str(_("yes")), str(_("no"))
        self.amount = plain_number(2)

    def __call__(self, value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, Decimal | float):
            return Number(self.amount(value))
        if isinstance(value, int):
            return Number(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return ", ".join(self(item) for item in value)
        return str(value)
