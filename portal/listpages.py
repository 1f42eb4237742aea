"""A public list page: its page of 50, or its download when the address asks for one
(`?format=`), and the redirect to the current year that keeps the format."""

from django.shortcuts import render
from django.urls import reverse

from portal.opendata import FORMAT_PARAMETER, FORMATS, Dataset
from portal.pagination import paginate


def list_page(request, template: str, dataset: Dataset, objects, *, count=None, **context):
    """A public list: its CSV or JSON when asked for (?format=), else the page of 50.
    A callable in `context` is called only for the page (totals a download does not need);
    `count()`, when given, says how many rows there are without counting them (or None).
    A dataset whose page shows some of its columns (`page_columns`) reads only what they
    read (`Dataset.page_rows`)."""
    if fmt := requested_format(request):
        return dataset.response(request, fmt, objects)
    context = {key: value() if callable(value) else value for key, value in context.items()}
    if dataset.page_columns:
        objects = dataset.page_rows(objects)
    page = paginate(request, objects, count=count() if count else None)
    return render(request, template, {"page": page, "dataset": dataset, **context})


def redirect_keeping_query(request, to: str, **kwargs):
    """A redirect to `to` with the request's query string, so that a download address
    (`/follow-up/?format=csv`) keeps its format on the way to the current year."""
    from django.shortcuts import redirect

    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse(to, kwargs=kwargs)}{'?' + query if query else ''}")


def requested_format(request) -> str | None:
    """'csv', 'json' or 'xlsx' when the page was asked for as a download (?format=csv)."""
    fmt = request.GET.get(FORMAT_PARAMETER)
    return fmt if fmt in FORMATS else None
