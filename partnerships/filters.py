import django_filters
from django.utils.translation import gettext_lazy as _

from partnerships.enums import ExchangeKind, ExchangeStatus, PartnerCityKind, RelationStatus
from partnerships.models import Exchange, FocusArea, PartnerCity, School
from portal.filters import PortalFilterSet, RecordFilter, YearFilter


class PartnerCityFilter(PortalFilterSet):
    empty_labels = {
        "kind": _("All kinds"),
        "status": _("Active and ended"),
        "focus_area": _("All focus areas"),
    }

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PartnerCityKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RelationStatus.choices)
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"),
        field_name="focus_areas",  # for the API document's type; the method filters
        to_field_name="slug",
        queryset=FocusArea.objects.all(),
        method="with_focus_area",
    )

    def with_focus_area(self, queryset, name, value):
        """A semi-join, so that the list needs no DISTINCT (a city has many focus areas)."""
        with_it = PartnerCity.focus_areas.through.objects.filter(focusarea=value)
        return queryset.filter(pk__in=with_it.values("partnercity"))

    class Meta:
        model = PartnerCity
        fields = ["kind", "status", "focus_area"]


class PublicExchangeFilter(PortalFilterSet):
    """What the public may ask of exchanges in aggregate: exactly the keys of the groups the
    figures are given for (year, kind, partner city), so that a filter only picks whole
    groups and never splits one: the difference of two answers is then always a difference
    of whole, published groups, never a suppressed group's people. Never a school or unit,
    which would narrow a statistic down to one class, nor the state, which splits a group
    (docs/security/small-groups.md)."""

    empty_labels = {
        "kind": _("All kinds"),
        "partner_city": _("All partner cities"),
    }

    year = YearFilter(label=_("Year"), field_name="starts_on")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ExchangeKind.choices)
    partner_city = RecordFilter(label=_("Partner city"), queryset=PartnerCity.objects.all)

    class Meta:
        model = Exchange
        fields = ["year", "kind", "partner_city"]


REGISTERED_BY_ME = "me"


class ExchangeFilter(PublicExchangeFilter):
    """The coordinators' list, which may also look for a state and a school or unit."""

    empty_labels = {
        **PublicExchangeFilter.empty_labels,
        "status": _("All states"),
        "school": _("All schools and units"),
    }

    status = django_filters.ChoiceFilter(label=_("Status"), choices=ExchangeStatus.choices)
    school = django_filters.ModelChoiceFilter(
        label=_("School or unit"), queryset=School.objects.all()
    )
    registered = django_filters.ChoiceFilter(
        label=_("Registered by"),
        choices=[(REGISTERED_BY_ME, _("Me"))],
        method="filter_registered",
    )
    # The year it was registered in (the staff front page's count), not the year it happens.
    registered_in = YearFilter(label=_("Registered in (year)"), field_name="created_at")

    class Meta(PublicExchangeFilter.Meta):
        fields = [
            "year",
            "kind",
            "status",
            "partner_city",
            "school",
            "registered",
            "registered_in",
        ]

    def filter_registered(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value == REGISTERED_BY_ME and user is not None and user.is_authenticated:
            return queryset.filter(registered_by=user)
        return queryset
