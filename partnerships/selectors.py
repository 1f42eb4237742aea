"""Reads of partnership data used by pages (and, later, the API)."""

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext

from partnerships.enums import ExchangeKind, ExchangeStatus
from partnerships.models import Charter, CityNetwork, Exchange, FocusArea, PartnerCity
from portal import search
from portal.choices import label_of
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


@dataclass(frozen=True)
class ActivityByYear:
    """A partner city's exchanges for its public page (`activity_by_year`)."""

    # The years with a figure to show, newest first: {"year", "rows", "activities",
    # "planned", "carried_out", "participants" (None when a group in it is suppressed),
    # "all_planned"}.
    years: list[dict]
    # The years with exchanges but nothing to show (fewer than STATISTICS_MIN_GROUP in all),
    # as one text of spans, oldest first: "2002–2008, 2010"; "" when there are none.
    quiet_years: str


def activity_by_year(partner_city: PartnerCity) -> ActivityByYear:
    """Exchanges with a partner city in aggregate, by year and kind: never a name. One query.

    A year's kinds with fewer exchanges than STATISTICS_MIN_GROUP are counted together in
    one row ("Several kinds: …"), so that three exchanges of three kinds in a year are shown
    as the group of three they are (`merge_small_kinds`). Planned exchanges are counted
    apart from those carried out; their people are in the group's figures (the state splits
    no group: docs/security/small-groups.md). Cancelled exchanges are not counted. A year
    where every row is suppressed has nothing to show: it joins `quiet_years`.
    """
    rows = (
        Exchange.objects.filter(partner_city=partner_city)
        .filter(~Q(status=ExchangeStatus.CANCELLED))
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "kind")
        .annotate(
            activities=Count("id"),
            planned=Count("id", filter=Q(status=ExchangeStatus.PLANNED)),
            pupils=Sum("pupils"),
            teachers=Sum("teachers"),
            staff=Sum("staff"),
            others=Sum("others"),
        )
        .order_by("-year", "kind")
    )
    by_year: OrderedDict[int, list[dict]] = OrderedDict()
    for row in rows:
        by_year.setdefault(row["year"], []).append(row)
    shown, quiet = [], []
    for year, kinds in by_year.items():
        groups = [suppress_small_group(group) for group in merge_small_kinds(kinds)]
        if all(group["suppressed"] for group in groups):
            quiet.append(year)
            continue
        activities = sum(group["activities"] for group in groups)
        planned = sum(group["planned"] for group in groups)
        shown.append(
            {
                "year": year,
                "rows": groups,
                "activities": activities,
                "planned": planned,
                "carried_out": activities - planned,
                "all_planned": planned == activities,
                # The year's total would give a suppressed group away by subtraction.
                "participants": None
                if any(group["suppressed"] for group in groups)
                else sum(group["participants"] for group in groups),
            }
        )
    return ActivityByYear(years=shown, quiet_years=year_spans(quiet))


def merge_small_kinds(kinds: list[dict]) -> list[dict]:
    """One year's rows by kind ({"kind", "activities", "planned", "pupils", …}), with the
    kinds of fewer than STATISTICS_MIN_GROUP exchanges added up into one row when there are
    two or more of them. Each row gains "kinds" (its codes), "kind_label" and
    "participants"; a merged row's "kind" is None.

    Whether the merged row is shown is the one rule (`suppress_small_group`): it is a
    group of the exchanges it counts. It leaks nothing a published figure would subtract:
    the kinds in it are each suppressed everywhere else (the exchanges API gives them as
    suppressed groups), and the year's total is left out whenever a row is suppressed.
    """
    big = [row for row in kinds if not is_small(row["activities"])]
    small = [row for row in kinds if is_small(row["activities"])]
    rows = [{**row, "kinds": [row["kind"]]} for row in big]
    if len(small) == 1:
        rows.append({**small[0], "kinds": [small[0]["kind"]]})
    elif small:
        merged = {"kind": None, "kinds": [row["kind"] for row in small]}
        for field in ("activities", "planned", "pupils", "teachers", "staff", "others"):
            merged[field] = sum(row[field] for row in small)
        rows.append(merged)
    for row in rows:
        row["participants"] = row["pupils"] + row["teachers"] + row["staff"] + row["others"]
        labels = [str(label_of(ExchangeKind, kind)) for kind in row["kinds"]]
        row["kind_label"] = (
            labels[0]
            if row["kind"] is not None
            else gettext("Several kinds: %(kinds)s") % {"kinds": ", ".join(labels)}
        )
        row["carried_out"] = row["activities"] - row["planned"]
    return rows


def year_spans(years: list[int]) -> str:
    """2010, 2008, 2007, …, 2002 -> "2002–2008, 2010": runs of years as spans, oldest first."""
    spans: list[list[int]] = []
    for year in sorted(years):
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{first}–{last}" if first != last else str(first) for first, last in spans)


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
