"""Filters the apps' FilterSets share."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

FIRST_YEAR, LAST_YEAR = 1900, 2200


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A calendar year of a date field: a whole number, so "2025.5" or "0.0" is a form error
    (a 400 in the API) rather than a failed query."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
        self.extra.setdefault("min_value", FIRST_YEAR)
        self.extra.setdefault("max_value", LAST_YEAR)
