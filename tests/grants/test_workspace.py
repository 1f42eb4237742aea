"""The officer's case page as a decision workspace: the paying line's balance and what the
decision would leave, the four-eyes amount, the scheme's rules checked, the applicant's other
cases, internal notes (never outside the staff pages), the deadline, the words after an
action and the next case, the one question before an irreversible action, and the review's
defects (the officers' CSV, "kr..", the withdrawn proposal's history)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from budgets.models import Commitment
from grants.enums import ApplicationState
from grants.models import GrantApplication, InternalNote
from portal.models import AuditEntry, OutboxMail, SiteSettings
from tests.conftest import deliver
from tests.factories import GrantApplicationFactory, GrantSchemeFactory
from tests.grants.conftest import officer

pytestmark = pytest.mark.django_db
S = ApplicationState


def page_text(response) -> str:
    """The page's text as a reader sees it: tags dropped, spaces as one."""
    html = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.replace("\xa0", " ").split())


def case_url(application) -> str:
    return reverse("grants:officer_case", args=[application.pk])


def act(application, action: str) -> str:
    return reverse("grants:officer_action", args=[application.pk, action])


@pytest.fixture
def four_eyes():
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 10000}
    )


def test_before_deciding_the_page_shows_the_line_what_is_left_and_the_four_eyes_amount(
    client, line, grant_officer, four_eyes
):
    GrantApplicationFactory(state=S.APPROVED, amount_granted=Decimal("0.01"))  # not booked
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("12000"))
    client.force_login(grant_officer)
    text = page_text(client.get(case_url(application)))
    assert "Tilbage på budgetlinje INT-UNG 150.000 kr." in text
    assert "Tilbage efter bevilling af 12.000 kr. 138.000 kr." in text
    assert (
        "Beløbsgrænse for fire øjne 10.000 kr.: over grænsen: en anden sagsbehandler skal "
        "bekræfte en bevilling af dette beløb" in text
    )


def test_what_is_left_follows_the_amount_the_officer_typed(client, line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("12000"))
    client.force_login(grant_officer)
    # Sent without the box ticked: nothing is decided, the page shows the typed amount.
    response = client.post(act(application, "approve"), {"amount": "9000", "reason": ""})
    assert response.status_code == 400
    text = page_text(response)
    assert "Tilbage efter bevilling af 9.000 kr. 141.000 kr." in text
    assert "Sæt kryds for at bekræfte, at du ved, hvad der følger." in text
    assert 'value="9000"' in response.content.decode()  # what was typed is kept
    assert GrantApplication.objects.get(pk=application.pk).state == S.IN_REVIEW
    assert Commitment.objects.count() == 0


def test_a_scheme_without_a_line_this_year_says_so(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    text = page_text(client.get(case_url(application)))
    year = timezone.localdate().year
    assert f"Puljen har ingen budgetlinje INT-UNG for {year}." in text


def test_the_rules_of_the_scheme_are_checked_against_the_case(client, line, grant_officer):
    application = GrantApplicationFactory(
        state=S.IN_REVIEW, applicant_kind="school", participants_under_25=0
    )
    client.force_login(grant_officer)
    response = client.get(case_url(application))
    checklist = response.context["checklist"]
    assert [(words, met) for words, met, _why in checklist] == [
        ("Sendt, mens puljen var åben", True),
        (
            "Hvem kan søge: ung under 25, forening for unge, venskabsbyforening",
            False,
        ),
        ("Datoer: afrejse efter ansøgningen, hjemrejse efter afrejse", True),
        (
            "Der er ikke søgt om mere, end rejsen koster, og beløbet er inden for puljens loft",
            True,
        ),
        ("Under 25 på afrejsedagen", False),
        ("Rejsemålet er en af vores partnerbyer", True),
    ]
    text = page_text(response)
    assert "Ikke opfyldt: Under 25 på afrejsedagen — Tilskuddet er for personer under 25" in text
    assert "Opfyldt: Rejsemålet er en af vores partnerbyer" in text


def test_the_applicants_other_cases_are_listed_with_links(client, line, grant_officer):
    earlier = GrantApplicationFactory(
        state=S.CLOSED, applicant_email="Sofie@Example.dk", amount_requested=Decimal("4000")
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="sofie@example.dk")
    GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="someone@example.dk")
    client.force_login(grant_officer)
    response = client.get(case_url(application))
    assert response.context["other_cases"] == [earlier]
    html = response.content.decode()
    assert f'<a href="{case_url(earlier)}">{earlier.case_number}</a>' in html
    assert "Afsluttet" in page_text(response) and "4.000 kr." in page_text(response)


