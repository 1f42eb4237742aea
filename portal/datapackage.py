"""Frictionless Data Packages: each public dataset's CSV described by a Table Schema, so
that `frictionless`, pandas (with the schema) or a data portal read amounts as numbers,
dates as dates and identifiers such as 1.01 as text, in the page's language.

The schema is made from the dataset's own columns (`portal.opendata.Column`): the same
declaration as the CSV, so the two cannot disagree.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from portal.csvexport import delimiter
from portal.money import separators
from portal.opendata import Column, Dataset, absolute_url

LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
}


def field(column: Column) -> dict:
    """One Table Schema field for one CSV column, in the active language."""
    described = {
        "name": str(column.label),
        "title": str(column.label),
        "description": str(column.description),
    }
    if column.type in ("decimal", "number"):
        # Written without grouping (portal.csvexport.plain_number): only the decimal mark.
        return {**described, "type": "number", "decimalChar": separators()[1]}
    if column.type == "integer":
        return {**described, "type": "integer"}
    if column.type == "date":
        return {**described, "type": "date"}
    if column.type == "boolean":
        return {**described, "type": "boolean", "trueValues": [_("yes")], "falseValues": [_("no")]}
    if column.type == "code" and column.choices is not None and column.words is None:
        # The CSV shows each code's words: those are the values a reader finds.
        labels = [str(label) for _value, label in column.choices.choices]
        return {**described, "type": "string", "constraints": {"enum": labels}}
    if column.type == "url":
        return {**described, "type": "string", "format": "uri"}
    return {**described, "type": "string"}


def package(dataset: Dataset, *, csv_path: str, publisher: str, homepage: str) -> dict:
    """The data package of a dataset whose whole CSV is at `csv_path` (a site path)."""
    licence_url = settings.OPEN_DATA_LICENSE_URL
    licence = {"path": licence_url, "title": licence_url}
    if licence_url in LICENCES:
        licence["name"] = LICENCES[licence_url]
    return {
        "name": dataset.slug,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "homepage": absolute_url(dataset.landing_page),
        "licenses": [licence],
        "sources": [{"title": publisher, "path": homepage}],
        "resources": [
            {
                "name": dataset.slug,
                "path": absolute_url(f"{csv_path}?format=csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {
                    "delimiter": delimiter(),
                    "header": True,
                    "doubleQuote": True,
                    "quoteChar": '"',
                },
                "schema": {"fields": [field(column) for column in dataset.all_columns()]},
            }
        ],
    }
