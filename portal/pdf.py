"""PDFs rendered by WeasyPrint from the same templates as the pages.

WeasyPrint fetches nothing over the network: the stylesheet is read from the
static files, and any other URL in the document is refused, so text that staff
typed cannot make the server fetch an address.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import get_language

from portal.pagecache import cached_made


def _no_fetching(url: str, *args, **kwargs):
    if url.startswith("data:"):
        import weasyprint

        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDFs do not fetch {url}")


def render_pdf(html: str, stylesheet: str = "css/pdf.css") -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only PDF views need.
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[weasyprint.CSS(filename=finders.find(stylesheet))]
    )


def cached_pdf(request, name: str, html: Callable[[], str]) -> bytes:
    """The public PDF `name` (what it shows: "trip:12") in the active language, made from
    `html()` and kept PDF_CACHE_SECONDS while no table has changed (portal.pagecache), so a
    PDF never outlives what it shows."""
    seconds = settings.PDF_CACHE_SECONDS
    if seconds <= 0:
        return render_pdf(html())
    key = f"pdf:{request.get_host()}:{name}:{get_language()}"
    return cached_made(key, lambda: render_pdf(html()), seconds)
