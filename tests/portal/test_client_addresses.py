"""Who the client is when our proxy writes the address with a port, or writes no address at
all, and how IPv6 clients are grouped: each limit (login lockouts, the API throttle, the
grant form's drafts) counts the same client, and never the proxy in its place."""

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.clients import UnknownClient, client_address, client_group
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"
APPLY = "/grants/ungdomsrejser/apply/"


def behind_proxy(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address, **extra)


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.1:1111", "203.0.113.1"),
        ("6.6.6.6, 203.0.113.1:1111", "203.0.113.1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("::ffff:203.0.113.1", "203.0.113.1"),
    ],
)
def test_an_address_with_a_port_is_the_address(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.parametrize(
    "forwarded", ["garbage", "203.0.113.1:port", "[2001:db8::1", "2001:db8::1:443x", "unknown"]
)
def test_an_entry_that_is_no_address_is_never_the_proxy(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    with pytest.raises(UnknownClient):
        client_address(request)


def test_ipv6_clients_are_grouped_by_their_network(settings):
    def group(address):
        return client_group(RequestFactory().get("/", REMOTE_ADDR=address))

    assert group("2001:db8::1") == group("2001:db8::ffff:2") == "2001:db8::"
    assert group("2001:db8:0:1::1") == "2001:db8:0:1::"
    assert group("203.0.113.1") == "203.0.113.1" != group("203.0.113.2")
    settings.CLIENT_IPV6_PREFIX = 48
    assert group("2001:db8:0:1::1") == group("2001:db8::1") == "2001:db8::"


def test_failed_logins_with_a_port_lock_out_that_client_only(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    UserFactory(username="mads", password="rigtigt-kodeord-2026")
    attacker = behind_proxy("203.0.113.1:1111")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "mads", "password": "forkert"})
    assert [a.ip_address for a in AccessAttempt.objects.all()] == ["203.0.113.1"]
    # The attacker again, from another port: still locked out.
    again = behind_proxy("203.0.113.1:2222")
    response = again.post(
        reverse("login"), {"username": "mads", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 429 and "_auth_user_id" not in again.session
    # Mads, elsewhere, behind the same load balancer: not locked out.
    mads = behind_proxy("198.51.100.7:3333")
    mads.post(reverse("login"), {"username": "mads", "password": "rigtigt-kodeord-2026"})
    assert "_auth_user_id" in mads.session


def test_a_client_with_no_address_is_refused_and_counts_against_nobody(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    UserFactory(username="mads", password="rigtigt-kodeord-2026")
    garbage = behind_proxy("garbage")
    for _ in range(6):
        refused = garbage.post(reverse("login"), {"username": "mads", "password": "forkert"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Din adresse kunne ikke læses" in page and "intet blev gemt" in page
    english = behind_proxy("garbage").get("/en/partner-cities/")
    assert "Your address could not be read" in english.content.decode()
    assert AccessAttempt.objects.count() == 0
    assert Session.objects.count() == 0
    # Another client the proxy names with a port: had garbage counted as the proxy's address,
    # and the port made this one the proxy too, it would be locked out now.
    mads = behind_proxy("203.0.113.1:1111")
    mads.post(reverse("login"), {"username": "mads", "password": "rigtigt-kodeord-2026"})
    assert "_auth_user_id" in mads.session


def test_form_limits_count_each_client_with_a_port_on_its_own(settings, application_form, tmp_path):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.MEDIA_ROOT = tmp_path
    settings.GRANT_DRAFTS_PER_ADDRESS_HOUR = 1
    first = behind_proxy("203.0.113.1:1111").post(APPLY, application_form)
    second = behind_proxy("198.51.100.7:2222").post(APPLY, application_form)
    again = behind_proxy("203.0.113.1:4444").post(APPLY, application_form)
    assert [first.status_code, second.status_code, again.status_code] == [302, 302, 429]
    assert "For mange skemaer fra dig i denne time." in again.content.decode()


def test_failed_logins_from_one_ipv6_network_count_together(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="mads", password="rigtigt-kodeord-2026")
    for n in range(1, 4):  # a new address in the attacker's /64 for each attempt
        Client(REMOTE_ADDR=f"2001:db8::{n}").post(
            reverse("login"), {"username": "mads", "password": "forkert"}
        )
    next_address = Client(REMOTE_ADDR="2001:db8::99")
    response = next_address.post(
        reverse("login"), {"username": "mads", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 429 and "_auth_user_id" not in next_address.session
    elsewhere = Client(REMOTE_ADDR="2001:db8:0:1::1")
    elsewhere.post(reverse("login"), {"username": "mads", "password": "rigtigt-kodeord-2026"})
    assert "_auth_user_id" in elsewhere.session


def test_the_api_throttle_counts_an_ipv6_network_once(settings):
    settings.API_THROTTLE_RATE = "3/minute"
    statuses = [
        Client(REMOTE_ADDR=f"2001:db8::{n}").get("/api/partner-cities/").status_code
        for n in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert Client(REMOTE_ADDR="2001:db8:0:1::1").get("/api/partner-cities/").status_code == 200
