"""Grants in public: what each scheme granted per year, never who applied."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers

from grants.datasets import GRANT_STATISTICS
from grants.models import GrantApplication
from grants.selectors import StatisticsRows
from portal.api import DatasetFields, LanguageNeutral


class GrantStatisticsSerializer(DatasetFields, serializers.Serializer):
    """A scheme's year: the grant statistics dataset's columns, as in the JSON download,
    but naming at most STATISTICS_NAMES_SHOWN partner cities and associations (the first by
    name), as the statistics page does, with how many more there are; the downloads name
    them all."""

    dataset = GRANT_STATISTICS
    more_partner_cities = serializers.IntegerField(
        read_only=True,
        help_text=_("How many more partner cities than those named (the downloads name all)."),
    )
    more_associations = serializers.IntegerField(
        read_only=True,
        help_text=_("How many more associations than those named (the downloads name all)."),
    )


class GrantStatisticsView(LanguageNeutral, generics.ListAPIView):
    """Per scheme and year of decision: amount granted, trips supported, partner cities.
    Read as the statistics page reads a year (grants.selectors.statistics: the kept totals,
    a bounded number of names per row), the names ranked for the page's rows only
    (grants.selectors.StatisticsRows), so its cost does not grow with the grants or the
    years."""

    serializer_class = GrantStatisticsSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a client
            return GrantApplication.objects.none()
        return StatisticsRows(names=settings.STATISTICS_NAMES_SHOWN)
