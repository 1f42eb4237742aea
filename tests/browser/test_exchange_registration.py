"""A school coordinator registers an exchange in a real browser, with and without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnerships.models import Exchange
from tests.browser.helpers import WCAG_21_AA, log_in
from tests.factories import ExchangeFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "no_js_page"])
def test_coordinator_registers_an_exchange_after_a_mistake(
    request, fixture, live_server, demo, coordinator
):
    page = request.getfixturevalue(fixture)
    registered = Exchange.objects.filter(title="Skoleprojekt med Wuxi")
    log_in(page, live_server, coordinator.username)
    assert page.locator("h1").inner_text() == "Medarbejdersider"
    page.get_by_role("link", name="Registrer en udveksling").first.click()

    page.get_by_label("Titel").fill("Skoleprojekt med Wuxi")
    page.get_by_label("Type").select_option("pupil_exchange")
    page.get_by_label("Skole eller enhed").select_option(label="Skovlunde Skole")
    page.get_by_label("Samarbejdsby").select_option(label="Wuxi")
    page.get_by_label("Retning").select_option("outgoing")
    page.get_by_label("Første dag").fill("2026-10-16")
    page.get_by_label("Sidste dag").fill("2026-10-05")
    page.get_by_label("Elever").fill("16")
    page.get_by_label("Lærere").fill("2")
    page.get_by_role("button", name="Registrer").click()

    # The mistake is explained, nothing is saved, and nothing typed is lost.
    summary = page.get_by_role("alert")
    assert "Den sidste dag kan ikke ligge før den første dag." in summary.inner_text()
    assert not registered.exists()
    assert page.get_by_label("Titel").input_value() == "Skoleprojekt med Wuxi"
    assert page.get_by_label("Elever").input_value() == "16"
    if fixture == "page":  # axe-core is JavaScript itself
        assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    page.get_by_label("Første dag").fill("2026-10-05")
    page.get_by_label("Sidste dag").fill("2026-10-16")
    page.get_by_role("button", name="Registrer").click()

    assert (
        "Udvekslingen “Skoleprojekt med Wuxi” er registreret."
        in page.get_by_role("status").first.inner_text()
    )
    exchange = registered.get()
    assert (exchange.pupils, exchange.teachers, exchange.registered_by) == (16, 2, coordinator)
    assert exchange.school.name == "Skovlunde Skole"
    if fixture == "page":  # axe-core is JavaScript itself
        assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []


@pytest.mark.parametrize("fixture", ["page", "no_js_page"])
def test_at_390_px_a_coordinator_picks_a_school_and_reads_a_colleagues_exchange(
    request, fixture, live_server, demo, coordinator, other_coordinator
):
    """On a phone, the form fits the screen and the school is picked from the list; the
    list then opens a colleague's exchange to read, with its report, and no way to edit."""
    page = request.getfixturevalue(fixture)
    page.set_viewport_size({"width": 390, "height": 844})
    theirs = ExchangeFactory(
        title="Baltorpskolens lærerbesøg",
        registered_by=other_coordinator,
        school=SchoolFactory(name="Baltorpskolen"),
        report="Gode erfaringer med co-teaching.",
    )
    log_in(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/staff/exchanges/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    school = page.get_by_label("Skole eller enhed")
    assert "Måløvhøj Skole" in school.locator("option").all_inner_texts()
    page.get_by_label("Titel").fill("Elevbesøg fra Prag 10")
    page.get_by_label("Type").select_option("pupil_exchange")
    school.select_option(label="Måløvhøj Skole")
    page.get_by_label("Samarbejdsby").select_option(label="Prag 10")
    page.get_by_label("Retning").select_option("incoming")
    page.get_by_label("Første dag").fill("2027-05-03")
    page.get_by_label("Sidste dag").fill("2027-05-07")
    page.get_by_label("Elever").fill("20")
    if fixture == "page":
        assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    page.get_by_role("button", name="Registrer").click()

    assert Exchange.objects.get(title="Elevbesøg fra Prag 10").school.name == "Måløvhøj Skole"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Baltorpskolens lærerbesøg").click()
    assert page.locator("h1").inner_text() == "Baltorpskolens lærerbesøg"
    assert "Gode erfaringer med co-teaching." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Rediger udveksling").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if fixture == "page":
        assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    theirs.refresh_from_db()
    assert theirs.title == "Baltorpskolens lærerbesøg"
