"""Filters the apps' FilterSets share."""

import copy

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

FIRST_YEAR, LAST_YEAR = 1900, 2200


class YearField(forms.IntegerField):
    """A calendar year: anything else (a word, "2025.5", year 0) is refused with one message
    that says what a year is, in the reader's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(**kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to %(last)s, written as a number such as 2025."),
                code="invalid_year",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            ) from error


class YearSelect(forms.Select):
    """The years that have data, newest first, read only when the form is shown; a year
    chosen by a link that is not among them (no data) is offered too, so the form shows
    what the list is filtered by."""

    def __init__(self, years, attrs=None):
        super().__init__(attrs)
        self.years = years
        self.empty_label = ""  # set by PortalFilterSet: "All years"

    def render(self, name, value, attrs=None, renderer=None):
        years = sorted(set(self.years()), reverse=True)
        chosen = str(value) if value not in (None, "") else ""
        if chosen.isdigit() and int(chosen) not in years:
            years = sorted({*years, int(chosen)}, reverse=True)
        select = FastSelect(choices=[("", self.empty_label), *[(str(y), y) for y in years]])
        return select.render(name, chosen, attrs, renderer)


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A calendar year of a date field: a whole number, so "2025.5" or "0.0" is a form error
    (a 400 in the API) rather than a failed query.

    With `years` (a callable giving the years that have data), the form offers those years
    as a list instead of a box to type in; any year in range is still accepted (a link, the
    API), and the same server-side check refuses what is not a year."""

    field_class = YearField

    def __init__(self, *args, years=None, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        if years is not None:
            kwargs["widget"] = YearSelect(years)
        super().__init__(*args, **kwargs)


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


class EmptyChoiceSaying(BaseChoiceIterator):
    """A field's choices with the empty choice's words replaced ("All committees"), read
    only when the form is shown (a choice iterator, which Django keeps lazy): an API list
    checks its filters with the same form and never shows it, so it reads no committees
    or countries to offer."""

    def __init__(self, choices, label, same_as_empty=None):
        self.choices, self.label, self.same_as_empty = choices, label, same_as_empty

    def __iter__(self):
        if not isinstance(self.choices, list):  # read once (a queryset's choices query)
            self.choices = [
                ("", self.label) if value == "" else (value, text)
                for value, text in _in_one_read(self.choices)
                if value != self.same_as_empty or value == ""
            ]
        return iter(self.choices)


def _in_one_read(choices):
    """A field's choices; a model choice field's read as one list: Django's iterator reads
    them through a server-side cursor on PostgreSQL, three round trips for a dozen rows."""
    if not isinstance(choices, ModelChoiceIterator):
        return choices
    empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
    return [*empty, *(choices.choice(record) for record in list(choices.queryset))]


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
                if isinstance(field.widget, RecordWidget | YearSelect):
                    field.widget.empty_label = self.empty_labels.get(name, _("All"))
                if isinstance(field, forms.ChoiceField):
                    label = self.empty_labels.get(name, _("All"))
                    same = getattr(self.filters[name], "same_as_empty", None)
                    field.widget.choices = EmptyChoiceSaying(field.widget.choices, label, same)
        return self._form

    def known_count(self) -> int | None:
        """How many rows the filtered list has, where that is known without counting them
        (from kept totals); None: count them. The page and the API both ask."""
        return None

    def chosen(self) -> dict | None:
        """{filter name: value} of each filter that narrows the list (the order does not);
        None when the filters are not valid."""
        if not self.is_valid():
            return None
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [])
            and not isinstance(self.filters[name], django_filters.OrderingFilter)
        }


