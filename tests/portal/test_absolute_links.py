"""Absolute addresses come from PORTAL_BASE_URL, never from the request's Host header: a
cache in front of the portal that does not key on Host cannot be made to serve a sitemap,
feed, API answer or mail that points to another site (docs/security/mail-and-links.md)."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import apply_for, deliver
from tests.factories import TripFactory

BASE = "https://international.example.dk"
EVIL = "evil.example"


@pytest.fixture
def poisoned(settings, db):
    """The configured address, and a host the portal would answer to (as behind a proxy
    that passes any Host): what an attacker sends to poison a cache."""
    settings.PORTAL_BASE_URL = BASE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, EVIL]
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    TripFactory.create_batch(3)
    return settings


PAGES = [
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-trips.xml",
    "/trips/feed/",
    "/api/",
    "/api/trips/?page_size=1&page=2",
    "/api/schema/?format=json",
]


@pytest.mark.parametrize("path", PAGES)
def test_an_address_is_never_taken_from_the_host_header(client, poisoned, path):
    response = client.get(path, HTTP_HOST=EVIL)
    body = response.content.decode()
    assert response.status_code == 200
    assert EVIL not in body
    assert BASE in body


def test_the_api_pages_link_to_the_configured_address(client, poisoned):
    page = client.get("/api/trips/", {"page_size": 1, "page": 2}, HTTP_HOST=EVIL).json()
    assert (page["next"], page["previous"]) == (
        f"{BASE}/api/trips/?page=3&page_size=1",
        f"{BASE}/api/trips/?page_size=1",
    )
    root = client.get("/api/", HTTP_HOST=EVIL).json()
    assert root["trip"] == f"{BASE}/api/trips/"
    assert root["documentation"] == f"{BASE}{reverse('api_docs')}"
    schema = client.get("/api/schema/", {"format": "json"}, HTTP_HOST=EVIL).json()
    assert schema["servers"] == [{"url": BASE}]


def test_the_sitemap_index_and_feed_link_to_the_configured_address(client, poisoned):
    index = client.get("/sitemap.xml", HTTP_HOST=EVIL).content.decode()
    assert f"<loc>{BASE}/sitemap-trips.xml</loc>" in index
    feed = client.get("/trips/feed/", HTTP_HOST=EVIL).content.decode()
    assert f'<link href="{BASE}{reverse("travel:list")}" rel="alternate"' in feed
    assert f'<link href="{BASE}{reverse("travel:feed")}" rel="self"' in feed


def test_a_mail_caused_by_a_request_to_another_host_links_to_the_configured_address(
    client, poisoned, application_form
):
    apply_for(client, application_form, HTTP_HOST=EVIL)
    (confirmation,) = deliver()
    assert EVIL not in confirmation.body
    assert f"{BASE}/grants/case/" in confirmation.body
    assert len(mail.outbox) == 1
