"""Partner cities, networks with memberships, and exchanges in aggregate, for /api/."""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers

from partnerships.datasets import NETWORKS, PARTNER_CITIES
from partnerships.enums import ExchangeKind, ExchangeStatus
from partnerships.filters import PartnerCityFilter, PublicExchangeFilter
from partnerships.models import (
    Exchange,
    NetworkMemberCity,
    WorkingGroup,
)
from partnerships.selectors import public_networks, public_partner_cities, suppress_small_group
from portal.api import DatasetFields, LanguageNeutral, PublicViewSet
from portal.i18n import all_languages


class PartnerCitySerializer(DatasetFields, serializers.Serializer):
    """A partner city: the partner cities dataset's columns, as in the JSON download."""

    dataset = PARTNER_CITIES


class MemberCitySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166 country code.")

    class Meta:
        model = NetworkMemberCity
        fields = ["name", "country", "population", "is_own_municipality"]


class WorkingGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkingGroup
        fields = all_languages("name")


class MembershipSerializer(serializers.Serializer):
    role = serializers.CharField()
    status = serializers.CharField()
    since = serializers.IntegerField(allow_null=True)
    annual_fee = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    working_groups = WorkingGroupSerializer(many=True)


class NetworkSerializer(DatasetFields, serializers.Serializer):
    """A network: the networks dataset's columns (as in the JSON download), with the
    municipality's membership and the member cities in detail."""

    dataset = NETWORKS
    membership = serializers.SerializerMethodField()
    member_cities = MemberCitySerializer(many=True, read_only=True)

    def get_membership(self, network) -> MembershipSerializer(allow_null=True):
        membership = getattr(network, "membership", None)
        return MembershipSerializer(membership).data if membership else None


class PartnerCityViewSet(PublicViewSet):
    """Partner cities: twin towns, partnerships and friendly relations."""

    queryset = public_partner_cities()
    serializer_class = PartnerCitySerializer
    filterset_class = PartnerCityFilter
    lookup_field = "slug"


class NetworkViewSet(PublicViewSet):
    """City networks, their member cities and the municipality's own membership."""

    queryset = public_networks().prefetch_related("member_cities", "membership__working_groups")
    serializer_class = NetworkSerializer
    lookup_field = "slug"


class ExchangeStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ExchangeKind.choices)
    partner_city = serializers.CharField(
        source="city",
        allow_null=True,
        help_text=_("Identifier of the partner city; null for other destinations."),
    )
    activities = serializers.IntegerField()
    pupils = serializers.IntegerField(allow_null=True)
    teachers = serializers.IntegerField(allow_null=True)
    staff = serializers.IntegerField(allow_null=True)
    others = serializers.IntegerField(allow_null=True)
    participants = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField(
        help_text=_("Too few exchanges in the group to count their people without naming them.")
    )

    def to_representation(self, instance):
        return super().to_representation(suppress_small_group(dict(instance)))


class ExchangeStatisticsView(LanguageNeutral, generics.ListAPIView):
    """Exchanges in aggregate per year, kind and partner city. Never a name or a school's
    report; cancelled exchanges are not counted."""

    serializer_class = ExchangeStatisticsSerializer
    filterset_class = PublicExchangeFilter
    queryset = Exchange.objects.filter(~Q(status=ExchangeStatus.CANCELLED))

    def filter_queryset(self, queryset):
        return (
            super()
            .filter_queryset(queryset)
            .annotate(year=ExtractYear("starts_on"), city=F("partner_city__slug"))
            .values("year", "kind", "city")
            .annotate(
                # First, while pupils etc. still name the columns, not the sums below.
                participants=Sum(F("pupils") + F("teachers") + F("staff") + F("others")),
                activities=Count("pk"),
                pupils=Sum("pupils"),
                teachers=Sum("teachers"),
                staff=Sum("staff"),
                others=Sum("others"),
            )
            .order_by("-year", "kind", "city")
        )
