"""Filters the apps' FilterSets share."""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
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


class FastSelect(forms.Select):
    """A <select> written out directly instead of through a template per <option>: a filter
    may offer hundreds of choices (every partner city, every traveller), and the template
    per option was most of a list page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = [
            format_html(
                '<option value="{}"{}>{}</option>',
                option["value"],
                mark_safe(" selected") if option["selected"] else "",  # noqa: S308
                option["label"],
            )
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        ]
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(options)),  # noqa: S308 - each option escaped above
        )


class PortalFilterSet(django_filters.FilterSet):
    """A FilterSet whose single-choice filters render as FastSelect, and whose empty choice
    says what it means ("All committees") instead of "---------"."""

    # {filter name: the empty choice's words}; any other reads "All".
    empty_labels: dict = {}

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                if type(field.widget) is forms.Select:
                    field.widget.__class__ = FastSelect
                if isinstance(field, forms.ChoiceField):
                    label = self.empty_labels.get(name, _("All"))
                    field.widget.choices = [
                        ("", label) if value == "" else (value, text)
                        for value, text in field.widget.choices
                    ]
        return self._form

    def is_filtered(self) -> bool:
        """Whether any filter narrows the list (the order does not)."""
        if not self.is_valid():
            return True
        return any(
            value not in (None, "", [])
            for name, value in self.form.cleaned_data.items()
            if not isinstance(self.filters[name], django_filters.OrderingFilter)
        )
