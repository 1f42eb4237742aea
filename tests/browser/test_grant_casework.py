"""Hearing, report back and repayment in Chromium: the applicant comments and reports at
390 px, the officer sends the facts and claims the repayment at 1280 px; axe on each page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grants import services
from grants.models import GrantApplication
from tests.browser.helpers import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_hears_the_applicant_who_comments_on_a_phone(
    page, live_server, demo, grant_officer
):
    application = GrantApplication.objects.get(applicant_email="demo-2@example.dk")  # in review
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, grant_officer.username)
    page.goto(f"{live_server.url}/staff/grants/{application.pk}/")
    page.get_by_text("Partshøring før afgørelsen").click()
    page.get_by_label("De oplysninger, ansøgeren skal kommentere").fill(
        "Skolen i Prag 10 kan ikke tage imod jer i juni."
    )
    deadline = timezone.localdate() + datetime.timedelta(days=15)
    page.get_by_label("Frist for bemærkninger").fill(deadline.isoformat())
    page.get_by_role("button", name="Send oplysningerne i partshøring").click()
    assert "Gemt." in page.locator("main").inner_text()
    assert axe_violations(page) == []
    application.refresh_from_db()
    assert (application.state, application.hearing_deadline) == ("hearing", deadline)

    phone = page.context.browser.new_context(locale="da-DK", viewport={"width": 390, "height": 844})
    applicant = phone.new_page()
    applicant.goto(live_server.url + application.get_case_url())
    main = applicant.locator("main").inner_text()
    assert "Skolen i Prag 10 kan ikke tage imod jer i juni." in main
    assert f"senest {deadline:%d.%m.%Y}" in main
    assert axe_violations(applicant) == []
    assert applicant.evaluate("document.documentElement.scrollWidth") <= 390
    applicant.get_by_label("Dine bemærkninger").fill("Vi kan flytte rejsen til august.")
    applicant.get_by_role("button", name="Send bemærkningerne").click()
    assert "Tak. Dine bemærkninger er sendt." in applicant.locator("main").inner_text()
    phone.close()
    application.refresh_from_db()
    assert application.state == "in_review"


def test_the_applicant_reports_and_the_officer_claims_the_unspent_grant(
    page, live_server, demo, grant_officer
):
    application = GrantApplication.objects.get(applicant_email="demo-2@example.dk")  # in review
    today = timezone.localdate()
    GrantApplication.objects.filter(pk=application.pk).update(
        departs_on=today - datetime.timedelta(days=8), returns_on=today - datetime.timedelta(days=2)
    )
    services.approve(application=application, officer=grant_officer, amount=Decimal("3000"))
    services.mark_paid(application=application, officer=grant_officer, reference="F-1")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + application.get_case_url())
    page.get_by_label("Hvad skete der på rejsen?").fill("Vi var i praktik i tre dage.")
    page.get_by_label("Hvor mange deltog?").fill("1")
    page.get_by_label("Faktiske udgifter: rejse (kr.)").fill("1500")
    page.get_by_label("Faktiske udgifter: ophold (kr.)").fill("500")
    page.get_by_label("Faktiske udgifter: andet (kr.)").fill("0")
    page.get_by_role("button", name="Send afrapporteringen").click()
    assert "Vi var i praktik i tre dage." in page.locator("#your-report ~ .prose").inner_text()
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, grant_officer.username)
    page.goto(f"{live_server.url}/staff/grants/{application.pk}/")
    assert "1.000\u00a0kr. mindre brugt end bevilget" in page.locator("#unspent").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Kræv tilbagebetalingen").click()
    page.get_by_role("button", name="Registrér tilbagebetalingen som modtaget").click()
    page.get_by_role("button", name="Afslut sagen").click()
    application.refresh_from_db()
    assert (application.state, application.repayment_claimed) == ("closed", Decimal("1000"))
