"""Reads of partnership data used by pages (and, later, the API)."""

from collections import OrderedDict

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear

from partnerships.enums import ExchangeKind, ExchangeStatus
from partnerships.models import Charter, CityNetwork, Exchange, FocusArea, PartnerCity
from portal import search
from portal.i18n import all_languages
from portal.statistics import is_small

# Each city's focus areas as a list (`city.focus_area_list`), for a whole page or download
# of cities in one query: cheaper per city than a related manager's queryset, which a list
# of 50 cities feels.
CITY_FOCUS_AREAS = Prefetch(
    "focus_areas", queryset=FocusArea.objects.all(), to_attr="focus_area_list"
)


def public_partner_cities():
    """Without the search vector, which only search reads (through the index)."""
    return (
        PartnerCity.objects.select_related("consortium")
        .prefetch_related(CITY_FOCUS_AREAS)
        .defer("search_document", "search_text")
    )


def public_networks():
    return (
        CityNetwork.objects.select_related("membership")
        .annotate(
            member_count=Count("member_cities", distinct=True),
            total_population=Sum("member_cities__population"),
        )
        .order_by("name")
    )


def activity_by_year(partner_city: PartnerCity) -> list[dict]:
    """Exchanges with a partner city in aggregate, by year and kind: never a name.

    One query. Returns [{"year": 2024, "rows": [{"kind": label, "activities": n,
    "participants": n, ...}], "activities": n, "participants": n}], newest year first.
    Cancelled exchanges are not counted.
    """
    rows = (
        Exchange.objects.filter(partner_city=partner_city)
        .filter(~Q(status=ExchangeStatus.CANCELLED))
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "kind")
        .annotate(
            activities=Count("id"),
            pupils=Sum("pupils"),
            teachers=Sum("teachers"),
            staff=Sum("staff"),
            others=Sum("others"),
        )
        .order_by("-year", "kind")
    )
    years: OrderedDict[int, dict] = OrderedDict()
    for row in rows:
        row["participants"] = row["pupils"] + row["teachers"] + row["staff"] + row["others"]
        row["kind_label"] = ExchangeKind(row["kind"]).label
        year = years.setdefault(
            row["year"], {"year": row["year"], "rows": [], "activities": 0, "participants": 0}
        )
        year["rows"].append(suppress_small_group(row))
        year["activities"] += row["activities"]
        if year["participants"] is not None and not row["suppressed"]:
            year["participants"] += row["participants"]
        else:
            # The year's total would give a hidden group away by subtraction.
            year["participants"] = None
    return list(years.values())


PEOPLE = ("pupils", "teachers", "staff", "others", "participants")


def suppress_small_group(row: dict) -> dict:
    """People counted in a group of fewer exchanges than STATISTICS_MIN_GROUP are not
    shown: a single exchange's numbers could single out a class or a teacher. The number of
    exchanges (an institution's activity) is."""
    row["suppressed"] = is_small(row["activities"])
    if row["suppressed"]:
        row.update(dict.fromkeys(PEOPLE))
    return row


def search_partner_cities(query: str):
    """Partner cities whose name, region, description or country (in any language) match,
    through each city's kept search text (partnerships.totals; portal.search); ranked by
    relevance on PostgreSQL."""
    cities = public_partner_cities()
    found = cities.filter(search.matches_text("search_text", query))
    return search.ranked_by_document(found, cities, "search_document", query, "name")


def search_networks(query: str):
    fields = ["name", *all_languages("description")]
    networks = CityNetwork.objects.all()
    return search.ranked(
        networks.filter(search.matches(networks, fields, query)), fields, query, "name"
    )


def search_charters(query: str):
    fields = ["title", *all_languages("summary"), "signed_by", "case_number"]
    charters = Charter.objects.all()
    return search.ranked(
        charters.filter(search.matches(charters, fields, query)), fields, query, "title"
    )
