"""Public pages from the cache: only for visitors who are not logged in, stale at once when
the data changes, kept apart per language and per address."""

import pytest
from django.urls import reverse

from portal.models import SiteSettings
from tests.factories import PartnerCityFactory, TripFactory

# Transactions that commit: the cache's version moves only after a commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache(settings):
    from portal.roles import ensure_roles

    ensure_roles()  # a transactional test starts from empty tables
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def test_a_second_visit_is_served_from_the_cache_without_the_database(
    client, django_assert_max_num_queries
):
    TripFactory(title="Til Wuxi")
    SiteSettings.current()  # made on first use, which (as any change) makes pages stale
    first = client.get(reverse("travel:list"))
    assert "X-Cache" not in first
    with django_assert_max_num_queries(1):
        second = client.get(reverse("travel:list"))
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_publishing_makes_the_cached_page_stale_at_once(client):
    client.get(reverse("travel:list"))
    TripFactory(title="En ny rejse til Nacka")
    page = client.get(reverse("travel:list"))
    assert "X-Cache" not in page
    assert "En ny rejse til Nacka" in page.content.decode()


def test_a_change_in_the_admin_or_a_relation_also_makes_pages_stale(client):
    city = PartnerCityFactory(name="Wuxi")
    client.get(reverse("partnerships:city_list"))
    city.name = "Wuxi (Jiangsu)"
    city.save()
    assert "Wuxi (Jiangsu)" in client.get(reverse("partnerships:city_list")).content.decode()


def test_languages_and_filters_are_cached_apart_and_downloads_stream_uncached(client):
    TripFactory(title="Til Wuxi")
    danish = client.get(reverse("travel:list")).content
    english = client.get("/en/trips/").content
    assert danish != english
    assert b'lang="en"' in english
    filtered = client.get(reverse("travel:list"), {"year": "1999"}).content.decode()
    assert "Til Wuxi" not in filtered
    assert client.get(reverse("travel:list"), {"year": "1999"})["X-Cache"] == "hit"
    # A download of any size is sent as it is written, never held whole in the cache.
    client.get(reverse("travel:list"), {"format": "csv"})
    download = client.get(reverse("travel:list"), {"format": "csv"})
    assert "X-Cache" not in download
    assert download.streaming
    assert "Til Wuxi" in download.getvalue().decode("utf-8-sig")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="trips.csv"'


def test_staff_never_get_a_cached_page(client, secretary):
    client.get(reverse("travel:list"))
    client.force_login(secretary)
    page = client.get(reverse("travel:list"))
    assert "X-Cache" not in page
    assert reverse("staff_dashboard") in page.content.decode()


