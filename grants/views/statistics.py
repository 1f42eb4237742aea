"""The public grant statistics: what each scheme granted, never who applied."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from grants import datasets, threesixty
from grants.selectors import statistics, statistics_years
from portal.charts import bar_chart
from portal.listpages import requested_format
from portal.models import SiteSettings
from portal.money import format_money
from portal.opendata import FORMAT_PARAMETER, absolute_url
from portal.pagecache import public_page
from portal.statistics import published_until


@public_page(reads=[FORMAT_PARAMETER])
def public_statistics(request, year: int | None = None):
    """One year's statistics (the latest, without a year): a page's length is a year's
    schemes, however many years there are. A download has every year."""
    if fmt := requested_format(request):
        return datasets.GRANT_STATISTICS.response(request, fmt, statistics())
    years = statistics_years()
    if year is None:
        year = years[0] if years else None
    elif year not in years:
        raise Http404
    rows = statistics(names=settings.STATISTICS_NAMES_SHOWN, year=year) if year else []
    return render(
        request,
        "grants/statistics.html",
        {
            "rows": rows,
            "year": year,
            "years": years,
            "dataset": datasets.GRANT_STATISTICS,
            "min_group": settings.STATISTICS_MIN_GROUP,
            "until": published_until(),
            "threesixty": bool(rows) and threesixty.has_grants(),
            "chart": bar_chart(
                [
                    (row["scheme_name"], row["amount"], None, format_money(row["amount"]))
                    for row in rows
                    if not row["suppressed"]
                ],
                key="grants",
                title=_("What each scheme granted in %(year)s") % {"year": year},
            ),
        },
    )


@public_page
def statistics_360giving(request):
    """The published grant figures as a 360Giving data package, in the page's language (see
    grants.threesixty); a 404 that says so before any figure is published."""
    site = SiteSettings.current()
    document = threesixty.package(
        municipality=site.municipality_name,
        website=site.website_url or absolute_url(reverse("home")),
        file_url=absolute_url(request.path),
    )
    if document is None:
        raise Http404(_("No grant figures are published yet."))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'inline; filename="360giving.json"'
    return response