@extend_schema_field({"type": "string", "maxLength": 100})
class RecordFilter(django_filters.Filter):
    """One record of a list that grows with history (a traveller, a partner city), chosen by
    its slug. While there are at most `FILTER_CHOICES_MAX` records to choose from, the form
    offers them as a list; beyond that a list is too long to read or to send with every page,
    so the form asks for (part of) a name instead, and a link's slug still selects exactly.

    `queryset` is a callable returning the records worth offering; `field_name` reaches the
    record from the filtered model. The records are read once (at most
    `FILTER_CHOICES_MAX + 1` rows), and only when the form is shown or a value is checked:
    an API list without this filter reads none. The filter is a semi-join, so a trip is
    listed once however many of its travellers match.
    """

    def __init__(self, *args, queryset, **kwargs):
        self.records = queryset
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        """A FilterSet copies its class's filters for each request: the copy reads its own
        records, even if the class's filter ever read them (the API schema's generator)."""
        copied = copy.copy(self)
        copied.extra = copy.deepcopy(self.extra, memo)
        for cached in ("_choices", "_field"):
            copied.__dict__.pop(cached, None)
        return copied

    def choices(self) -> list[tuple[str, str]] | None:
        """(slug, name) of each record to offer, or None when there are too many to list.
        Whether there are is first asked of the whole register (people, partner cities),
        reading at most `FILTER_CHOICES_MAX + 1` of its keys: a register that large gets
        the search field without reading which of its records the list reaches, which
        costs a pass over history."""
        if not hasattr(self, "_choices"):
            limit = settings.FILTER_CHOICES_MAX
            records = self.records()
            register = records.model._default_manager.values_list("pk")[: limit + 1]
            if len(register) > limit:
                self._choices = None
            else:
                self._choices = list(records.values_list("slug", "name"))
        return self._choices

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = RecordField(self, label=self.label)
        return self._field

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        matches = Q(slug=value)
        if self.choices() is None:
            matches |= Q(name__icontains=value)
        chosen = self.records().filter(matches).values("pk")
        rows = qs.model._default_manager.filter(**{f"{self.field_name}__in": chosen})
        return qs.filter(pk__in=rows.values("pk"))


class RecordField(forms.CharField):
    """A RecordFilter's field: a slug among its choices, or any name when it has none."""

    def __init__(self, record_filter: RecordFilter, **kwargs):
        self.record_filter = record_filter
        super().__init__(
            required=False, max_length=100, widget=RecordWidget(record_filter), **kwargs
        )

    def get_bound_field(self, form, field_name):
        return RecordBoundField(form, self, field_name)

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        choices = self.record_filter.choices()
        if choices is not None and value not in dict(choices):
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class RecordBoundField(BoundField):
    @property
    def help_text(self):
        return _("A name or part of one.") if self.field.record_filter.choices() is None else ""

    @help_text.setter
    def help_text(self, value):
        """Said when the field is shown (by the filter's choices), not when the form is made."""


class RecordWidget(forms.TextInput):
    """The list of a RecordFilter's choices, or a search field when it has none."""

    input_type = "search"

    def __init__(self, record_filter: RecordFilter, attrs=None):
        super().__init__(attrs)
        self.record_filter = record_filter
        self.empty_label = ""  # set by PortalFilterSet: "All travellers"

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.record_filter.choices()
        if choices is None:
            return super().render(name, value, attrs, renderer)
        select = FastSelect(choices=[("", self.empty_label), *choices])
        return select.render(name, value, attrs, renderer)


def _descending(label) -> str:
    from django.utils.translation import gettext

    return gettext("%(order)s (descending)") % {"order": label}


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's, its "(descending)" choices translated when they are shown: the
    library writes them once, when a FilterSet is declared, in the language active then
    (a German page offered "Dato (aftagende)").

    `same_as_empty` names the order the list has when none is chosen ("-date"): the form
    offers it once, as the empty choice ("Newest first"), not also as "Date (descending)";
    a link or an API call that names it still gets it."""

    def __init__(self, *args, same_as_empty: str | None = None, **kwargs):
        self.same_as_empty = same_as_empty
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        from django.utils.functional import lazy

        choices = super().build_choices(fields, labels)
        ascending = dict(choices[::2])
        return [
            (param, label)
            if not param.startswith("-") or param in labels
            else (param, lazy(_descending, str)(ascending[param[1:]]))
            for param, label in choices
        ]