def test_no_cache_unless_configured(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(reverse("travel:list"))
    assert "X-Cache" not in client.get(reverse("travel:list"))


def test_the_api_is_cached_too_and_keeps_its_etag(client):
    PartnerCityFactory(name="Wuxi")
    SiteSettings.current()
    first = client.get(reverse("api:partner-city-list"))
    second = client.get(reverse("api:partner-city-list"))
    assert second["X-Cache"] == "hit"
    assert second.json() == first.json()
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"
    unchanged = client.get(
        reverse("api:partner-city-list"), headers={"if-none-match": first["ETag"]}
    )
    assert unchanged.status_code == 304
    PartnerCityFactory(name="Prag 10")
    assert client.get(reverse("api:partner-city-list")).json()["count"] == 2


def test_the_version_moves_after_the_commit_not_before(client):
    from django.core.cache import cache
    from django.db import transaction

    from portal.pagecache import table_key

    client.get(reverse("travel:list"))
    before = cache.get(table_key("travel_trip"))
    with transaction.atomic():
        TripFactory(title="Til Nacka")
        # Another request now still gets the page of the committed data, and may cache it.
        assert cache.get(table_key("travel_trip")) == before
    assert cache.get(table_key("travel_trip")) != before
    assert "Til Nacka" in client.get(reverse("travel:list")).content.decode()


def test_a_rolled_back_change_leaves_the_cache_alone(client):
    from django.core.cache import cache
    from django.db import transaction

    from portal.pagecache import table_key

    SiteSettings.current()  # made on first use, which (as any change) makes pages stale
    client.get(reverse("travel:list"))
    before = cache.get(table_key("travel_trip"))
    with pytest.raises(RuntimeError), transaction.atomic():
        TripFactory(title="Til Nacka")
        raise RuntimeError
    assert cache.get(table_key("travel_trip")) == before
    assert client.get(reverse("travel:list"))["X-Cache"] == "hit"


def _making(path: str, language: str = "da") -> str:
    import hashlib

    address = hashlib.sha256(f"http://testserver{path}".encode()).hexdigest()
    return f"public-pages:v2:{language}:{address}:making"


def test_while_one_request_remakes_a_stale_page_the_others_never_get_the_stale_copy(
    client, monkeypatch
):
    """A reader who comes after a change sees it, even while another request is making the
    page again: they wait for it, then (the maker being slow) make it themselves."""
    from django.core.cache import cache

    from portal import pagecache

    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    url = reverse("travel:list")
    client.get(url)
    TripFactory(title="Til Nacka")  # the cached page is now stale
    cache.add(_making(url), 1, 30)  # another request is making the new page
    waited = client.get(url)
    assert "X-Cache" not in waited
    assert "Til Nacka" in waited.content.decode()
    # The page it made is stored: the next reader gets it from the cache.
    again = client.get(url)
    assert again["X-Cache"] == "hit" and again.content == waited.content


def test_with_no_copy_to_give_a_request_waits_briefly_then_makes_the_page(client, monkeypatch):
    from django.core.cache import cache

    from portal import pagecache

    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    TripFactory(title="Til Nacka")
    url = reverse("travel:list")
    cache.add(_making(url), 1, 30)  # a maker that never finishes
    page = client.get(url)
    assert page.status_code == 200 and "Til Nacka" in page.content.decode()
    assert cache.get(_making(url)) == 1  # not its lock to let go of


def test_public_pages_tell_a_cdn_it_may_keep_them_and_must_revalidate(client, settings):
    url = reverse("travel:list")
    first = client.get(url)
    hit = client.get(url)
    for page in (first, hit):
        assert page["Cache-Control"] == "public, no-cache"
        assert "Cookie" in page["Vary"]
    assert client.get(url, headers={"if-none-match": hit["ETag"]}).status_code == 304
    settings.PUBLIC_PAGE_MAX_AGE = 60
    assert client.get(url)["Cache-Control"] == "public, max-age=60"


def test_a_signed_in_readers_page_is_never_kept_by_a_cdn(client, secretary):
    client.force_login(secretary)
    page = client.get(reverse("travel:list"))
    assert "public" not in page["Cache-Control"]
    assert "private" in page["Cache-Control"] or "no-store" in page["Cache-Control"]


def test_a_hit_is_served_before_sessions_locale_and_csrf(client, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.csrf import CsrfViewMiddleware
    from django.middleware.locale import LocaleMiddleware

    TripFactory(title="Til Wuxi")
    SiteSettings.current()  # made on first use, which (as any change) makes pages stale
    url = "/en/trips/"
    made = client.get(url)
    calls = []
    for middleware in (SessionMiddleware, LocaleMiddleware, CsrfViewMiddleware):
        original = getattr(middleware, "process_request", None) or middleware.process_view

        def recorded(self, *args, m=middleware, original=original):
            calls.append(m)
            return original(self, *args)

        name = "process_request" if hasattr(middleware, "process_request") else "process_view"
        monkeypatch.setattr(middleware, name, recorded)
    hit = client.get(url)
    assert calls == []
    assert hit["X-Cache"] == "hit" and hit.content == made.content
    assert hit["Content-Language"] == "en"
    # The same protections as a page made now.
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert hit[header] == made[header]
    # A visitor with a session goes past it to the view (and its checks).
    client.cookies["sessionid"] = "whatever"
    client.get(url)
    assert SessionMiddleware in calls


@pytest.mark.parametrize("name", ["travel:feed", "sitemap"])
def test_the_feed_and_the_sitemap_come_from_the_cache_too(client, name):
    TripFactory(title="Til Wuxi", slug="til-wuxi")
    SiteSettings.current()  # made on first use, which (as any change) makes pages stale
    url = reverse(name)
    first = client.get(url)
    hit = client.get(url)
    assert hit["X-Cache"] == "hit" and hit.content == first.content
    assert hit["Content-Type"] == first["Content-Type"]
    TripFactory(title="Til Nacka", slug="til-nacka")
    assert client.get(url).get("X-Cache") is None  # a change: made anew


def test_a_page_stays_cached_through_a_change_to_what_it_does_not_show(client):
    """A change moves the versions of the tables it wrote, and only pages that read them are
    made again: a budget line's new name leaves the trip list and the partner cities alone,
    while the page of the trip it paid for, which names it, shows the new name."""
    from tests.factories import BudgetLineFactory

    line = BudgetLineFactory(name_da="Venskabsbyer")
    trip = TripFactory(title="Til Wuxi", budget_line=line)
    PartnerCityFactory(name="Wuxi")
    SiteSettings.current()
    untouched = [reverse("travel:list"), reverse("partnerships:city_list")]
    touched = [
        reverse("travel:trip", args=[trip.slug]),
        reverse("budgets:line", args=[line.budget_year.year, line.code]),
    ]
    for page in [*untouched, *touched]:
        client.get(page)
    line.name_da = "Venskabsbyer og netværk"
    line.save()
    for page in untouched:
        assert client.get(page)["X-Cache"] == "hit", page
    for page in touched:
        changed = client.get(page)
        assert "X-Cache" not in changed, page
        assert "Venskabsbyer og netværk" in changed.content.decode(), page


def test_writes_no_signal_announces_make_what_they_touch_stale(client):
    """A queryset's update() and raw SQL send no signal; the connection sees them anyway."""
    from django.db import connection

    from partnerships.models import PartnerCity
    from travel.models import Trip

    trip = TripFactory(title="Til Wuxi")
    city = PartnerCityFactory(name="Nacka")
    SiteSettings.current()
    trip_page = reverse("travel:trip", args=[trip.slug])
    cities = reverse("partnerships:city_list")
    for page in (trip_page, cities):
        client.get(page)
        assert client.get(page)["X-Cache"] == "hit"

    Trip.objects.filter(pk=trip.pk).update(title="Til Wuxi og Suzhou")
    with connection.cursor() as cursor:
        table = PartnerCity._meta.db_table
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["Nacka kommun", city.pk])

    assert "Til Wuxi og Suzhou" in client.get(trip_page).content.decode()
    assert "Nacka kommun" in client.get(cities).content.decode()


def test_a_public_pdf_is_made_again_after_any_change(client, settings):
    """A PDF's view reads part of what it shows before the PDF is made, so it depends on
    every table: never on what happened to be read while it was made."""
    import io

    from pypdf import PdfReader

    from travel.models import Trip

    settings.PDF_CACHE_SECONDS = 600
    trip = TripFactory(title="Til Wuxi")
    address = reverse("travel:trip_pdf", args=[trip.slug])
    client.get(address)
    Trip.objects.filter(pk=trip.pk).update(title="Til Suzhou")
    text = PdfReader(io.BytesIO(client.get(address).content)).pages[0].extract_text()
    assert "Til Suzhou" in text


def test_an_ordered_list_is_kept_as_any_filtered_list_and_a_junk_order_is_not(client):
    TripFactory(title="Til Wuxi")
    SiteSettings.current()
    for query in ({"order": "-cost"}, {"year": "2025", "order": "-cost"}):
        client.get(reverse("travel:list"), query)
        assert client.get(reverse("travel:list"), query)["X-Cache"] == "hit", query
    client.get(reverse("travel:list"), {"order": "junk"})
    assert "X-Cache" not in client.get(reverse("travel:list"), {"order": "junk"})


def test_a_hit_costs_one_cache_read_until_the_municipality_writes_then_one_again(
    client, monkeypatch
):
    """While nothing was written in the municipality, a hit reads the page and the
    epochs in one round trip, whichever worker stored it. After a write to a table the
    page did not read, one hit compares the page's tables and stores it again with the
    new epochs; the hits after it cost one read again. A write to a table it read makes it
    stale. Another municipality's writes leave its epochs alone
    (tests/portal/test_municipalities.py)."""
    from django.core.cache import cache

    from tests.factories import BudgetLineFactory

    TripFactory(title="Til Wuxi")
    line = BudgetLineFactory(name_da="Venskabsbyer")
    SiteSettings.current()
    url = reverse("partnerships:city_list")
    client.get(url)
    reads = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or real(keys))

    def hit_costs() -> int:
        reads.clear()
        assert client.get(url)["X-Cache"] == "hit"
        return len(reads)

    assert hit_costs() == 1
    line.name_da = "Venskabsbyer og netværk"
    line.save()  # the list of partner cities does not read budget lines
    assert hit_costs() == 2
    assert hit_costs() == 1
    PartnerCityFactory(name="Nacka")
    reads.clear()
    changed = client.get(url)
    assert "X-Cache" not in changed and "Nacka" in changed.content.decode()


