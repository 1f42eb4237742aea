"""Each staff role's main flow, and the applicant's, at 1280 px in English, as the guides
in docs/ describe them step by step.

Every step asserts what the person would notice. With DOCS_SCREENSHOTS=1 each step is
also saved as docs/staff/img/<role>-<step>.png (the viewport, 1280x800), the pictures the
guides show; without it nothing is written:

    DOCS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_guide_screenshots.py
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from budgets.models import BudgetLine, Commitment
from grants.models import GrantApplication
from partnerships.models import Exchange
from tests.browser.helpers import fill_application
from tests.conftest import deliver
from travel.models import Trip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "staff" / "img"


@pytest.fixture
def en_page(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    return page


def shot(page, name: str, top=None) -> None:
    """Save the viewport as docs/staff/img/<name>.png, only when DOCS_SCREENSHOTS=1.

    `top`, a locator, is scrolled to the top of the window first, so that the picture
    shows the part of the page the step is about.
    """
    if top is not None:
        top.evaluate("element => element.scrollIntoView({block: 'start'})")
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=IMAGES / f"{name}.png")
    if top is not None:
        page.evaluate("window.scrollTo(0, 0)")


def sign_in(page, live_server, user, first_name: str, last_name: str) -> None:
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    page.goto(live_server.url + "/en/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("password")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_grant_officer_reviews_the_queue_and_approves_a_case(
    en_page, live_server, demo, grant_officer
):
    page = en_page
    case = GrantApplication.objects.get(
        applicant_email="demo-2@example.dk"
    )  # 3,000 kr to Brandenburg
    sign_in(page, live_server, grant_officer, "Mette", "Holm")
    assert page.locator("h1").inner_text() == "Staff pages"
    count = page.locator("#count-cases")
    # With the demo's proposal above the four-eyes amount, awaiting a second officer.
    assert count.locator(".count").inner_text() == "5"
    assert "Grant cases needing me" in count.inner_text()
    shot(page, "grant-officer-1-front")

    with page.expect_navigation():
        count.click()
    assert page.locator("h1").inner_text() == "Grant applications"
    assert "5 applications" in main_text(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=case.case_number))
    assert "In review: decide" in row.inner_text()
    shot(page, "grant-officer-2-queue")

    with page.expect_navigation():
        page.get_by_role("link", name=case.case_number, exact=True).click()
    assert page.locator("h1").inner_text().startswith(f"Case {case.case_number}:")
    assert "Praktikophold i Brandenburg an der Havel." in main_text(page)
    shot(page, "grant-officer-3-case")

    page.get_by_label("Amount to grant (DKK)").fill("3000")
    page.get_by_label("Reason (in the decision letter)").fill(
        "A work placement in our partner city, as the scheme intends."
    )
    page.locator("#approve_understood").check()
    shot(page, "grant-officer-4-approve", top=page.get_by_role("heading", name="Actions"))
    with page.expect_navigation():
        page.get_by_role("button", name="Approve the grant").click()

    # The page says what was done to which case, and offers the next case needing them.
    assert f"Case {case.case_number} approved: DKK\u00a03,000 booked on" in main_text(page)
    assert page.url.endswith(f"/staff/grants/{case.pk}/")
    assert "Next case that needs you:" in main_text(page)
    case.refresh_from_db()
    assert (case.state, case.amount_granted) == ("approved", 3000)
    assert Commitment.objects.get(grant_application=case).amount == 3000
    shot(page, "grant-officer-5-next-case")


def test_committee_secretary_records_a_trip_and_publishes_an_overdue_one(
    en_page, live_server, demo, secretary
):
    page = en_page
    overdue = Trip.objects.get(slug="2026-09-ssu-south-lanarkshire")  # a draft, overdue
    sign_in(page, live_server, secretary, "Lars", "Nielsen")
    assert page.locator("h1").inner_text() == "Staff pages"
    assert "Trips overdue for publication" in main_text(page)
    shot(page, "committee-secretary-1-front")

    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="Trips abroad").click()
    row = page.get_by_role("row", name=re.compile(overdue.title))
    assert "Draft" in row.inner_text() and "overdue" in row.inner_text()
    shot(page, "committee-secretary-2-trips")

    with page.expect_navigation():
        page.get_by_role("link", name="Record a trip").click()
    page.locator("#id_title_da").fill("Studietur til Brandenburg om klimatilpasning")
    page.locator("#id_title_en").fill("Study trip to Brandenburg on climate adaptation")
    page.locator("#id_purpose_da").fill("At se, hvordan venskabsbyen håndterer skybrud.")
    page.locator("#id_destination_city").fill("Brandenburg an der Havel")
    page.locator("#id_destination_country").select_option("DE")
    page.locator("#id_starts_on").fill("2027-03-08")
    page.locator("#id_ends_on").fill("2027-03-10")
    page.locator("#id_travellers-0-name").fill("Ali Hassan")
    page.locator("#id_travellers-0-role").fill("Formand for Teknik- og Miljøudvalget")
    shot(page, "committee-secretary-3-new-trip", top=page.locator("h1"))
    with page.expect_navigation():
        page.get_by_role("button", name="Save the trip").click()
    assert "The trip is saved." in page.get_by_role("status").first.inner_text()
    recorded = Trip.objects.get(title_en="Study trip to Brandenburg on climate adaptation")
    assert recorded.state == "draft"
    shot(page, "committee-secretary-4-saved")

    page.goto(f"{live_server.url}/en/trips/overdue/")
    assert page.locator("h1").inner_text() == "Trips not published in time"
    assert "Social and Health Committee" in main_text(page)
    shot(page, "committee-secretary-5-overdue")

    page.goto(f"{live_server.url}/en/staff/trips/{overdue.pk}/")
    assert page.locator("h1").inner_text() == overdue.title
    shot(page, "committee-secretary-6-draft")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish programme and accounts").click()
    assert "The trip is published." in page.get_by_role("status").first.inner_text()
    overdue.refresh_from_db()
    assert overdue.state == "published"
    shot(page, "committee-secretary-7-published")

    page.goto(f"{live_server.url}/en/trips/overdue/")
    assert "Social and Health Committee" not in main_text(page)


def test_school_coordinator_registers_an_exchange(en_page, live_server, demo, coordinator):
    page = en_page
    sign_in(page, live_server, coordinator, "Sofie", "Jensen")
    assert page.locator("h1").inner_text() == "Staff pages"
    shot(page, "coordinator-1-front")

    with page.expect_navigation():
        page.get_by_role("link", name="Register an exchange").first.click()
    assert page.locator("h1").inner_text() == "Register an exchange"
    page.get_by_label("Title").fill("Elevudveksling med Wuxi 2027")
    page.get_by_label("Kind").select_option("pupil_exchange")
    page.get_by_label("School or unit").select_option(label="Skovlunde Skole")
    page.get_by_label("Partner city").select_option(label="Wuxi")
    page.get_by_label("Direction").select_option("outgoing")
    page.get_by_label("First day").fill("2027-10-04")
    page.get_by_label("Last day").fill("2027-10-15")
    page.get_by_label("Pupils").fill("16")
    page.get_by_label("Teachers").fill("2")
    shot(page, "coordinator-2-form", top=page.locator("h1"))
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()

    assert (
        "The exchange “Elevudveksling med Wuxi 2027” is registered."
        in page.get_by_role("status").first.inner_text()
    )
    exchange = Exchange.objects.get(title="Elevudveksling med Wuxi 2027")
    assert (exchange.pupils, exchange.teachers, exchange.registered_by) == (16, 2, coordinator)
    shot(page, "coordinator-3-registered")


def test_administrator_books_an_amount_on_a_budget_line(en_page, live_server, demo, administrator):
    page = en_page
    line = BudgetLine.objects.get(budget_year__year=2026, code="INT-NETV")  # 13,200 kr left
    sign_in(page, live_server, administrator, "Anders", "Berg")
    assert page.locator("h1").inner_text() == "Staff pages"
    assert "Budget lines this year" in main_text(page)
    shot(page, "administrator-1-front")

    page.goto(f"{live_server.url}/en/budget/2026/")
    with page.expect_navigation():
        page.get_by_role("link", name="Network for teachers and others in schools").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Staff: every commitment on this line").click()
    assert "DKK\u00a013,200" in main_text(page)
    page.get_by_label("What the amount pays for").select_option("meeting")
    page.get_by_label("Amount (DKK)").fill("3200")
    page.get_by_label("Date").fill("2026-11-20")
    page.locator("#id_description").fill("Netværksmøde i december, Baltorpskolen")
    page.locator("#id_public_description").fill("Netværksmøde for lærere")
    page.get_by_label("Reference").fill("Faktura 2026-611")
    page.get_by_role("textbox", name="Reason", exact=True).fill("Faktura uden for systemet")
    shot(page, "administrator-2-book", top=page.get_by_role("heading", name="Book by hand"))
    with page.expect_navigation():
        page.get_by_role("button", name="Book the amount", exact=True).click()

    assert "The commitment is booked." in page.get_by_role("status").first.inner_text()
    assert "DKK\u00a010,000" in main_text(page)  # what is left now
    booked = Commitment.objects.get(line=line, description__startswith="Netværksmøde i dec")
    assert booked.amount == 3200
    shot(page, "administrator-3-booked")


def test_applicant_applies_confirms_and_follows_the_case(en_page, live_server, demo, settings):
    page = en_page
    settings.GRANT_FORM_MIN_SECONDS = 1
    departure = timezone.localdate() + datetime.timedelta(days=45)
    page.goto(f"{live_server.url}/en/grants/")
    shot(page, "applicant-1-schemes")

    page.goto(f"{live_server.url}/en/grants/studierejsefond/apply/")
    assert page.locator("h1").inner_text() == "Apply: Employees' study-trip fund"
    assert "Before you apply" in main_text(page)
    shot(page, "applicant-2-rules")

    fill_application(
        page,
        purpose="Job shadowing in Wuxi's elderly care",
        departure=departure,
        partner_city="Wuxi",
    )
    shot(page, "applicant-3-form", top=page.locator("legend", has_text="The trip"))
    page.wait_for_timeout(1100)  # a person takes longer than the bot trap's minimum
    with page.expect_navigation():
        page.get_by_role("button", name="Continue to check your answers").click()

    assert page.locator("h1").inner_text() == "Check your answers"
    assert "Jonas Berg" in main_text(page) and "DKK\u00a08,000" in main_text(page)
    assert not GrantApplication.objects.filter(applicant_email="jonas.berg@example.dk").exists()
    shot(page, "applicant-4-check")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the application").click()

    assert page.locator("h1").inner_text() == "Check your email"
    application = GrantApplication.objects.get(applicant_email="jonas.berg@example.dk")
    assert application.state == "unconfirmed"
    assert str(application.pk) in page.locator("#reference").inner_text()
    shot(page, "applicant-5-check-email")

    (message,) = [m for m in deliver() if m.to == ["jonas.berg@example.dk"]]
    path = re.search(r"https?://[^/\s]+(/\S+)", message.body)[1]
    english = path if path.startswith("/en/") else "/en" + path
    page.goto(live_server.url + english)
    shot(page, "applicant-6-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my address and send the application").click()

    assert "Your address is confirmed and the application sent." in main_text(page)
    assert "Sent, waiting for an officer" in page.locator("#status").inner_text()
    assert "Wuxi" in page.locator("#applied-for").inner_text()
    application.refresh_from_db()
    assert application.state == "submitted"
    shot(page, "applicant-7-case")
