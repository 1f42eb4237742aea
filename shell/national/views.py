"""The national comparison's pages, on the service's own host names (settings.SERVICE_HOSTS),
read across municipalities (portal.scoping.every_municipality): nothing here writes.

Each figure links to the page of its municipality that explains it, on that municipality's
own host (its first host name, with the request's scheme and port)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal import catalogue, datapackage, opendata
from portal.charts import bar_chart
from portal.money import format_money, format_number, format_percent
from portal.opendata import FORMATS
from portal.scoping import municipality
from shell.national.datasets import DATASETS, FIGURES, TRIPS, national_trips
from shell.national.figures import (
    Figures,
    national_figures,
    publishing_municipalities,
    years_with_data,
)

SERVICE_NAME = gettext_lazy("The municipalities' international portals")
NO_VALUE = "—"
# The page that says how long to wait when a client asks for too many files (portal.costly).
TOO_MANY = "national/429.html"

# Which page of a municipality explains a figure: (URL name, whether it takes the year).
TRIPS_PAGE = ("travel:list", "query")
OVERDUE_PAGE = ("travel:overdue", "")
GRANTS_PAGE = ("grants:statistics_year", "argument")


@dataclass(frozen=True)
class Measure:
    """A column of the comparison: what `?order=` names it, its heading, what it says, its
    value (what it sorts by, None last), its text and the municipality's page that explains
    it."""

    key: str
    label: Promise
    explanation: Promise
    value: Callable[[Figures], object]
    text: Callable[[Figures], str]
    page: tuple[str, str]


def _money(row: Figures, amount) -> str:
    """An amount in the municipality's own currency, as the page's language writes it."""
    with municipality(row.municipality):
        return format_money(amount)


def _per_inhabitant(amount_of):
    def text(row: Figures) -> str:
        amount = amount_of(row)
        if amount is None:
            if row.inhabitants is None:
                return _("— (no population for %(year)s)") % {"year": row.year}
            return NO_VALUE
        return _money(row, amount)

    return text


def _grants_text(row: Figures) -> str:
    text = _per_inhabitant(lambda r: r.grants_per_inhabitant)(row)
    if row.grants_withheld:
        note = _("a scheme with fewer than %(count)s grants is left out") % {
            "count": settings.STATISTICS_MIN_GROUP
        }
        return f"{text} ({note})"
    return text


def _share_text(row: Figures) -> str:
    if row.in_time_share is None:
        return NO_VALUE
    return _("%(share)s (%(in_time)s of %(trips)s)") % {
        "share": format_percent(row.in_time_share),
        "in_time": format_number(row.published_in_time),
        "trips": format_number(row.published_with_date),
    }


MEASURES = (
    Measure(
        "trips",
        gettext_lazy("Trips"),
        gettext_lazy("Trips abroad that departed that year and are published."),
        lambda row: row.trips,
        lambda row: format_number(row.trips),
        TRIPS_PAGE,
    ),
    Measure(
        "cost_per_inhabitant",
        gettext_lazy("Cost per inhabitant"),
        gettext_lazy("What the published trips cost, divided by the inhabitants that year."),
        lambda row: row.cost_per_inhabitant,
        _per_inhabitant(lambda row: row.cost_per_inhabitant),
        TRIPS_PAGE,
    ),
    Measure(
        "cost_per_participant",
        gettext_lazy("Cost per participant"),
        gettext_lazy("What the published trips cost, divided by everyone who travelled."),
        lambda row: row.cost_per_participant,
        lambda row: (
            NO_VALUE if row.cost_per_participant is None else _money(row, row.cost_per_participant)
        ),
        TRIPS_PAGE,
    ),
    Measure(
        "politicians",
        gettext_lazy("Politicians travelling"),
        gettext_lazy("Places on the trips taken by politicians."),
        lambda row: row.politicians,
        lambda row: format_number(row.politicians),
        TRIPS_PAGE,
    ),
    Measure(
        "officials",
        gettext_lazy("Officials travelling"),
        gettext_lazy("Places on the trips taken by officials."),
        lambda row: row.officials,
        lambda row: format_number(row.officials),
        TRIPS_PAGE,
    ),
    Measure(
        "in_time",
        gettext_lazy("Published in time"),
        gettext_lazy("Share of the published trips published within the municipality's deadline."),
        lambda row: row.in_time_share,
        _share_text,
        TRIPS_PAGE,
    ),
    Measure(
        "overdue",
        gettext_lazy("Overdue"),
        gettext_lazy("Trips that returned and are not published within the deadline."),
        lambda row: row.overdue,
        lambda row: format_number(row.overdue),
        OVERDUE_PAGE,
    ),
    Measure(
        "grants_per_inhabitant",
        gettext_lazy("Grants per inhabitant"),
        gettext_lazy("Travel grants awarded that year, divided by the inhabitants."),
        lambda row: row.grants_per_inhabitant,
        _grants_text,
        GRANTS_PAGE,
    ),
)
BY_KEY = {measure.key: measure for measure in MEASURES}
NAME_ORDER = "municipality"
ORDERS = (NAME_ORDER, *BY_KEY)


class BadRequest(Exception):
    """A parameter the page does not know: said on a page of its own (400)."""


def _choice(request, name: str, allowed: list[str], default: str) -> str:
    value = request.GET.get(name, "")
    if value == "":
        return default
    if value not in allowed:
        raise BadRequest(
            _("“%(value)s” is not a %(name)s this page knows. Choose one of: %(allowed)s.")
            % {"value": value[:40], "name": name, "allowed": ", ".join(allowed) or NO_VALUE}
        )
    return value


def _sorted(rows: list[Figures], order: str) -> list[Figures]:
    key, descending = order.lstrip("-"), order.startswith("-")
    by_name = sorted(rows, key=lambda row: (row.municipality.name, row.municipality.pk))
    if key == NAME_ORDER:
        return list(reversed(by_name)) if descending else by_name
    value = BY_KEY[key].value
    known = [row for row in by_name if value(row) is not None]
    unknown = [row for row in by_name if value(row) is None]  # last, whatever the direction
    return sorted(known, key=value, reverse=descending) + unknown


def municipal_base(request, record) -> str:
    """The municipality's own address: its first host name, with this request's scheme and
    port; "" when it has none."""
    hosts = sorted(record.hosts.all(), key=lambda host: host.pk)
    if not hosts:
        return ""
    port = request.get_port()
    standard = {"http": "80", "https": "443"}.get(request.scheme)
    suffix = f":{port}" if port and port != standard else ""
    return f"{request.scheme}://{hosts[0].host}{suffix}"


def _links(request, row: Figures) -> dict:
    """The address of each page that explains a figure of the row, on its municipality's
    host, in the page's language where it offers it (else in its own default)."""
    base = municipal_base(request, row.municipality)
    if not base:
        return {}
    language = translation.get_language()
    if language not in row.municipality.language_codes:
        language = row.municipality.default_language
    links = {}
    with municipality(row.municipality), translation.override(language):
        for name, year in {TRIPS_PAGE, OVERDUE_PAGE, GRANTS_PAGE}:
            try:
                if year == "argument":
                    path = reverse(name, args=[row.year])
                elif year == "query":
                    path = reverse(name) + f"?year={row.year}"
                else:
                    path = reverse(name)
            except NoReverseMatch:  # an app the deployment does not run
                continue
            links[name] = base + path
        links["home"] = base + reverse("home")
    return links