def test_an_officer_adds_a_note_that_colleagues_see(client, line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    response = client.post(act(application, "note"), {"text": "Ringede til formanden"}, follow=True)
    text = page_text(response)
    assert f"Sag {application.case_number}: din note er gemt til dine kolleger." in text
    assert "Ringede til formanden" in text
    note = InternalNote.objects.get()
    assert (note.application, note.author, note.text) == (
        application,
        grant_officer,
        "Ringede til formanden",
    )
    entry = AuditEntry.objects.get(action="grant.note")
    assert (entry.actor, entry.summary) == (grant_officer, f"#{application.pk}")
    assert "Ringede" not in str(entry.data) + entry.reason  # the text stays on the case


def test_an_empty_or_too_long_note_is_refused_at_the_field(client, line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    response = client.post(act(application, "note"), {"text": "x" * 4001})
    assert response.status_code == 400
    assert "Denne værdi må højst have 4000 tegn (den har 4001)." in page_text(response)
    assert ("x" * 4001) in response.content.decode()  # kept for correcting
    response = client.post(act(application, "note"), {"text": "  "})
    assert response.status_code == 400
    assert InternalNote.objects.count() == 0


@pytest.mark.parametrize("persona", ["coordinator", "secretary", "no_role"])
def test_only_an_officer_adds_a_note(client, request, persona):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(act(application, "note"), {"text": "Indbrud"})
    assert response.status_code == 403
    assert (InternalNote.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_an_officer_linked_to_the_case_cannot_add_a_note(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    application.linked_officers.add(grant_officer)
    client.force_login(grant_officer)
    response = client.post(act(application, "note"), {"text": "Min fætter"})
    assert response.status_code == 403
    assert "Du har tilknytning til sagen" in page_text(response)
    assert (InternalNote.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_a_note_never_reaches_the_applicant_a_letter_a_download_or_the_api(
    client, line, grant_officer, django_capture_on_commit_callbacks
):
    secret = "Intern-vurdering-7731"
    application = GrantApplicationFactory(
        state=S.IN_REVIEW, organisation_may_be_published=True, amount_requested=Decimal("5000")
    )
    client.force_login(grant_officer)
    client.post(act(application, "note"), {"text": secret})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(act(application, "approve"), {"amount": "5000", "understood": "on"})
    application.refresh_from_db()
    assert application.state == S.APPROVED
    assert secret in client.get(case_url(application)).content.decode()  # the officers' page

    # The officers' CSV download.
    csv_file = client.post(reverse("grants:queue_csv") + "?state=all", {"confirm": "on"})
    assert secret not in b"".join(csv_file.streaming_content).decode("utf-8-sig")
    # The decision letter (the officers' copy and the mail's attachment) and every mail.
    sent = deliver()
    application.refresh_from_db()
    with application.decision_letter.open("rb") as letter:
        pages = PdfReader(io.BytesIO(letter.read())).pages
    assert "Din ansøgning er bevilget" in pages[0].extract_text()
    assert secret not in "".join(page.extract_text() for page in pages)
    assert sent and all(secret not in message.body for message in sent)
    assert all(secret not in mail_row.body for mail_row in OutboxMail.objects.all())
    # The applicant's private page and their letter.
    client.logout()
    applicant_page = client.get(reverse("grants:case", args=[application.token]))
    assert applicant_page.status_code == 200 and secret not in applicant_page.content.decode()
    # (their letter is the same file as the officers' copy read above)
    assert client.get(reverse("grants:case_letter", args=[application.token])).status_code == 200
    # The API and the public data.
    for url in ("/api/", "/api/grant-statistics/", "/api/schema/"):
        response = client.get(url)
        assert secret not in response.content.decode(), url


def test_the_deadline_and_overdue_in_words_on_the_case_page(client, line, grant_officer):
    GrantSchemeFactory(decision_days=10)
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    GrantApplication.objects.filter(pk=application.pk).update(
        email_confirmed_at=timezone.now() - datetime.timedelta(days=11)
    )
    client.force_login(grant_officer)
    text = page_text(client.get(case_url(application)))
    due = timezone.localdate() - datetime.timedelta(days=1)
    assert f"Overskredet: afgørelsen skulle have foreligget {due:%d.%m.%Y}" in text
    assert "puljens servicemål: 10 dage" in text


def test_after_an_action_the_page_names_the_case_and_what_happened(client, line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("12000"))
    client.force_login(grant_officer)
    response = client.post(
        act(application, "approve"), {"amount": "12000", "understood": "on"}, follow=True
    )
    assert response.redirect_chain == [(case_url(application), 302)]
    assert f"Sag {application.case_number} bevilget: 12.000 kr. bogført på INT-UNG." in page_text(
        response
    )
    response = client.post(
        act(application, "paid"), {"understood": "on", "reference": "F-1"}, follow=True
    )
    assert f"Sag {application.case_number}: 12.000 kr. markeret som udbetalt." in page_text(
        response
    )


def test_approve_and_reject_look_different_and_each_irreversible_action_asks_once(
    client, line, grant_officer
):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    html = client.get(case_url(application)).content.decode()
    assert '<button type="submit" class="approve">Bevilg tilskuddet</button>' in html
    assert '<button type="submit" class="danger reject">Afslå ansøgningen</button>' in html
    for action in ("approve", "reject"):
        assert f'id="{action}_understood"' in html
    # Without the box: nothing happens, the officer reads why at the box.
    before = (OutboxMail.objects.count(), Commitment.objects.count(), AuditEntry.objects.count())
    response = client.post(act(application, "reject"), {"reason": "Uden for formålet"})
    assert response.status_code == 400
    assert "Sæt kryds for at bekræfte, at du ved, hvad der følger." in page_text(response)
    assert "Uden for formålet" in response.content.decode()
    assert GrantApplication.objects.get(pk=application.pk).state == S.IN_REVIEW
    after = (OutboxMail.objects.count(), Commitment.objects.count(), AuditEntry.objects.count())
    assert after == before and mail.outbox == []
    # Marking paid asks the same way.
    approved = GrantApplicationFactory(state=S.APPROVED, amount_granted=Decimal("100"))
    html = client.get(case_url(approved)).content.decode()
    assert 'id="paid_understood"' in html
    assert client.post(act(approved, "paid"), {"reference": "F-1"}).status_code == 400
    assert GrantApplication.objects.get(pk=approved.pk).state == S.APPROVED


# The review's defects.


def test_the_officers_csv_writes_amounts_as_the_language_does(client, grant_officer):
    GrantApplicationFactory(
        state=S.APPROVED, amount_requested=Decimal("15000"), amount_granted=Decimal("12500.50")
    )
    client.force_login(grant_officer)
    response = client.post(reverse("grants:queue_csv") + "?state=all", {"confirm": "on"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][9:] == ["15000,00", "12500,50"]  # the decimal comma of the Danish files
    assert "15000.00" not in text


def test_no_amount_ends_in_a_double_full_stop(client, line, grant_officer):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 1000}
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("20000"))
    client.force_login(grant_officer)
    # The cap.
    partial = {"understood": "on", "reason": "Kun rejsen", "rules": ["purpose"]}
    response = client.post(act(application, "approve"), {"amount": "16000", **partial})
    assert "Puljen giver højst 15.000 kr. pr. ansøgning." in page_text(response)
    # A proposal, and a stale one.
    response = client.post(act(application, "approve"), {"amount": "3000", **partial}, follow=True)
    text = page_text(response)
    assert (
        f"Sag {application.case_number}: bevilling af 3.000 kr. foreslået; en anden "
        "sagsbehandler skal bekræfte den." in text
    )
    assert "foreslår at bevilge 3.000 kr.; en anden sagsbehandler skal bekræfte." in text
    bo = officer("bo", "bo@kommune.dk")
    client.force_login(bo)
    response = client.post(
        act(application, "confirm"),
        {"proposal": application.proposals.get().pk, "amount": "2000.00", "understood": "on"},
    )
    assert "officer foreslår nu 3.000 kr.; læs det, og bekræft igen." in page_text(response)
    for shown in (text, page_text(response)):
        assert "kr.." not in shown


@pytest.mark.parametrize("language", ["da", "de"])
def test_no_message_puts_a_full_stop_right_after_an_amount(language):
    """In Danish an amount ends "kr.": a sentence may not end right after one, in any
    catalogue entry that takes an amount (the source or its translation)."""
    with open(f"locale/{language}/LC_MESSAGES/django.po", "rb") as catalogue:
        entries = [m for m in read_po(catalogue) if m.id and m.string]
    money = re.compile(r"%\((amount|cap|total|balance|remaining)\)s\.")
    wrong = [
        m.id
        for m in entries
        for text in ([m.id, m.string] if isinstance(m.id, str) else [*m.id, *m.string])
        if money.search(text)
    ]
    assert wrong == []


def test_the_history_shows_a_withdrawn_proposal_with_its_own_amount_and_reason(
    client, line, grant_officer
):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 1000}
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("15000"))
    anna, bo = officer("anna", "anna@kommune.dk"), officer("bo", "bo@kommune.dk")
    client.force_login(anna)
    client.post(
        act(application, "approve"),
        {"amount": "15000", "reason": "Hele beløbet", "understood": "on"},
    )
    client.force_login(bo)
    client.post(
        act(application, "approve"),
        {"amount": "9000", "reason": "Kun rejsen", "understood": "on", "rules": ["purpose"]},
    )
    history = [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(
            r"<li>(.*?)</li>",
            client.get(case_url(application)).content.decode().split('class="history"')[1],
        )
    ]
    withdrawn = [line for line in history if "Forslag trukket tilbage" in line]
    assert len(withdrawn) == 1
    assert withdrawn[0].endswith("15.000 kr. (bo, forslag fra anna): Hele beløbet")


def test_the_case_page_reads_the_same_queries_for_one_note_and_many(
    client, line, grant_officer, django_assert_max_num_queries
):
    application = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="a@example.dk")
    client.force_login(grant_officer)
    InternalNote.objects.create(application=application, author=grant_officer, text="1")
    GrantApplicationFactory(state=S.CLOSED, applicant_email="a@example.dk")
    with django_assert_max_num_queries(60) as few:
        client.get(case_url(application))
    colleague = officer("colleague")
    for n in range(12):
        InternalNote.objects.create(application=application, author=colleague, text=f"n{n}")
        GrantApplicationFactory(state=S.CLOSED, applicant_email="a@example.dk")
        GrantApplicationFactory(state=S.IN_REVIEW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(case_url(application))
