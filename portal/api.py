"""The read-only open-data API: the parts every endpoint shares.

Everything under /api/ is public data: no login, no sessions, no writes. Each
app's `api.py` declares its serializers and views; `portal/api_urls.py` puts
them under /api/. A filter on an API list is the FilterSet of the HTML list, so
`/api/trips/?year=2025` and `/trips/?year=2025` select the same trips.
"""

from django.conf import settings
from django.utils import translation
from rest_framework import viewsets

from portal.pagination import stable_order


class LanguageNeutral:
    """API output is the same whatever language the client prefers: texts come in both
    languages as `_da`/`_en` fields, and page addresses are the Danish (default) ones."""

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