def _table_row(request, row: Figures) -> dict:
    links = _links(request, row)
    return {
        "figures": row,
        "home": links.get("home", ""),
        "cells": [
            {"text": measure.text(row), "href": links.get(measure.page[0], "")}
            for measure in MEASURES
        ],
    }


def _headings(order: str, query: dict) -> list[dict]:
    """Each column's heading with the link that sorts by it (descending first for figures,
    the other way round when the column is already sorted so)."""
    current, descending = order.lstrip("-"), order.startswith("-")
    headings = []
    for key, label, explanation in (
        (NAME_ORDER, gettext_lazy("Municipality"), ""),
        *((m.key, m.label, m.explanation) for m in MEASURES),
    ):
        if key == current:
            following = key if descending else f"-{key}"
            sort = "descending" if descending else "ascending"
        else:
            following = key if key == NAME_ORDER else f"-{key}"
            sort = ""
        wanted = {**query, "order": following}
        link = "?" + urlencode({name: value for name, value in wanted.items() if value})
        headings.append(
            {"key": key, "label": label, "explanation": explanation, "sort": sort, "link": link}
        )
    return headings


def _error(request, message: str) -> TemplateResponse:
    return TemplateResponse(request, "national/bad_request.html", {"message": message}, status=400)


@require_safe
def comparison(request):
    """The municipalities side by side for a year (the latest with data by default), of a
    region, sorted by a column; `?format=` gives every year's figures as a download."""
    municipalities = publishing_municipalities()
    years = years_with_data(municipalities)
    try:
        fmt = _choice(request, "format", list(FORMATS), "")
        if fmt:
            request.too_many_template = TOO_MANY
            rows = national_figures(municipalities, years)
            return FIGURES.response(request, fmt, [row.as_row() for row in rows])
        regions = sorted({m.region for m in municipalities if m.region})
        year_text = _choice(request, "year", [str(year) for year in years], "")
        region = _choice(request, "region", regions, "")
        orders = [*ORDERS, *(f"-{key}" for key in ORDERS)]
        order = _choice(request, "order", orders, NAME_ORDER)
    except BadRequest as refused:
        return _error(request, str(refused))
    year = int(year_text) if year_text else (years[0] if years else None)
    shown = [m for m in municipalities if not region or m.region == region]
    rows = _sorted(national_figures(shown, [year]), order) if year is not None else []
    # A chart per currency: bars of kroner and euros on one scale would compare nothing.
    by_currency: dict[str, list] = {}
    for row in rows:
        if row.cost_per_inhabitant is not None:
            by_currency.setdefault(row.municipality.currency, []).append(
                (
                    row.municipality.name,
                    row.cost_per_inhabitant,
                    None,
                    _money(row, row.cost_per_inhabitant),
                )
            )
    charts = [
        bar_chart(
            chart_rows,
            key=f"cost-per-inhabitant-{currency.lower()}",
            title=_("What trips abroad cost per inhabitant in %(year)s, in %(currency)s")
            % {"year": year, "currency": currency},
        )
        for currency, chart_rows in sorted(by_currency.items())
    ]
    query = {"year": year_text, "region": region}
    return TemplateResponse(
        request,
        "national/comparison.html",
        {
            "rows": [_table_row(request, row) for row in rows],
            "measures": MEASURES,
            "headings": _headings(order, query),
            "years": years,
            "year": year,
            "regions": regions,
            "region": region,
            "order": order,
            "without_population": [row.municipality for row in rows if row.inhabitants is None],
            "charts": charts,
            "min_group": settings.STATISTICS_MIN_GROUP,
            "datasets": DATASETS.values(),
        },
    )


