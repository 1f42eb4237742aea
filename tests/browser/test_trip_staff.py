"""A committee secretary corrects a published trip in Chromium; the public page shows it."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import WCAG_21_AA, log_in
from travel.models import Trip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_corrects_a_published_trip(page, live_server, demo, secretary):
    trip = Trip.objects.get(slug="2026-04-ecn-nacka")
    log_in(page, live_server, secretary.username)
    page.get_by_role("main").get_by_role("link", name="Udlandsrejser").click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    page.get_by_role("link", name=trip.title).click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    page.get_by_role("link", name="Rediger rejse, rejsende, program og regnskab").click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    page.get_by_role("spinbutton", name="Faktisk (inkl. moms) (række 2)").fill("9900")
    page.get_by_role("button", name="Gem").click()
    assert "skriv, hvad du har rettet" in page.get_by_role("alert").first.inner_text()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    page.get_by_role("textbox", name="Hvad er rettet").fill("hotelpris")
    page.get_by_role("button", name="Gem").click()
    assert "Rejsen er gemt." in page.get_by_role("status").first.inner_text()

    page.goto(live_server.url + trip.get_absolute_url())
    assert ": hotelpris" in page.locator("main").inner_text()
    assert (
        trip.budget_line.commitments.filter(reverses__isnull=True, reversed_by__isnull=True)
        .get()
        .amount
        == 6980 + 9900 + 2750 + 6000
    )
