"""Filters the apps' FilterSets share."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
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


@extend_schema_field({"type": "string", "maxLength": 100})
class RecordFilter(django_filters.Filter):
    """One record of a list that grows with history (a traveller, a partner city), chosen by
    its slug. While there are at most `FILTER_CHOICES_MAX` records to choose from, the form
    offers them as a list; beyond that a list is too long to read or to send with every page,
    so the form asks for (part of) a name instead, and a link's slug still selects exactly.

    `queryset` is a callable returning the records worth offering; `field_name` reaches the
    record from the filtered model. Either way the choice costs one query of at most
    `FILTER_CHOICES_MAX + 1` rows, and the filter a semi-join, so a trip is listed once.
    """

    def __init__(self, *args, queryset, **kwargs):
        self.records = queryset
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            limit = settings.FILTER_CHOICES_MAX
            records = list(self.records().only("slug", "name")[: limit + 1])
            self.offers_choices = len(records) <= limit
            if self.offers_choices:
                self._field = forms.ChoiceField(
                    label=self.label,
                    required=False,
                    choices=[("", "")] + [(record.slug, record.name) for record in records],
                    widget=FastSelect,
                )
            else:
                self._field = forms.CharField(
                    label=self.label,
                    required=False,
                    max_length=100,
                    help_text=_("A name or part of one."),
                    widget=forms.TextInput(attrs={"type": "search"}),
                )
        return self._field

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        value = value.strip()
        matches = Q(slug=value)
        if not self.offers_choices:
            matches |= Q(name__icontains=value)
        chosen = self.records().filter(matches).values("pk")
        rows = qs.model._default_manager.filter(**{f"{self.field_name}__in": chosen})
        return qs.filter(pk__in=rows.values("pk"))
