import django_filters
from django.utils.translation import gettext_lazy as _

from partnerships.enums import ExchangeKind, ExchangeStatus, PartnerCityKind, RelationStatus
from partnerships.models import Exchange, FocusArea, PartnerCity
from portal.filters import PortalFilterSet, YearFilter


class PartnerCityFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnerCityKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RelationStatus.choices)
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"),
        field_name="focus_areas",
        to_field_name="slug",
        queryset=FocusArea.objects.all(),
    )

    class Meta:
        model = PartnerCity
        fields = ["kind", "status", "focus_area"]


class ExchangeFilter(PortalFilterSet):
    year = YearFilter(label=_("Year"), field_name="starts_on")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ExchangeKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ExchangeStatus.choices)
    partner_city = django_filters.ModelChoiceFilter(
        label=_("Partner city"), queryset=PartnerCity.objects.all(), to_field_name="slug"
    )
    school_or_unit = django_filters.CharFilter(label=_("School or unit"), lookup_expr="icontains")

    class Meta:
        model = Exchange
        fields = ["year", "kind", "status", "partner_city", "school_or_unit"]
