"""What is costly to make has a limit per client outside /api/ (downloads, PDFs, searches),
public PDFs are made once per data version, and junk query strings do not fill the page
cache."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

import portal.pdf
from portal.models import AuditEntry, OutboxMail
from tests.factories import TripFactory
from travel.models import Trip

pytestmark = pytest.mark.django_db

OTHER_CLIENT = {"REMOTE_ADDR": "192.0.2.7"}


def _stored_pages() -> list[str]:
    return [
        key
        for key in cache._cache  # the tests' per-process cache (LocMemCache)
        if ":public-pages:" in key and not key.endswith((":version", ":making"))
    ]


def _refused(response, words: str) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert words in response.content.decode()


def test_the_next_xlsx_download_from_one_client_is_refused_while_another_gets_its_file(
    client, settings
):
    settings.DOWNLOAD_RATE = "3/minute"
    TripFactory(title="Til Wuxi")
    for _ in range(3):
        response = client.get("/en/trips/", {"format": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    refused = client.get("/en/trips/", {"format": "xlsx"})
    _refused(refused, "Too many requests")
    seconds = int(refused["Retry-After"])  # "1 second" near the end of a minute
    wait = f"Wait {seconds} second{'s' if seconds != 1 else ''} and try again"
    assert wait in refused.content.decode()
    assert client.get("/en/trips/", {"format": "csv"}).status_code == 429  # any download

    other = client.get("/en/trips/", {"format": "xlsx"}, **OTHER_CLIENT)
    sheet = load_workbook(io.BytesIO(b"".join(other.streaming_content))).active
    assert "Til Wuxi" in [cell.value for row in sheet.iter_rows() for cell in row]
    assert (AuditEntry.objects.count(), OutboxMail.objects.count()) == (0, 0)


def test_the_limit_is_said_in_the_readers_language(client, settings):
    settings.DOWNLOAD_RATE = "1/minute"
    client.get(reverse("budgets:index"), {"format": "csv"})
    refused = client.get(reverse("travel:list"), {"format": "json"})
    _refused(refused, "For mange forespørgsler")
    refused = client.get("/de/trips/", {"format": "json"})
    _refused(refused, "Zu viele Anfragen")


def test_the_next_pdf_from_one_client_is_refused_while_another_gets_it(client, settings):
    settings.PDF_RATE = "2/minute"
    trip = TripFactory(title="Til Wuxi")
    with translation.override("en"):
        address = reverse("travel:trip_pdf", args=[trip.slug])
    for _ in range(2):
        assert client.get(address).content.startswith(b"%PDF")
    _refused(client.get(address), "Too many requests")
    other = client.get(address, **OTHER_CLIENT)
    assert "Til Wuxi" in PdfReader(io.BytesIO(other.content)).pages[0].extract_text()


def test_the_next_search_from_one_client_is_refused_while_another_gets_its_results(
    client, settings
):
    settings.SEARCH_RATE = "2/minute"
    TripFactory(title="Til Wuxi", purpose="Venskabsbyaftale med Wuxi")
    for _ in range(2):
        assert "Wuxi" in client.get("/en/search/", {"q": "Wuxi"}).content.decode()
    _refused(client.get("/en/search/", {"q": "Wuxi"}), "Too many requests")
    assert client.get("/en/search/").status_code == 200  # the empty form costs nothing
    assert "Til Wuxi" in client.get("/en/search/", {"q": "Wuxi"}, **OTHER_CLIENT).content.decode()


def test_a_public_pdf_is_made_once_per_data_version_and_language(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PDF_CACHE_SECONDS = 600
    made = []
    real = portal.pdf.render_pdf

    def counting(html, *args, **kwargs):
        made.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(portal.pdf, "render_pdf", counting)
    trip = TripFactory(title="Til Wuxi")
    with translation.override("en"):
        address = reverse("travel:trip_pdf", args=[trip.slug])

    first, second = client.get(address).content, client.get(address).content
    assert (len(made), first) == (1, second)
    client.get(address.replace("/en/", "/", 1))  # Danish: a PDF of its own
    assert len(made) == 2

    with django_capture_on_commit_callbacks(execute=True):
        Trip.objects.get(pk=trip.pk).save()  # any change: the data version moves
        trip.title = "Til Wuxi og Suzhou"
        trip.save()
    changed = client.get(address).content
    assert len(made) == 3
    assert "Suzhou" in PdfReader(io.BytesIO(changed)).pages[0].extract_text()


def test_the_follow_up_pdf_is_made_once_too(client, settings, monkeypatch):
    from tests.factories import BudgetYearFactory, InitiativeFactory

    settings.PDF_CACHE_SECONDS = 600
    made = []
    real = portal.pdf.render_pdf
    monkeypatch.setattr(portal.pdf, "render_pdf", lambda html: made.append(1) or real(html))
    InitiativeFactory(budget_year=BudgetYearFactory(year=2017), title="Specialundervisning")
    address = reverse("budgets:follow_up_pdf", args=[2017])
    assert client.get(address).content == client.get(address).content
    assert len(made) == 1


@pytest.mark.parametrize(
    "address",
    ["/en/trips/", "/en/partner-cities/", "/", "/en/trips/people/", "/en/trips/til-wuxi/"],
)
def test_junk_query_parameters_store_at_most_one_page(client, settings, address):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    TripFactory(title="Til Wuxi", slug="til-wuxi")
    first = client.get(address)
    for number in range(50):
        client.get(address, {f"junk{number}": "x" * 100, "utm_source": number})
    assert len(_stored_pages()) == 1
    again = client.get(address, {"junk": "y"})
    assert (again["X-Cache"], again.content) == ("hit", first.content)


def test_the_parameters_a_page_reads_still_make_their_own_pages(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    TripFactory(title="Til Wuxi")
    client.get("/en/trips/")
    filtered = client.get("/en/trips/", {"year": "1999", "junk": "1"}).content.decode()
    assert "Til Wuxi" not in filtered
    assert client.get("/en/trips/", {"junk": "2", "year": "1999"})["X-Cache"] == "hit"
    assert "Til Wuxi" in client.get("/en/trips/", {"junk": "3"}).content.decode()
    assert len(_stored_pages()) == 2
    # No visitor's other parameters in the cached page's links or search box.
    assert "junk" not in filtered
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # made now, for this visitor alone: still none
    page = client.get("/en/trips/", {"q": "words-of-one-visitor", "year": "1999"})
    assert "words-of-one-visitor" not in page.content.decode()


def test_the_api_keys_its_filters_and_pages_and_nothing_else(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    TripFactory(title="Til Wuxi")
    for number in range(20):
        client.get("/api/trips/", {f"junk{number}": "1"})
    assert len(_stored_pages()) == 1
    assert client.get("/api/trips/", {"year": "1999"}).json()["count"] == 0
    assert client.get("/api/trips/", {"junk": "1"}).json()["count"] == 1
    assert len(_stored_pages()) == 2
    # A generic list view (no viewset) reads its filters and pages too.
    assert client.get("/api/exchanges/", {"year": "0"}).status_code == 400
    assert client.get("/api/grant-statistics/", {"page_size": "501"}).status_code == 400


@pytest.mark.parametrize("address", ["/en/trips/", "/en/partner-cities/"])
def test_every_filter_a_list_page_offers_is_in_its_cache_key(client, address):
    """The key's parameters come from the page's FilterSet: every field its filter form
    sends is one of them, so no filter can be answered with another filter's page."""
    import re

    from django.urls import resolve

    from portal.pagecache import page_parameters

    TripFactory(title="Til Wuxi")
    page = client.get(address).content.decode()
    form = re.search(r'<form class="filters" method="get".*?</form>', page, re.S).group(0)
    sent = set(re.findall(r'<(?:input|select)[^>]* name="([^"]+)"', form))
    with translation.override("en"):
        declared = page_parameters(resolve(address).func)
    assert sent and sent <= declared
