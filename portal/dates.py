"""Short dates as the active language writes them (its SHORT_DATE_FORMAT, portal.formats).

A list shows two on each of its 50 rows, and Django's `date` filter reads the format
character by character on every call (docs/decisions: short dates). A
format of numbers only (day, month, year and what stands between them) is turned once per
language into a `str.format` pattern; any other format is left to Django.
"""

import datetime
from functools import lru_cache

from django.template.defaultfilters import date as date_filter
from django.utils.formats import get_format
from django.utils.translation import get_language

# Django's date format characters written as numbers, as `str.format` fields of a date's
# day, month and year (`dateformat.DateFormat` writes them the same way).
NUMBERS = {
    "d": "{day:02}",
    "j": "{day}",
    "m": "{month:02}",
    "n": "{month}",
    "Y": "{year:04}",
    "y": "{short_year:02}",
}


def compile_format(date_format_string: str) -> str | None:
    """A Django date format as a `str.format` pattern, or None when it names more than
    numbers (a month's name, a weekday: Django translates those)."""
    pattern, escaped = [], False
    for char in date_format_string:
        if escaped or (not char.isalpha() and char != "\\"):
            pattern.append(char.replace("{", "{{").replace("}", "}}"))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in NUMBERS:
            pattern.append(NUMBERS[char])
        else:
            return None
    return "".join(pattern)


@lru_cache(maxsize=32)
def _short_pattern(language: str | None) -> str | None:
    return compile_format(get_format("SHORT_DATE_FORMAT", language))


def short_date(value) -> str:
    """The date (or a datetime's date, already in local time) as the active language writes
    it in short, as `{{ value|date:"SHORT_DATE_FORMAT" }}` does, which writes anything
    else (nothing, a text that is no date) as ''."""
    pattern = _short_pattern(get_language())
    if pattern is None or not isinstance(value, datetime.date):
        return date_filter(value, "SHORT_DATE_FORMAT")  # Django's own, '' for what is no date
    return pattern.format(
        day=value.day, month=value.month, year=value.year, short_year=value.year % 100
    )
