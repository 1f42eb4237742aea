"""The grant identity controls' own pages in Chromium (docs/security/grant-identity.md)."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from grants.models import GrantApplication
from tests.browser.helpers import WCAG_21_AA
from tests.factories import GrantApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_expired_confirmation_link_says_to_apply_again(page, live_server, settings):
    application = GrantApplicationFactory(state="unconfirmed")
    GrantApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now()
        - datetime.timedelta(hours=settings.GRANT_CONFIRMATION_HOURS + 1)
    )

    page.goto(live_server.url + application.get_case_url())

    assert page.locator("h1").inner_text() == "Bekræftelseslinket er udløbet"
    assert page.locator("main").get_by_role("button").count() == 0
    page.get_by_role("link", name="Søg venligst igen").click()
    assert page.url == f"{live_server.url}{application.scheme.get_absolute_url()}"
    page.go_back()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    assert GrantApplication.objects.get(pk=application.pk).state == "unconfirmed"
