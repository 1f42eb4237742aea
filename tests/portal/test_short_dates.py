"""Short dates written from a format read once per language (portal.dates) read exactly as
Django's own `date` filter writes them."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.dateformat import format as django_format

from portal.dates import compile_format, short_date

DATES = [
    datetime.date(2025, 1, 2),
    datetime.date(2025, 12, 31),
    datetime.date(987, 7, 4),
    datetime.date(2009, 10, 9),
]


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_each_language_writes_its_short_dates_as_django_does(language):
    with translation.override(language):
        for day in DATES:
            expected = Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(Context({"day": day}))
            written = Template("{% load portal %}{{ day|short_date }}").render(
                Context({"day": day})
            )
            assert written == expected == short_date(day)


@pytest.mark.parametrize(
    "date_format", ["d.m.Y", "j.n.y", "Y-m-d", "n/j/Y", r"d \d\e m Y", "{d}%m", "d. F Y", "D j M"]
)
def test_a_format_of_numbers_is_compiled_and_any_other_is_left_to_django(date_format):
    pattern = compile_format(date_format)
    if any(char in date_format for char in "FDM"):
        assert pattern is None
        return
    for day in DATES:
        assert pattern.format(
            day=day.day, month=day.month, year=day.year, short_year=day.year % 100
        ) == django_format(day, date_format)


def test_a_datetime_is_shown_on_its_local_day_and_what_is_no_date_as_nothing(settings):
    settings.TIME_ZONE = "Europe/Copenhagen"
    late = datetime.datetime(2025, 3, 1, 23, 30, tzinfo=datetime.UTC)  # 2 March in Copenhagen
    with translation.override("da"):
        written = Template(
            "{% load portal %}{{ at|short_date }}|{{ none|short_date }}{{ text|short_date }}"
        ).render(Context({"at": late, "none": None, "text": "not a date"}))
        expected = Template('{{ at|date:"SHORT_DATE_FORMAT" }}|').render(Context({"at": late}))
    assert written == expected
    assert written.startswith("02")
