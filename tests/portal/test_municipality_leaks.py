"""Two municipalities in one database, each on its host: the two demos as `make run` loads
them. Nothing of one reaches the other: no page, download, feed, sitemap or API answer of
one names the other, no staff member of one reaches the other's records, signs in at its
host, finds its rows or is served its cached page; a query outside any municipality fails,
and the mail worker sends each municipality's mail as that municipality."""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from budgets.models import BudgetLine, Initiative
from grants.models import GrantApplication, GrantScheme
from partnerships.models import Exchange, PartnerCity
from portal import outbox
from portal.models import Municipality
from portal.roles import Role
from portal.scoping import ScopeError, municipality, no_municipality
from travel.models import Trip

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "shell" / "demo"
HOSTS = {"ballerup": "ballerup.localhost", "duesseldorf": "duesseldorf.localhost"}
OTHER = {"ballerup": "duesseldorf", "duesseldorf": "ballerup"}
SKIP = ("/static/", "/media/", "/admin/", "/staff/", "/login/", "/logout/", "/i18n/")
LIMIT = 700  # pages per municipality: the demos have fewer


@pytest.fixture(scope="module")
def demos(django_db_setup, django_db_blocker):
    """Both demo files, with their logins, loaded once for the module and rolled back after
    it; Düsseldorf's demo has no grant case, so it gets one."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):  # the demo logins
            for name in HOSTS:
                out = open("/dev/null", "w")  # noqa: SIM115
                call_command("load_demo", "--logins", file=DEMO / f"{name}.json", stdout=out)
        found = {record.slug: record for record in Municipality.objects.filter(slug__in=HOSTS)}
        with municipality(found["duesseldorf"]):
            from tests.factories import GrantApplicationFactory

            GrantApplicationFactory(
                scheme=GrantScheme.objects.get(slug="jugendbegegnungen"),
                partner_city=PartnerCity.objects.get(slug="toulouse"),
                organisation="Jugendring",
                applicant_email="jugendring@example.de",
                purpose="Begegnung",
                language="de",
            )
        yield found
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def hosts(settings):
    """The demos' hosts are allowed; a crawl reads more downloads than a visitor may."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    settings.DOWNLOAD_RATE = settings.SEARCH_RATE = settings.PDF_RATE = "10000/minute"


def _site(slug: str) -> Client:
    return Client(HTTP_HOST=HOSTS[slug])


def _leaks(slug: str, demos) -> re.Pattern:
    """What of the other municipality a page of `slug` must never hold: its name, its host,
    its currency's code, the addresses of its partner cities and trips."""
    other = demos[OTHER[slug]]
    with municipality(other):
        slugs = [
            *PartnerCity.objects.values_list("slug", flat=True),
            *Trip.objects.values_list("slug", flat=True),
        ]
    names = {"ballerup": r"Ballerup", "duesseldorf": r"D(?:ü|ue|&#x?\w+;)sseldorf"}[other.slug]
    words = [names, re.escape(HOSTS[other.slug]), rf"\b{other.currency}\b"]
    words += [rf"/{re.escape(each)}/" for each in slugs]
    return re.compile("|".join(words), re.IGNORECASE if other.slug == "ballerup" else 0)


def _own(address: str, host: str) -> str | None:
    """The path (with query) of an address on this site, or None for another site's."""
    parts = urlsplit(address.replace("&amp;", "&"))
    if parts.scheme and parts.hostname not in (host, "testserver", "127.0.0.1", "localhost"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIP):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _links(text: str, kind: str, host: str) -> list[str]:
    if "json" in kind:
        found = re.findall(r'"((?:https?://[^"\s]+)|(?:/api/[^"\s]*))"', text)
    elif "xml" in kind:
        found = re.findall(r"<loc>([^<]+)</loc>|href=\"([^\"]+)\"", text)
        found = [loc or href for loc, href in found]
    else:
        found = re.findall(r'href="([^"#]+)"', text)
    return [path for each in found if (path := _own(each, host))]


def _crawl(slug: str) -> dict[str, str]:
    """Every page, download, feed, sitemap and API answer reachable from the home page, the
    sitemap and /api/ on the municipality's host: address -> text."""
    client, host = _site(slug), HOSTS[slug]
    starts = ["/", "/sitemap.xml", "/api/", "/trips/feed/", "/robots.txt"]
    seen, queue, texts = set(starts), deque(starts), {}
    came_from = dict.fromkeys(starts, "")
    while queue and len(texts) < LIMIT:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code in (301, 302):
            location = _own(response["Location"], host)
            if location and location not in seen:
                seen.add(location)
                came_from[location] = address
                queue.append(location)
            continue
        assert response.status_code == 200, (host, address, came_from[address])
        kind = response["Content-Type"]
        if "spreadsheetml" in kind or "pdf" in kind or "zip" in kind:
            continue
        text = response.getvalue().decode()
        texts[address] = text
        for link in _links(text, kind, host):
            if link not in seen:
                seen.add(link)
                came_from[link] = address
                queue.append(link)
    return texts


