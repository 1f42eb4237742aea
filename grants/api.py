"""Grants in public: what each scheme granted per year, never who applied."""

from rest_framework import generics, serializers

from grants.models import GrantApplication
from grants.selectors import statistics
from portal.api import LanguageNeutral, TranslatedFields

MONEY = {"max_digits": 14, "decimal_places": 2}


class GrantStatisticsSerializer(TranslatedFields, serializers.Serializer):
    translated = {"scheme_name": "scheme__name"}
    year = serializers.IntegerField()
    scheme = serializers.SlugField(source="scheme__slug")
    trips = serializers.IntegerField(
        allow_null=True, help_text="Applications granted; null when fewer than the threshold."
    )
    amount = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Amount granted; null when suppressed."
    )
    suppressed = serializers.BooleanField(
        help_text="Fewer grants than STATISTICS_MIN_GROUP: no figures, cities or names."
    )
    partner_cities = serializers.ListField(child=serializers.CharField())
    associations = serializers.ListField(
        child=serializers.CharField(), help_text="Associations that agreed to be named."
    )


class GrantStatisticsView(LanguageNeutral, generics.ListAPIView):
    """Per scheme and year of decision: amount granted, trips supported, partner cities."""

    serializer_class = GrantStatisticsSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a client
            return GrantApplication.objects.none()
        return statistics()