@require_safe
def data(request):
    """The national downloads and their descriptions."""
    return TemplateResponse(request, "national/data.html", {"datasets": DATASETS.values()})


@require_safe
def trips(request):
    """Every published trip of every municipality in the comparison, in one format, streamed."""
    try:
        fmt = _choice(request, "format", list(FORMATS), "")
    except BadRequest as refused:
        return _error(request, str(refused))
    if not fmt:
        return redirect("national_data")
    request.too_many_template = TOO_MANY
    return TRIPS.response(request, fmt, national_trips())


@require_safe
def data_package(request, slug: str):
    """A national dataset's Frictionless Data Package, in the page's language."""
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404
    document = datapackage.package(
        dataset,
        csv_path=reverse(dataset.page),
        publisher=str(SERVICE_NAME),
        homepage=opendata.absolute_url(reverse("national")),
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="datapackage.json"'
    return response


@require_safe
def data_catalog(request):
    """The service's DCAT catalogue: the national datasets (each municipality's own
    catalogue lists its own)."""
    document = catalogue.catalog(
        publisher=str(SERVICE_NAME),
        catalog_url=opendata.absolute_url(reverse("national_data")),
        homepage=opendata.absolute_url(reverse("national")),
        listed=list(DATASETS.values()),
        package_url=lambda dataset: reverse("national_data_package", args=[dataset.slug]),
        title=gettext_lazy("National comparison: open data"),
        description=gettext_lazy(
            "The figures of every municipality in the national comparison side by side, and "
            "every trip abroad they published, in one format."
        ),
    )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json"
    )


def page_not_found(request, exception):
    return TemplateResponse(request, "national/404.html", status=404).render()
