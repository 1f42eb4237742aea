"""The strict Content Security Policy holds in the Django admin and the open-data pages."""

import pytest

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_and_the_data_pages_break_no_rule_of_the_content_security_policy(
    page, live_server, demo, administrator
):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, live_server, administrator.username)
    for path in (
        "/admin/",
        "/admin/partnerships/partnercity/",
        "/admin/partnerships/partnercity/add/",
        "/admin/travel/trip/",
        "/data/",
        "/data/api/",
        "/search/?q=wuxi",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
    assert refused == []
