"""Grants in public: what each scheme granted per year, never who applied."""

from rest_framework import generics, serializers

from grants.datasets import GRANT_STATISTICS
from grants.models import GrantApplication
from grants.selectors import statistics
from portal.api import DatasetFields, LanguageNeutral


class GrantStatisticsSerializer(DatasetFields, serializers.Serializer):
    """A scheme's year: the grant statistics dataset's columns, as in the JSON download."""

    dataset = GRANT_STATISTICS


class GrantStatisticsView(LanguageNeutral, generics.ListAPIView):
    """Per scheme and year of decision: amount granted, trips supported, partner cities."""

    serializer_class = GrantStatisticsSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a client
            return GrantApplication.objects.none()
        return statistics()
