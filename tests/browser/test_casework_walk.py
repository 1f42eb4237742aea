"""One case from the application to the records system, in Chromium at 390 px, in every
language: an applicant, two officers and a finance clerk take it through the hearing, a
four-eyes partial grant, its letter, the payment, the report, the repayment and the filing,
on the portal's own pages only; axe-core on every page a person lands on.

What each person reads is the catalogue's wording in the page's language (`words`): the
walk fails if a step's words are missing or untranslated."""

import datetime
import io
import json
import re
import urllib.parse
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from grants.models import GrantApplication
from portal.models import SiteSettings
from portal.money import format_money
from portal.roles import Role
from tests.browser.helpers import axe_violations, fill_application, log_in
from tests.conftest import deliver
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
PREFIX = {"da": "", "en": "/en", "de": "/de"}
LOCALE = {"da": "da-DK", "en": "en-GB", "de": "de-DE"}
# The scheme's own complaint guidance (shell/demo/ballerup.json), as the letter must carry it.
GUIDANCE = {
    "da": "Du kan også klage til Folketingets Ombudsmand",
    "en": "You can also complain to the Parliamentary Ombudsman",
    "de": "Sie können sich außerdem innerhalb eines Jahres an den Ombudsmann",
}


def words(language: str, msgid: str, **values) -> str:
    """The catalogue's wording of `msgid` in `language`, filled in; never the English
    msgid in another language (an untranslated string fails the walk)."""
    with translation.override(language):
        text = gettext(msgid)
        assert language == "en" or text != msgid, f"untranslated in {language}: {msgid}"
        if values:
            text = text % {
                key: format_money(value) if isinstance(value, Decimal) else value
                for key, value in values.items()
            }
    return text


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def officer(username: str, first: str, last: str):
    user = UserFactory(username=username, first_name=first, last_name=last)
    user.groups.add(Group.objects.get(name=Role.GRANT_OFFICER.value))
    return user


