"""The finance clerk's payment list, and an officer paying, reversing and filing a case, in
Chromium: every language, 390 and 1280 pixels wide, axe-core, and without JavaScript."""

import csv
import io
import json
import zipfile

import pytest
from django.utils import timezone

from grants import services
from grants.enums import ApplicationState
from grants.models import GrantApplication
from tests.browser.helpers import axe_violations, log_in
from tests.factories import BudgetLineFactory, BudgetYearFactory, GrantApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = ApplicationState

WORDS = {
    "": ("Udbetalinger", "Hent som XLSX", "Hent som CSV", "12000,00", ";"),
    "/en": ("Payments", "Download as XLSX", "Download as CSV", "12000.00", ","),
    "/de": ("Auszahlungen", "Als XLSX herunterladen", "Als CSV herunterladen", "12000,00", ";"),
}


@pytest.fixture
def paid(grant_officer):
    BudgetLineFactory(budget_year=BudgetYearFactory(year=timezone.localdate().year), code="INT-UNG")
    application = GrantApplicationFactory(
        state=S.IN_REVIEW, organisation="FDF Ballerup", organisation_cvr="58271713"
    )
    services.approve(application=application, officer=grant_officer, amount="12000")
    services.mark_paid(application=application, officer=grant_officer, reference="FIN-100")
    return GrantApplication.objects.get(pk=application.pk)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("prefix", ["", "/en", "/de"])
def test_the_finance_clerk_reads_and_downloads_the_payment_list(
    page, live_server, finance_clerk, paid, prefix, width
):
    heading, _xlsx, csv_button, amount, separator = WORDS[prefix]
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, live_server, finance_clerk.username)
    page.goto(f"{live_server.url}{prefix}/staff/")
    with page.expect_navigation():
        page.locator("#count-payments").click()
    assert page.locator("h1").inner_text() == heading
    assert "58271713" in page.locator("#payments").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("button", name=csv_button).click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    assert (rows[1][1], rows[1][2], rows[1][8]) == ("FIN-100", paid.case_number, amount)


def test_an_officer_pays_reverses_and_files_without_javascript(
    no_js_page, live_server, grant_officer, paid
):
    page = no_js_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, grant_officer.username)
    page.goto(f"{live_server.url}/staff/grants/{paid.pk}/")
    assert "FIN-100" in page.locator("#payment").inner_text()

    # Reverse the payment, then pay again under a new reference.
    page.locator("#payment summary").click()
    page.get_by_label("Hvorfor tilbageføres udbetalingen?").fill("Forkert konto")
    with page.expect_navigation():
        page.get_by_role("button", name="Tilbagefør udbetalingen").click()
    assert GrantApplication.objects.get(pk=paid.pk).state == S.APPROVED
    page.get_by_label("Økonomisystemets reference").fill("FIN-101")
    page.locator("#paid_understood").check()  # the box saying what follows
    with page.expect_navigation():
        page.get_by_role("button", name="Markér tilskuddet som udbetalt").click()
    assert GrantApplication.objects.get(pk=paid.pk).payment_reference == "FIN-101"

    # A finished case: the journal number, the archive, then filed.
    GrantApplication.objects.filter(pk=paid.pk).update(state=S.CLOSED)
    page.goto(f"{live_server.url}/staff/grants/to-file/")
    with page.expect_navigation():
        page.get_by_role("link", name=paid.case_number).click()
    page.get_by_label("Journalnummer i ESDH-systemet").fill("30.10.08-G01-1-26")
    with page.expect_navigation():
        page.get_by_role("button", name="Gem journalnummeret").click()
    assert page.locator("#journal-number").inner_text() == "30.10.08-G01-1-26"
    with page.expect_download() as download:
        page.get_by_role("button", name="Hent sagsakterne (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    assert json.loads(archive.read("manifest.json"))["journal_number"] == "30.10.08-G01-1-26"
    page.reload()
    with page.expect_navigation():
        page.get_by_role("button", name="Markér sagen som journaliseret i ESDH-systemet").click()
    assert "(officer)" in page.locator("#filed").inner_text()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_officers_new_pages_fit_and_have_no_accessibility_violations(
    page, live_server, grant_officer, paid, width
):
    GrantApplicationFactory(state=S.CLOSED)
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, live_server, grant_officer.username)
    for path in (f"/staff/grants/{paid.pk}/", "/staff/grants/to-file/", "/staff/grants/payments/"):
        page.goto(live_server.url + path)
        if "summary" in path or path.endswith(f"{paid.pk}/"):
            page.locator("#payment summary").click()  # the reversal's form, open
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert axe_violations(page) == [], path
