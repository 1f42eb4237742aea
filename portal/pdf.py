"""PDFs rendered by WeasyPrint from the same templates as the pages.

WeasyPrint fetches nothing over the network: the stylesheet is read from the
static files, and any other URL in the document is refused, so text that staff
typed cannot make the server fetch an address.
"""

from django.contrib.staticfiles import finders


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