@pytest.mark.parametrize("slug", sorted(HOSTS))
def test_nothing_public_of_one_municipality_names_the_other(demos, slug):
    texts = _crawl(slug)
    addresses = set(texts)
    # The crawl reached every kind of answer: pages, downloads, the feed, the sitemap, the API.
    assert {"/", "/sitemap.xml", "/api/", "/trips/feed/", "/data/"} <= addresses
    assert any("format=csv" in address for address in addresses)
    assert any("format=json" in address for address in addresses)
    assert any(address.startswith("/api/trips/") for address in addresses)
    assert len(addresses) > 50
    # What is looked for is there to be found: the pattern for the other's pages finds this
    # municipality's own name, host or currency on its own home page and in its sitemap.
    assert _leaks(OTHER[slug], demos).search(texts["/"] + texts["/sitemap.xml"])
    leaks = _leaks(slug, demos)
    found = {
        address: sorted(set(leaks.findall(text)))[:5]
        for address, text in texts.items()
        if leaks.search(text)
    }
    assert found == {}


def _objects(record) -> dict[str, list]:
    """The municipality's records that staff reach by their id: URL name -> arguments."""
    with municipality(record):
        trip = Trip.objects.order_by("pk").first()
        line = BudgetLine.objects.order_by("pk").first()
        initiative = Initiative.objects.order_by("pk").first()
        exchange = Exchange.objects.order_by("pk").first()
        case = GrantApplication.objects.order_by("pk").first()
        city = PartnerCity.objects.order_by("pk").first()
    return {
        "travel:staff_trip": [trip.pk],
        "travel:trip_edit": [trip.pk],
        "budgets:line_detail": [line.pk],
        "budgets:initiative_edit": [initiative.pk],
        "partnerships:exchange_edit": [exchange.pk],
        "partnerships:exchange_detail": [exchange.pk],
        "grants:officer_case": [case.pk],
        "admin:travel_trip_change": [trip.pk],
        "admin:budgets_budgetline_change": [line.pk],
        "admin:grants_grantapplication_change": [case.pk],
        "admin:partnerships_partnercity_change": [city.pk],
    }


# Who of each municipality's demo logins may open each kind of page in their own.
OFFICERS = {
    "ballerup": {"travel": "sekretaer", "budgets": "admin", "partnerships": "admin",
                 "grants": "sagsbehandler", "admin": "admin"},
    "duesseldorf": {"travel": "schriftfuehrung", "budgets": "verwaltung",
                    "partnerships": "verwaltung", "grants": "sachbearbeitung",
                    "admin": "verwaltung"},
}  # fmt: skip


@pytest.mark.parametrize("slug", sorted(HOSTS))
def test_staff_of_one_never_get_the_others_records_by_id(demos, slug, settings):
    """At their own host, with the other's ids: a refusal, never the object. Their own
    records at the same addresses open, so the refusal is the other municipality's."""
    from django.contrib.auth import get_user_model

    settings.DEBUG = True  # the demo logins work only on a developer's machine

    own_objects, others_objects = _objects(demos[slug]), _objects(demos[OTHER[slug]])
    client = _site(slug)
    opened, refused = {}, {}
    for name, args in sorted(others_objects.items()):
        login = OFFICERS[slug][name.split(":")[0]]
        client.force_login(get_user_model().objects.get(username=login))
        with municipality(demos[slug]), translation.override(demos[slug].default_language):
            own_url = reverse(name, args=own_objects[name])
            others_url = reverse(name, args=args)
        opened[name] = client.get(own_url).status_code
        refused[name] = client.get(others_url).status_code
    assert opened == dict.fromkeys(others_objects, 200)
    assert {name for name, status in refused.items() if status not in (302, 403, 404)} == set()


@pytest.mark.parametrize("slug", sorted(HOSTS))
def test_staff_of_one_cannot_sign_in_at_the_others_host(demos, slug, settings):
    settings.DEBUG = True  # the demo logins' password is published: only on a developer's machine
    login = OFFICERS[slug]["grants"]
    form = {"username": login, "password": "demo-portal-2026"}
    at_home, abroad = _site(slug), _site(OTHER[slug])
    abroad.post("/login/", form)
    assert "_auth_user_id" not in abroad.session
    at_home.post("/login/", form)
    assert "_auth_user_id" in at_home.session
    # Signed in at home, the session opens none of the other's staff pages.
    for address in ("/staff/", "/staff/trips/", "/admin/"):
        response = at_home.get(address, HTTP_HOST=HOSTS[OTHER[slug]])
        assert response.status_code in (302, 403, 404), address


