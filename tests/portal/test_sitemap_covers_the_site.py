"""Every public page a reader can reach from the home page is in the sitemap, in every
language with its alternates; robots.txt keeps robots out of the private addresses of
every language. Crawled on the demo with the test client, following links within the
site (bounded)."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

# Not pages: downloads, feeds, the API and its document, files, the sitemap itself.
NOT_PAGES = ("/static/", "/media/", "/admin/", "/api/", "/sitemap")
NOT_PAGE_ENDINGS = (".xml", ".json", ".pdf", ".txt", "/feed/", "/csv/")
PRIVATE = ("/staff/", "/login/", "/grants/case/", "/grants/sent/")
MAX_PAGES = 400


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


def crawl(client, start: str) -> list[str]:
    """The public HTML pages reachable from `start` by links within the site (no query
    strings: filters and sort orders are the same page)."""
    seen, queue, pages = set(), [start], []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages.append(path)
        for href in re.findall(r'href="([^"#]+)', response.content.decode()):
            address = urlsplit(urljoin(path, href.replace("&amp;", "&")))
            if address.scheme not in ("", "http") or address.netloc or address.query:
                continue
            if address.path.startswith(NOT_PAGES) or address.path.endswith(NOT_PAGE_ENDINGS):
                continue
            if any(private in address.path for private in PRIVATE):
                continue
            queue.append(address.path)
    assert len(seen) < MAX_PAGES, "the crawl was cut short"
    return pages


def sitemap(client) -> tuple[set[str], dict[str, set[str]]]:
    """The addresses in the sitemap (paths), and each one's alternates' languages."""
    index = client.get("/sitemap.xml").content.decode()
    addresses, alternates = set(), {}
    for section in re.findall(r"<loc>([^<]+)</loc>", index):
        section = urlsplit(section.replace("&amp;", "&"))
        query = {"p": section.query.removeprefix("p=")} if section.query else {}
        body = client.get(section.path, query).content.decode()
        for entry in re.findall(r"<url>(.*?)</url>", body, re.S):
            path = urlsplit(re.search(r"<loc>([^<]+)</loc>", entry).group(1)).path
            addresses.add(path)
            alternates[path] = set(re.findall(r'hreflang="([^"]+)"', entry))
    return addresses, alternates


def test_every_page_reachable_from_the_home_page_is_in_the_sitemap(demo, client, db):
    addresses, alternates = sitemap(client)
    languages = {code for code, _name in settings.LANGUAGES}
    for code in languages:
        start = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        pages = crawl(client, start)
        assert len(pages) > 40, code
        assert [page for page in pages if page not in addresses] == [], code
        for page in pages:
            assert alternates[page] == {*languages, "x-default"}, page
    # What the crawl found, in the sitemap: a line of the budget, a traveller, a year's
    # follow-up, the overdue list, an application form.
    for kind in ("/budget/2026/lines/", "/trips/people/", "/follow-up/", "/trips/overdue/"):
        assert any(address.startswith(kind) for address in addresses), kind
    assert any(address.endswith("/apply/") for address in addresses)


def test_robots_keep_out_of_private_addresses_in_every_language(client, db):
    robots = client.get("/robots.txt").content.decode().splitlines()
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        assert f"Disallow: {prefix}/staff/" in robots
        assert f"Disallow: {prefix}/grants/case/" in robots
    assert "Disallow: /admin/" in robots
    from portal.base_url import base_url

    # The municipality's own address: its first host name, if it has one.
    assert f"Sitemap: {base_url()}/sitemap.xml" in robots