def test_the_addresses_a_worker_remembers_are_bounded(client):
    """Which view an address resolves to is remembered for cache hits, at most
    RESOLVED_PATHS addresses: visitors choose the addresses, and junk ones must not grow a
    worker's memory. A junk address is still answered as unknown."""
    from portal import pagecache

    pagecache._view_of.cache_clear()
    for n in range(20):
        assert client.get(f"/no-such-page-{n}/").status_code == 404
    remembered = pagecache._view_of.cache_info()
    assert remembered.maxsize == pagecache.RESOLVED_PATHS
    assert remembered.currsize == 20


def test_a_page_stored_again_after_a_write_keeps_its_deadline(client, settings, monkeypatch):
    """A page also shows what no table holds (today's date: the trips overdue since
    midnight), so it never outlives PUBLIC_PAGE_CACHE_SECONDS from when it was made,
    however often a write elsewhere makes a hit store it again with new epochs."""
    import time

    from tests.factories import BudgetLineFactory

    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    TripFactory(title="Til Wuxi")
    SiteSettings.current()
    url = reverse("partnerships:city_list")
    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    client.get(url)
    now[0] += 590
    BudgetLineFactory(name_da="Venskabsbyer")  # a table the page does not read
    assert client.get(url)["X-Cache"] == "hit"  # stored again with the new epochs
    now[0] += 15
    assert "X-Cache" not in client.get(url)  # made again: 605 s after it was made
