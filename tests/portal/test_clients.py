"""One notion of who the client is, behind the proxies the README describes: login lockouts
per user name and address (never global), the admin's login too, and an API throttle that a
forged header does not reset."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.clients import client_address
from portal.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"  # the load balancer: every request arrives from it


def behind_proxy(address: str) -> Client:
    """A browser at `address`, reaching us through one proxy that appends what it saw."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "", "192.0.2.1"),
        (0, "6.6.6.6", "192.0.2.1"),  # no proxy of ours: the header is the client's own
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
        (1, "", "192.0.2.1"),  # not through our proxy
        # (1, "not-an-address") is refused now, never the proxy's address:
        # tests/portal/test_client_addresses.py
    ],
)
def test_the_client_address(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_failed_logins_with_many_names_lock_nobody_else_out(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="sagsbehandler", password="rigtigt-kodeord-2026")
    attacker = behind_proxy("198.51.100.66")
    for n in range(20):
        attacker.post(reverse("login"), {"username": f"name{n}", "password": "x"})
    staff = behind_proxy("203.0.113.10")
    response = staff.post(
        reverse("login"), {"username": "sagsbehandler", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in staff.session


def test_the_admin_login_is_throttled_too(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    UserFactory(username="root", password="rigtigt-kodeord-2026", is_staff=True, is_superuser=True)
    attacker = behind_proxy("198.51.100.66")
    for _ in range(5):
        attacker.post(reverse("admin:login"), {"username": "root", "password": "forkert"})
    response = attacker.post(
        reverse("admin:login"), {"username": "root", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in attacker.session
    # A forged header does not make the attacker someone else.
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.66")
    response = forged.post(
        reverse("admin:login"), {"username": "root", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 429


def test_an_administrator_sees_and_lifts_a_lockout(settings, client, administrator):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="mads", password="rigtigt-kodeord-2026")
    locked = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(3):
        locked.post(reverse("login"), {"username": "mads", "password": "forkert"})
    attempt = AccessAttempt.objects.get(username="mads")

    client.force_login(administrator)
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "mads" in page and "203.0.113.10" in page
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert AuditEntry.objects.get(action="admin.delete").actor == administrator
    response = locked.post(
        reverse("login"), {"username": "mads", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 302


def test_a_forged_forwarded_header_does_not_reset_the_api_throttle(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_THROTTLE_RATE = "3/minute"
    statuses = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.66")
        .get("/api/partner-cities/")
        .status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
