"""The read-only open-data API: the parts every endpoint shares.

Everything under /api/ is public data: no login, no sessions, no writes. Each
app's `api.py` declares its serializers and views; `portal/api_urls.py` puts
them under /api/. A filter on an API list is the FilterSet of the HTML list, so
`/api/trips/?year=2025` and `/trips/?year=2025` select the same trips.
"""

from django.conf import settings
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from portal.i18n import all_languages
from portal.pagecache import public_page
from portal.pagination import stable_order


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


class LanguageNeutral:
    """API output is the same whatever language the client prefers: texts come in every
    shipped language as `_da`/`_en`/`_de` fields, and page addresses are the default
    language's.
    Answers to anonymous clients come from the page cache when it is on."""

    @method_decorator(public_page)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        translation.activate(settings.LANGUAGE_CODE)
        super().initial(request, *args, **kwargs)


class PublicViewSet(LanguageNeutral, viewsets.ReadOnlyModelViewSet):
    """A list and a detail endpoint; lists are ordered so that paging is stable."""

    distinct = False

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.distinct:
            queryset = queryset.distinct()
        return stable_order(queryset)


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
        links = {
            name.removesuffix("-list"): reverse(f"api:{name}", request=request)
            for name in self.LISTS
        }
        links["schema"] = reverse("api:schema", request=request)
        links["documentation"] = request.build_absolute_uri(django_reverse("api_docs"))
        return Response(links)
