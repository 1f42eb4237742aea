"""The read-only open-data API: the parts every endpoint shares.

Everything under /api/ is public data: no login, no sessions, no writes. Each
app's `api.py` declares its serializers and views; `portal/api_urls.py` puts
them under /api/. A filter on an API list is the FilterSet of the HTML list, so
`/api/trips/?year=2025` and `/trips/?year=2025` select the same trips.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.text import format_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.fields import SkipField
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.i18n import all_languages, localized, request_language
from portal.municipalities import default_language
from portal.opendata import absolute_url
from portal.pagecache import public_page
from portal.pagination import stable_order
from portal.writers import json_value


class TranslatedFields:
    """A serializer giving texts staff write in every shipped language: `translated` maps an
    output name to its source, {"name": "line.name"} gives name_da, name_en, name_de."""

    translated: dict[str, str] = {}

    def get_fields(self):
        fields = super().get_fields()
        for name, source in self.translated.items():
            for output, column in zip(all_languages(name), all_languages(source), strict=True):
                source = {} if output == column else {"source": column}
                fields[output] = serializers.CharField(allow_null=True, **source)
        return fields


SCHEMAS = {
    "text": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{2}$"},
    "number": {"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{2}$"},
    "date": {"type": "string", "format": "date"},
    "code": {"type": "string"},
    "url": {"type": "string", "format": "uri"},
    "list": {"type": "array", "items": {"type": "string"}},
    "boolean": {"type": "boolean"},
}


STABLE_TITLE = "x-stable-title"


class ColumnField(serializers.Field):
    """One column of a dataset in the API: the value the JSON download gives."""

    def __init__(self, column, **kwargs):
        self.column = column
        super().__init__(
            source="*",
            read_only=True,
            label=column.label,
            help_text=column.description,
            **kwargs,
        )
        schema = dict(column.json_schema or SCHEMAS[column.type])
        if column.type == "code" and column.choices is not None:
            # null among the codes: the document's enum step makes it "one of the codes or null"
            schema["enum"] = [*column.choices.values, *([None] if column.nullable else [])]
        elif column.nullable:
            schema["nullable"] = True
        schema["description"] = str(column.description)
        # Its title in the document: the English heading, the same in every deployment
        # (portal.api_policy.document_conventions makes it the title).
        with translation.override("en"):
            schema[STABLE_TITLE] = str(column.label)
        extend_schema_field(schema)(self)

    def to_representation(self, obj):
        return json_value(self.column.of(obj))


class TranslationField(serializers.Field):
    """A text of a column in one shipped language (title_da), as the JSON download gives it."""

    def __init__(self, column, language, **kwargs):
        self.column, self.language = column, language
        super().__init__(source="*", read_only=True, **kwargs)
        # Lazy: a field made at import (a nested serializer named as a method's return type)
        # must not keep the words of the language active then.
        description = format_lazy("{} ({})", column.description, self.language)
        extend_schema_field({"type": "string", "nullable": True, "description": description})(self)

    def to_representation(self, obj):
        return self.column.in_language(obj, self.language)


class DatasetFields:
    """A serializer whose fields are a dataset's columns (`dataset`, portal.opendata): the
    same declaration makes the CSV, JSON and XLSX downloads, the data package's Table Schema,
    the data page's dictionary and these fields, so they cannot disagree. A serializer may
    add fields the downloads do not carry (nested detail), declared on it as usual."""

    dataset = None

    def get_fields(self):
        fields = {}
        for column in self.dataset.all_columns():
            fields[column.key] = ColumnField(column)
            if column.translated:
                for code in settings.MODELTRANSLATION_LANGUAGES:
                    fields[localized(column.key, code)] = TranslationField(column, code)
        return {**fields, **super().get_fields()}

    @classmethod
    def rows_in_order(cls, queryset, keys: list) -> list:
        """A page of the list (these keys, in order) as the plain rows the dataset's columns
        read (`Dataset.rows_in_order`), with the fields the serializer adds (their sources)."""
        added = [field.source or name for name, field in cls._declared_fields.items()]
        return cls.dataset.rows_in_order(queryset, keys, also=added)

    def to_representation(self, instance):
        """The dataset's row as the JSON download writes it, in one pass over the columns
        rather than a DRF field per value (most of an API list's time), then the fields the
        serializer adds."""
        if not hasattr(self, "_columns"):  # once per list: the list's serializer is one
            self._columns = self.dataset.all_columns()
            self._added = [
                field
                for field in self._readable_fields
                if not isinstance(field, ColumnField | TranslationField)
            ]
        row = next(self.dataset.json_rows([self.dataset.as_row(instance)], self._columns))
        for field in self._added:
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            row[field.field_name] = (
                None if attribute is None else field.to_representation(attribute)
            )
        return row


class LanguageNeutral:
    """API output is the same whatever language the client prefers: texts come in every
    shipped language as `_da`/`_en`/`_de` fields, and page addresses are the default
    language's.
    Answers to anonymous clients come from the page cache when it is on."""

    @method_decorator(public_page)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        translation.activate(default_language())
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        """An error speaks the client's language (Accept-Language), as the data cannot:
        "Nicht gefunden." rather than Django's English "No Trip matches the given query."."""
        language = request_language(self.request)
        with translation.override(language):
            if isinstance(exc, Http404):
                exc = NotFound()
            response = super().handle_exception(exc)
        response["Content-Language"] = language
        return response


class PublicViewSet(LanguageNeutral, viewsets.ReadOnlyModelViewSet):
    """A list and a detail endpoint; lists are ordered so that paging is stable. Filters
    on many-valued relations are semi-joins, so a list needs no DISTINCT."""

    def filter_queryset(self, queryset):
        return stable_order(super().filter_queryset(queryset))


class APIRootView(LanguageNeutral, APIView):
    """Where every part of the API is."""

    LISTS = [
        "partner-city-list",
        "network-list",
        "exchange-statistics-list",
        "budget-year-list",
        "trip-list",
        "grant-statistics-list",
    ]

    @extend_schema(exclude=True)
    def get(self, request):
        # From PORTAL_BASE_URL, never the request's Host header (a cache may not key on it).
        links = {
            name.removesuffix("-list"): absolute_url(django_reverse(f"api:{name}"))
            for name in self.LISTS
        }
        links["schema"] = absolute_url(django_reverse("api:schema"))
        links["documentation"] = absolute_url(django_reverse("api_docs"))
        return Response(links)


def not_found(request, *args, **kwargs):
    """A 404 in the API's own form (the document's Error), for an address no endpoint has."""
    from django.http import JsonResponse
    from django.utils.translation import gettext

    # In the client's language, as every other answer of the API (ApiLanguageMiddleware).
    return JsonResponse({"detail": gettext("Not found.")}, status=404)
