"""A school coordinator registers an exchange in a real browser, with and without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnerships.models import Exchange
from tests.browser.helpers import WCAG_21_AA, log_in

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
    page.get_by_label("Skole eller enhed").fill("Skovlunde Skole")
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
    if fixture == "page":  # axe-core is JavaScript itself
        assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
