"""The public grant statistics: what each scheme granted, never who applied."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from grants import datasets
from grants.selectors import statistics, statistics_years
from portal.charts import bar_chart
from portal.listpages import requested_format
from portal.money import format_money
from portal.opendata import FORMAT_PARAMETER
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
