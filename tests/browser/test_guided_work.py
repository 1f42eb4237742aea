"""The people who do the work, in Chromium: an officer from the front page through two
cases and a batch of payments, told by mail when an applicant answers; a secretary adding
trip rows with and without JavaScript."""

from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import GrantApplication
from tests.browser.helpers import axe_violations, log_in
from tests.conftest import deliver
from tests.factories import BudgetLineFactory, BudgetYearFactory, GrantApplicationFactory
from travel.models import Trip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_an_officer_works_from_the_front_page_through_cases_and_a_batch(
    page, live_server, grant_officer, width
):
    BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year),
        code="INT-UNG",
        amount=Decimal("100000"),
    )
    first = GrantApplicationFactory(state="in_review", amount_requested=Decimal("4000"))
    second = GrantApplicationFactory(state="in_review", amount_requested=Decimal("3000"))
    to_pay = [
        GrantApplicationFactory(state="approved", amount_granted=Decimal("2000")) for _ in range(2)
    ]
    asked = GrantApplicationFactory(state="info_requested")
    asked.events.create(actor="officer", officer=grant_officer, to_state="info_requested")
    page.set_viewport_size({"width": width, "height": 900})

    log_in(page, live_server, grant_officer.username)
    count = page.locator("#count-cases")
    assert count.locator(".count").inner_text() == "4"
    assert axe_violations(page) == []
    with page.expect_navigation():
        count.click()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name=first.case_number, exact=True).click()

    # Reject the first (the box says what follows): the page says what was done to which
    # case and offers the next case that needs the officer; it does not jump.
    page.get_by_label("Begrundelse for afslaget").fill("Uden for ordningen.")
    reject = page.locator("form").filter(has=page.get_by_role("button", name="Afslå ansøgningen"))
    reject.get_by_label("Puljens formål (en vurdering)").check()
    page.locator("#reject_understood").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Afslå ansøgningen").click()
    assert f"Sag {first.case_number} afslået;" in page.locator("main").inner_text()
    assert page.locator("h1").inner_text().startswith(f"Sag {first.case_number}")
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name=f"Næste sag, der venter på dig: {second.case_number}").click()
    assert page.locator("h1").inner_text().startswith(f"Sag {second.case_number}")
    page.get_by_label("Beløb, der bevilges").fill("3000")
    page.locator("#approve_understood").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Bevilg tilskuddet").click()
    assert f"Sag {second.case_number} bevilget: 3.000" in page.locator("main").inner_text()

    # Pay the approved grants at once from the queue.
    page.goto(f"{live_server.url}/staff/grants/?state=approved")
    for application in [*to_pay, second]:
        page.get_by_label(f"Vælg sag {application.case_number}").check()
    page.get_by_label("Med de valgte sager").select_option("paid")
    with page.expect_navigation():
        page.get_by_role("button", name="Udfør for de valgte sager").click()
    # First the cases, their count and total, and the payment's date and reference; once.
    assert "3 sager, " in page.locator("#batch-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Økonomisystemets reference").fill("Betalingskørsel 48")
    with page.expect_navigation():
        page.get_by_role("button", name="Bekræft: Markér de valgte tilskud som udbetalt").click()
    assert "Udført for 3 sager" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    states = dict(GrantApplication.objects.values_list("pk", "state"))
    assert [states[a.pk] for a in [*to_pay, second]] == ["paid"] * 3
    assert states[first.pk] == "rejected"

    # The applicant answers; the officer who asked is mailed a link and nothing personal.
    page.goto(live_server.url + asked.get_case_url())
    page.get_by_label("Dit svar").fill("Vi er ti deltagere.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send svaret").click()
    (mail,) = [m for m in deliver() if m.to == [grant_officer.email]]
    assert f"/staff/grants/{asked.pk}/" in mail.body
    assert asked.applicant_name not in mail.body and "ti deltagere" not in mail.body


def _fill_trip(page):
    page.locator("#id_title_da").fill("Studietur til Glasgow")
    page.locator("#id_purpose_da").fill("Akutpladser")
    page.locator("#id_destination_city").fill("Glasgow")
    page.locator("#id_destination_country").select_option("GB")
    page.locator("#id_starts_on").fill("2026-09-01")
    page.locator("#id_ends_on").fill("2026-09-04")


def test_a_secretary_adds_programme_rows_at_once_with_javascript(page, live_server, secretary):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, secretary.username)
    page.goto(f"{live_server.url}/staff/trips/new/")
    _fill_trip(page)
    # The row tables scroll in their own boxes: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.locator("#programme-rows tbody tr")
    before = rows.count()
    url = page.url
    page.get_by_role("button", name="Tilføj en programlinje").click()
    assert rows.count() == before + 1 and page.url == url  # no round trip
    assert page.evaluate("document.activeElement.name") == f"programme-{before}-day"
    page.locator(f"#id_programme-{before}-day").fill("2026-09-02")
    page.locator(f"#id_programme-{before}-what_da").fill("Møde med South Lanarkshire Council")
    assert page.locator("#id_title_da").input_value() == "Studietur til Glasgow"
    assert axe_violations(page) == []
    # Enter in a field saves the trip (the form's default button), not "add a row".
    with page.expect_navigation():
        page.locator(f"#id_programme-{before}-what_da").press("Enter")
    assert "Rejsen er gemt." in page.content()
    trip = Trip.objects.get()
    assert [item.what for item in trip.programme.all()] == ["Møde med South Lanarkshire Council"]


def test_a_secretary_adds_rows_without_javascript_and_keeps_what_was_typed(
    no_js_page, live_server, secretary
):
    page = no_js_page
    log_in(page, live_server, secretary.username)
    page.goto(f"{live_server.url}/staff/trips/new/")
    _fill_trip(page)
    rows = page.locator("#travellers-rows tbody tr")
    before = rows.count()
    with page.expect_navigation():
        page.get_by_role("button", name="Tilføj en rejsedeltager").click()
    assert rows.count() == before + 1
    assert page.locator("#id_title_da").input_value() == "Studietur til Glasgow"
    assert page.locator(".error-summary").count() == 0
    assert not Trip.objects.exists()
    # (axe-core needs JavaScript: the same page is checked in the test above.)
