import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from budgets.models import Committee
from partnerships.models import PartnerCity
from portal.filters import OrderingFilter, PortalFilterSet, RecordFilter, YearFilter
from portal.money import with_currency
from travel.models import Person, Trip, TripTotal, TripTraveller
from travel.selectors import KEPT_PER, published, published_count


class TripFilter(PortalFilterSet):
    empty_labels = {
        "committee": _("All committees"),
        "person": _("All travellers"),
        "country": _("All countries"),
        "partner_city": _("All partner cities"),
        "order": _("Newest first"),
        "year": _("All years"),
    }

    year = YearFilter(label=_("Year"), field_name="starts_on", years=lambda: _years_travelled())
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"),
        queryset=Committee.objects.all(),
        field_name="committee",
        to_field_name="slug",
    )
    person = RecordFilter(
        label=_("Traveller"), queryset=lambda: _travellers(), field_name="travellers__person"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="destination_country", choices=lambda: _countries_visited()
    )
    partner_city = RecordFilter(label=_("Partner city"), queryset=lambda: _partner_cities_visited())
    cost_min = django_filters.NumberFilter(
        label=with_currency(_("Cost from")), field_name="total_actual", lookup_expr="gte"
    )
    cost_max = django_filters.NumberFilter(
        label=with_currency(_("Cost up to")), field_name="total_actual", lookup_expr="lte"
    )
    order = OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("starts_on", "date"),
            ("total_actual", "cost"),
            ("per_participant_order", "per_participant"),
            ("head_count", "participants"),
        ],
        field_labels={
            "date": _("Date"),
            "cost": _("Cost"),
            "per_participant": _("Cost per participant"),
            "participants": _("Participants"),
        },
        same_as_empty="-date",  # the list's own order, offered as "Newest first"
    )

    class Meta:
        model = Trip
        fields = []

    def kept(self) -> dict | None:
        """The chosen filters when the kept totals can answer for the list (it is filtered by
        nothing but what they are kept per: year, committee, country), else None."""
        chosen = self.chosen()
        return chosen if chosen is not None and chosen.keys() <= set(KEPT_PER) else None

    def known_count(self) -> int | None:
        kept = self.kept()
        return published_count(**kept) if kept is not None else None


# The choices come from published trips only: a draft's destination or travellers are not
# public yet, and a choice that selects nothing only gets in the way.


def _published():
    # order_by(): the model's ordering would make DISTINCT return every trip.
    return published().order_by()


def _travellers():
    travelled = TripTraveller.objects.filter(trip__in=_published()).values("person")
    return Person.objects.filter(pk__in=travelled)


def _partner_cities_visited():
    return PartnerCity.objects.filter(pk__in=_published().values("partner_city"))


def _years_travelled() -> list[int]:
    """From the kept totals (a row per year, committee and country), not every trip."""
    kept = TripTotal.objects.filter(trips__gt=0).order_by()
    return list(kept.values_list("year", flat=True).distinct())


def _countries_visited() -> list[tuple[str, str]]:
    """From the kept totals (a row per year, committee and country), not every trip."""
    kept = TripTotal.objects.filter(trips__gt=0).order_by()
    codes = set(kept.values_list("country", flat=True).distinct())
    return [(code, name) for code, name in countries if code in codes]
