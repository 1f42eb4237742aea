"""Administrators and committee secretaries at work on budgets and the follow-up, in Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from budgets.models import BudgetLine, Commitment, Milestone
from tests.browser.helpers import WCAG_21_AA, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_books_on_a_line_after_an_overspend_is_refused(
    page, live_server, demo, administrator
):
    line = BudgetLine.objects.get(budget_year__year=2026, code="INT-NETV")  # 13,200 kr left
    log_in(page, live_server, administrator.username)
    page.goto(f"{live_server.url}/budget/2026/")
    page.get_by_role("link", name="Netværk for lærere og aktører på skoleområdet").click()
    page.get_by_role("link", name="Personale: alle disponeringer på linjen").click()

    # A trip is not booked here: the form says where it goes, and refuses it.
    assert page.get_by_role("link", name="rejseformularen").get_attribute("href") == (
        "/staff/trips/new/"
    )
    page.get_by_label("Hvad beløbet betaler for").select_option("trip_abroad")
    page.get_by_label("Beløb (kr.)").fill("20000")
    page.get_by_label("Dato").fill("2026-11-20")
    page.locator("#id_description").fill("Netværksmøde i december")
    page.locator("#id_public_description").fill("Netværksmøde for lærere")
    page.get_by_role("textbox", name="Begrundelse", exact=True).fill("Faktura 2026-611")
    page.get_by_role("button", name="Bogfør beløbet", exact=True).click()
    assert "En rejse til udlandet bogføres ikke i hånden" in (
        page.locator("#id_manual_cause_error").inner_text()
    )
    assert not Commitment.objects.filter(description="Netværksmøde i december").exists()

    page.get_by_label("Hvad beløbet betaler for").select_option("meeting")
    page.get_by_role("button", name="Bogfør beløbet", exact=True).click()

    assert "har 13.200\u00a0kr. tilbage" in page.get_by_role("alert").inner_text()
    assert page.locator("#id_description").input_value() == "Netværksmøde i december"
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    page.get_by_label("Beløb (kr.)").fill("3200")
    page.get_by_role("button", name="Bogfør beløbet", exact=True).click()
    assert "Disponeringen er bogført." in page.get_by_role("status").first.inner_text()
    assert Commitment.objects.filter(line=line, description="Netværksmøde i december").exists()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []


def test_secretary_records_the_year_end_round(page, live_server, demo, secretary):
    log_in(page, live_server, secretary.username)
    page.get_by_role("link", name="Opfølgning på indsatser").click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []
    page.get_by_role("link", name="31.12.").click()
    assert Axe().run(page, options=WCAG_21_AA).response["violations"] == []

    entry = page.get_by_role("group", name="1.01 Internationale koordinatorer på alle skoler")
    entry.get_by_label("Smiley", exact=True).select_option("at_risk")
    entry.get_by_label("Status", exact=True).fill("To skoler mangler uddannelsen.")
    page.get_by_role("button", name="Gem runden").click()

    milestone = Milestone.objects.get(initiative__number="1.01", round__code="year_end")
    assert (milestone.smiley, milestone.status_text) == (
        "at_risk",
        "To skoler mangler uddannelsen.",
    )
    page.goto(f"{live_server.url}/follow-up/2026/")
    assert "To skoler mangler uddannelsen." in page.locator("main").inner_text()