@pytest.mark.parametrize(
    ("slug", "own", "others"),
    [("ballerup", "Wuxi", "Toulouse"), ("duesseldorf", "Toulouse", "Wuxi")],
)
def test_search_finds_only_its_own_rows(demos, slug, own, others):
    client = _site(slug)

    def results(query: str) -> str:
        page = client.get("/search/", {"q": query}).content.decode()
        return "".join(re.findall(r'<ul class="search-results">(.*?)</ul>', page, re.S))

    assert f"/{own.lower()}/" in results(own)
    assert results(others) == ""


@pytest.mark.parametrize("address", ["/", "/en/", "/partner-cities/", "/en/trips/"])
def test_a_cached_page_is_never_served_at_the_others_host(demos, settings, address):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    for first, second in (("ballerup", "duesseldorf"), ("duesseldorf", "ballerup")):
        from django.core.cache import cache

        cache.clear()
        made = _site(first).get(address).content.decode()
        again = _site(first).get(address)
        assert (again["X-Cache"], again.content.decode()) == ("hit", made)  # from the cache
        response = _site(second).get(address)
        assert response.get("X-Cache") != "hit"
        assert not _leaks(second, demos).search(response.content.decode()), (second, address)
        assert _site(second).get(address)["X-Cache"] == "hit"  # its own page, cached apart


@pytest.mark.parametrize("slug", sorted(HOSTS))
def test_the_sitemap_and_the_feed_name_only_its_own_host(demos, slug):
    client = _site(slug)
    hosts = set()
    for address in ("/sitemap.xml", "/sitemap-trips.xml", "/trips/feed/"):
        text = client.get(address).getvalue().decode()
        hosts |= {urlsplit(link).hostname for link in re.findall(r"https?://[^\s<\"]+", text)}
    hosts -= {"www.sitemaps.org", "www.w3.org", "www.google.com"}
    assert hosts == {HOSTS[slug]}


def test_a_query_outside_any_municipality_fails(demos):
    with no_municipality(), pytest.raises(ScopeError):
        Trip.objects.count()
    with no_municipality(), pytest.raises(ScopeError):
        list(PartnerCity.objects.all())


@pytest.mark.bypasses_totals
def test_the_mail_worker_sends_each_municipalitys_mail_as_that_municipality(demos):
    """One run of the worker (outside any municipality, as `make run` starts it) sends the
    mail of both, each with its sender's name and a private link that opens its own case
    at its own host, and nothing at the other's."""
    cases = {}
    for slug, record in demos.items():
        with municipality(record):
            case = GrantApplication.objects.order_by("pk").first()
            outbox.enqueue(
                kind="test",
                to=f"reader@{slug}.example",
                subject=f"Case {case.pk}",
                body=f"Your case: {outbox.PRIVATE_LINK}",
                link="grants.case_link",
                link_arg=case.pk,
            )
            cases[slug] = case
    mail.outbox.clear()
    with no_municipality():
        call_command("send_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = {message.to[0].split("@")[1].split(".")[0]: message for message in mail.outbox}
    assert sorted(sent) == ["ballerup", "duesseldorf"]
    assert sent["ballerup"].from_email == f"Ballerup Kommune <{settings.DEFAULT_FROM_EMAIL}>"
    assert sent["duesseldorf"].from_email == (
        f"Landeshauptstadt Düsseldorf <{settings.DEFAULT_FROM_EMAIL}>"
    )
    for slug, message in sent.items():
        link = re.search(r"https?://\S+", message.body)[0]
        path = urlsplit(link).path
        assert path == f"/grants/case/{cases[slug].token}/"
        assert _site(slug).get(path).status_code == 200
        assert _site(OTHER[slug]).get(path).status_code == 404


def test_each_demo_login_is_staff_of_its_own_municipality_only(demos):
    from django.contrib.auth import get_user_model

    staff = {
        slug: sorted(record.staff.values_list("username", flat=True))
        for slug, record in demos.items()
    }
    assert staff == {
        "ballerup": ["admin", "koordinator", "koordinator2", "okonomi", "sagsbehandler",
                     "sagsbehandler2", "sekretaer"],
        "duesseldorf": ["kasse", "koordination", "koordination2", "sachbearbeitung",
                        "sachbearbeitung2", "schriftfuehrung", "verwaltung"],
    }  # fmt: skip
    officer = get_user_model().objects.get(username="sachbearbeitung")
    assert officer.groups.get() == Group.objects.get(name=Role.GRANT_OFFICER.value)
    assert list(officer.municipalities.values_list("slug", flat=True)) == ["duesseldorf"]