def landed(page, *, where: str) -> str:
    """What a person reads on the page they landed on, once it fits a phone and passes axe."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, where
    assert axe_violations(page) == [], where
    return re.sub(r"[ \t\r\n]+", " ", page.locator("main").inner_text())  # keeps no-break spaces


def submit(page, button) -> None:
    with page.expect_navigation():
        button.click()


@pytest.fixture
def people(browser):
    """A phone (a browser context of its own) for each person."""
    contexts = []

    def phone(language):
        context = browser.new_context(
            locale=LOCALE[language], viewport={"width": WIDTH, "height": 844}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield phone
    for context in contexts:
        context.close()


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_a_case_goes_from_the_application_to_the_records_system_on_a_phone(
    live_server, demo, settings, people, finance_clerk, language
):
    settings.GRANT_FORM_MIN_SECONDS = 1
    # Set-up only: a four-eyes amount below the grant, two named officers.
    SiteSettings.objects.update(grant_four_eyes_amount=Decimal("5000"))
    anna, bo = officer("anna", "Anna", "Berg"), officer("bo", "Bo", "Holm")
    prefix, w = PREFIX[language], (lambda msgid, **values: words(language, msgid, **values))
    base = live_server.url + prefix
    today = timezone.localdate()

    # 1. The applicant applies on the public form, checks the answers, confirms by mail.
    applicant = people(language)
    applicant.goto(f"{base}/grants/studierejsefond/apply/")
    landed(applicant, where="form")
    fill_application(
        applicant,
        purpose="Jobskygning i Wuxis forvaltning",
        departure=today + datetime.timedelta(days=20),
        place="Wuxi",
    )
    applicant.wait_for_timeout(1100)  # longer than the bot trap's minimum
    submit(applicant, applicant.get_by_role("button", name=w("Continue to check your answers")))
    assert applicant.locator("h1").inner_text() == w("Check your answers")
    landed(applicant, where="check your answers")
    submit(applicant, applicant.get_by_role("button", name=w("Send the application")))
    assert applicant.locator("h1").inner_text() == w("Check your email")
    landed(applicant, where="check your email")
    (mail,) = [m for m in deliver() if m.to == ["jonas.berg@example.dk"]]
    link = urllib.parse.urlsplit(re.search(r"https?://\S+", mail.body)[0]).path
    applicant.goto(live_server.url + link)
    assert link.startswith(f"{prefix}/grants/case/")  # the language applied in
    landed(applicant, where="confirm")
    submit(
        applicant,
        applicant.get_by_role("button", name=w("Confirm my address and send the application")),
    )
    case = GrantApplication.objects.get(applicant_email="jonas.berg@example.dk")
    assert (case.state, case.language) == ("submitted", language)
    case_url = applicant.url
    main = landed(applicant, where="the case, sent")
    assert w("Thank you. Your address is confirmed and the application sent.") in main
    assert applicant.locator("h1").inner_text() == w("Your application")
    assert "Wuxi" in applicant.locator("#applied-for").inner_text()

    # 2. Officer A takes the case, starts the review and hears the applicant.
    a = people(language)
    log_in(a, live_server, anna.username)
    a.goto(f"{base}/staff/grants/{case.pk}/")
    landed(a, where="officer's case, submitted")
    submit(a, a.get_by_role("button", name=w("Take the case"), exact=True))
    assert w("Case %(case)s is now yours.", case=case.case_number) in landed(a, where="taken")
    submit(a, a.get_by_role("button", name=w("Start the review"), exact=True))
    assert w("Case %(case)s: review started.", case=case.case_number) in landed(a, where="review")
    a.locator("details.hearing summary").click()
    a.locator("#hearing_facts").fill("Hotellet i Wuxi koster mere end budgettet viser.")
    deadline = today + datetime.timedelta(days=15)
    a.locator("#hearing_deadline").fill(deadline.isoformat())
    submit(a, a.get_by_role("button", name=w("Send the facts for comments")))
    assert w("Saved.") in landed(a, where="hearing sent")
    assert GrantApplication.objects.get(pk=case.pk).state == "hearing"

    applicant.goto(case_url)
    main = landed(applicant, where="the case, hearing")
    assert w("Facts we ask you to comment on") in main
    assert "Hotellet i Wuxi koster mere end budgettet viser." in main
    applicant.locator("#id_text").fill("Vi deler værelse og holder os under budgettet.")
    submit(applicant, applicant.get_by_role("button", name=w("Send the comments")))
    assert w("Thank you. Your comments have been sent.") in landed(applicant, where="commented")
    assert GrantApplication.objects.get(pk=case.pk).state == "in_review"

    # 3. Officer A grants less than applied for, above the four-eyes amount, with reasons;
    # officer B confirms.
    granted = Decimal("7000")
    a.goto(f"{base}/staff/grants/{case.pk}/")
    assert "Vi deler værelse" in landed(a, where="officer's case, commented")
    approve = a.locator("form").filter(has=a.locator("#approve_amount"))
    approve.locator("#approve_amount").fill("7000")
    approve.locator("#approve_reason").fill("Opholdet er budgetteret højere end nødvendigt.")
    approve.locator("details.decision-rules summary").click()
    approve.locator("input[name=rules][value=budget]").check()
    approve.locator("#approve_understood").check()
    submit(a, approve.locator("button[type=submit]"))
    main = landed(a, where="proposed")
    assert (
        w(
            "Case %(case)s: approval of %(amount)s proposed; a second officer must confirm it.",
            case=case.case_number,
            amount=granted,
        )
        in main
    )
    assert GrantApplication.objects.get(pk=case.pk).state == "in_review"

    b = people(language)
    log_in(b, live_server, bo.username)
    b.goto(f"{base}/staff/grants/{case.pk}/")
    proposal = b.locator("#proposal")
    assert "Opholdet er budgetteret højere end nødvendigt." in landed(b, where="to confirm")
    b.locator("#confirm_understood").check()
    submit(b, proposal.locator("button[type=submit]"))
    main = landed(b, where="confirmed")
    assert (
        w(
            "Case %(case)s approved: %(amount)s booked on %(line)s.",
            case=case.case_number,
            amount=granted,
            line="STUDIEREJSEFOND",
        )
        in main
    )
    case.refresh_from_db()
    assert (case.state, case.amount_granted, case.decided_by) == ("approved", granted, bo)

    # 4. The letter, from the applicant's page: the officers, the reasons, the complaint
    # guidance and the case number, in the applicant's language. The letter is made when
    # the mail worker sends the decision (run here as the scheduler runs it).
    (decision_mail,) = [m for m in deliver() if m.to == ["jonas.berg@example.dk"] and m.attachments]
    assert decision_mail.attachments[0][2] == "application/pdf"
    applicant.goto(case_url)
    main = landed(applicant, where="the case, approved")
    letter_link = applicant.get_by_role("link", name=w("Download the decision letter (PDF)"))
    response = applicant.request.get(live_server.url + letter_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    letter = pdf_text(response.body())
    assert (
        w(
            "Proposed by %(proposer)s and confirmed by %(confirmer)s, grant officers.",
            proposer="Anna Berg",
            confirmer="Bo Holm",
        )
        in letter
    )
    assert "Opholdet er budgetteret højere end nødvendigt." in letter
    with translation.override(language):
        budget_rule = gettext(
            "Grants are given within the scheme's budget for the year; what is left of it is "
            "shared between the applications."
        )
    assert budget_rule in letter
    assert pdf_text(decision_mail.attachments[0][1]) == letter
    assert GUIDANCE[language] in letter
    assert (
        w("Please give the case number %(number)s when you write or call.", number=case.case_number)
        in letter
    )

    # 5. Officer B marks it paid; the finance clerk sees the payment in the payment list.
    b.goto(f"{base}/staff/grants/{case.pk}/")
    b.locator("#paid_paid_on").fill(today.isoformat())
    b.locator("#paid_reference").fill("FIN-4711")
    b.locator("#paid_understood").check()
    submit(b, b.locator("#payment button[type=submit]").first)
    main = landed(b, where="paid")
    assert (
        w("Case %(case)s: %(amount)s marked paid.", case=case.case_number, amount=granted) in main
    )
    assert "FIN-4711" in b.locator("#payment").inner_text()

    clerk = people(language)
    log_in(clerk, live_server, finance_clerk.username)
    clerk.goto(f"{base}/staff/grants/payments/")
    assert clerk.locator("h1").inner_text() == w("Payments")
    landed(clerk, where="payment list")
    payments = clerk.locator("#payments").inner_text()
    assert "FIN-4711" in payments and case.case_number in payments

    # 6. The applicant reports costs below the grant; officer A claims the rest back,
    # records it repaid, closes the case, and files it in the records system.
    applicant.goto(case_url)
    landed(applicant, where="the case, paid")
    applicant.locator("#id_report").fill("Vi lærte, hvordan Wuxi planlægger ældreplejen.")
    applicant.locator("#id_participants").fill("1")
    applicant.locator("#id_cost_travel").fill("4000")
    applicant.locator("#id_cost_accommodation").fill("1500")
    applicant.locator("#id_cost_other").fill("0")
    applicant.locator("#id_taken_place").check()  # before the return date: say it took place
    submit(applicant, applicant.get_by_role("button", name=w("Send the report")))
    main = landed(applicant, where="reported")
    assert w("Thank you. Your report has been sent.") in main
    assert "Vi lærte, hvordan Wuxi planlægger ældreplejen." in main

    a.goto(f"{base}/staff/grants/{case.pk}/")
    landed(a, where="officer's case, reported")
    submit(a, a.get_by_role("button", name=w("Claim the repayment")))
    landed(a, where="claimed")
    a.locator("#repaid_repaid_on").fill(today.isoformat())
    submit(a, a.get_by_role("button", name=w("Record the repayment received")))
    landed(a, where="repaid")
    submit(a, a.get_by_role("button", name=w("Close the case"), exact=True))
    assert w("Case %(case)s closed.", case=case.case_number) in landed(a, where="closed")
    case.refresh_from_db()
    assert (case.state, case.repayment_claimed, case.repaid_on) == (
        "closed",
        Decimal("1500"),
        today,
    )

    a.locator("#journal_journal_number").fill("30.10.08-G01-7-26")
    submit(a, a.get_by_role("button", name=w("Save the journal number")))
    landed(a, where="journal number")
    assert a.locator("#journal-number").inner_text() == "30.10.08-G01-7-26"
    with a.expect_download() as download:
        a.get_by_role("button", name=w("Download the case file (ZIP)")).click()
    archive = zipfile.ZipFile(download.value.path())
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["journal_number"] == "30.10.08-G01-7-26"
    assert manifest["case"] == case.case_number
    (letter_file,) = [entry["file"] for entry in manifest["files"] if entry["kind"] == "letter"]
    assert pdf_text(archive.read(letter_file)) == letter
    a.reload()
    submit(a, a.get_by_role("button", name=w("Mark the case filed in the records system")))
    landed(a, where="filed")
    assert "(anna)" in a.locator("#filed").inner_text()
    assert GrantApplication.objects.get(pk=case.pk).filed_at is not None
