"""The applicant is guided: the rules before the form, checking the answers before sending,
what happens next, a case page in plain words, and a withdrawal that asks first."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants import drafts
from grants.enums import ApplicationState
from grants.models import GrantApplication, GrantScheme
from portal.models import OutboxMail
from tests.factories import GrantApplicationFactory, GrantSchemeFactory, PartnerCityFactory
from tests.formdata import REPORTED_COSTS

pytestmark = pytest.mark.django_db
S = ApplicationState
APPLY = "/grants/ungdomsrejser/apply/"
CHECK = "/grants/ungdomsrejser/apply/check/"


def pdf(name="budget.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 budget", content_type="application/pdf")


def test_the_rules_are_in_words_before_the_form(client, application_form):
    GrantScheme.objects.filter(slug="ungdomsrejser").update(
        cap=Decimal("15000"), applicant_kinds=["young_person", "youth_association"]
    )
    page = client.get(APPLY).content.decode()
    rules = page[page.index("Før du søger") : page.index("multipart/form-data")]
    assert "Ung under 25" in rules and "Forening for unge" in rules
    assert "Højst 15.000\u00a0kr. pr. ansøgning" in rules
    assert "under 25 på afrejsedagen" in rules
    assert "højst 5 filer og 20 MB tilsammen" in rules


def test_a_partner_city_scheme_starts_from_its_partner_cities(client, db):
    GrantSchemeFactory(slug="venskab", requires_partner_city=True, applicant_kinds=["school"])
    PartnerCityFactory(name="Prag 10")
    page = client.get("/grants/venskab/apply/").content.decode()
    assert "Ikke en venskabsby" not in page
    assert "Kun rejser til vores venskabsbyer: Prag 10." in page
    # The only partner city and the only kind of applicant are chosen already.
    form = client.get("/grants/venskab/apply/").context["form"]
    assert form["partner_city"].value() is not None
    assert form["applicant_kind"].value() == "school"


def test_answers_are_checked_before_anything_is_sent(client, application_form):
    response = client.post(APPLY, {**application_form, "attachments": [pdf()]})
    assert response["Location"] == CHECK
    assert not GrantApplication.objects.exists() and not OutboxMail.objects.exists()

    page = client.get(CHECK).content.decode()
    assert "Tjek dine svar" in page
    assert "Sofie Jensen" in page and "12.000\u00a0kr." in page and "Prag 10" in page
    assert "budget.pdf" in page
    assert page.count(f'href="{APPLY}#section-') == 3  # a change link per section

    # Changing goes back to the form with everything typed and the file kept.
    form_page = client.get(APPLY).content.decode()
    assert 'value="Sofie Jensen"' in form_page
    assert "Allerede vedhæftet: budget.pdf" in form_page
    changed = client.post(APPLY, {**application_form, "applicant_name": "Sofie K. Jensen"})
    assert changed["Location"] == CHECK
    assert "Sofie K. Jensen" in client.get(CHECK).content.decode()

    GrantScheme.objects.update(decision_days=21)  # the scheme's own service target is told
    sent = client.post(CHECK)
    assert sent["Location"] == reverse("grants:submitted")
    application = GrantApplication.objects.get()
    assert application.applicant_name == "Sofie K. Jensen"
    assert application.attachments.get().name == "budget.pdf"
    assert application.state == S.UNCONFIRMED

    confirmation = client.get(sent["Location"]).content.decode()
    assert f"sagsnummer <strong>{application.case_number}</strong>" in confirmation
    assert "sofie@example.dk" in confirmation
    assert "inden for 24 timer" in confirmation and "inden for 21 dage" in confirmation
    # Shown once, in the browser that sent it; the draft and its files are gone.
    assert "sofie@example.dk" not in client.get(sent["Location"]).content.decode()
    assert drafts.SESSION_KEY not in client.session
    assert client.get(CHECK)["Location"] == APPLY


def test_a_valid_file_lost_to_another_error_is_named_to_choose_again(client, application_form):
    page = client.post(
        APPLY, {**application_form, "applicant_email": "not an address", "attachments": [pdf()]}
    ).content.decode()
    assert "budget.pdf var i orden, men kunne ikke gemmes på grund af de andre fejl" in page
    assert "vælg den igen" in page
    assert "autofocus" in page[page.index('class="error-summary"') :][:200]
    assert not GrantApplication.objects.exists()


def test_abandoned_drafts_and_their_files_are_purged(client, application_form, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.post(APPLY, {**application_form, "attachments": [pdf()]})
    (kept,) = client.session[drafts.SESSION_KEY]["files"]
    assert (tmp_path / kept["path"]).exists()
    assert drafts.purge_drafts() == 0  # not a day old yet
    assert drafts.purge_drafts(before=timezone.now() + datetime.timedelta(minutes=1)) == 1
    assert not (tmp_path / kept["path"]).exists()


def test_withdrawing_asks_first_on_its_own_page(client):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    page = client.get(application.get_case_url()).content.decode()
    withdraw_url = reverse("grants:withdraw", args=[application.token])
    assert f'href="{withdraw_url}"' in page
    assert 'value="withdraw"' not in page  # no button that withdraws at once

    # Posting the old way withdraws nothing.
    client.post(application.get_case_url(), {"action": "withdraw"})
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW

    confirm = client.get(withdraw_url).content.decode()
    assert "Det kan ikke fortrydes." in confirm
    client.post(withdraw_url)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    # Nothing more to withdraw: the page sends the applicant back.
    assert client.get(withdraw_url)["Location"] == application.get_case_url()


def test_the_case_page_shows_what_was_applied_for_in_plain_words(client):
    application = GrantApplicationFactory(
        state=S.INFO_REQUESTED, cost_accommodation=Decimal("4000"), participants=10
    )
    page = client.get(application.get_case_url()).content.decode()
    assert "Venter på dit svar på vores spørgsmål" in page
    assert "Rejse 20.000\u00a0kr., ophold 4.000\u00a0kr., andet 0\u00a0kr.: 24.000\u00a0kr." in page
    assert application.destination in page and "Besvar spørgsmålet" in page


def test_the_report_back_reads_the_same_to_the_applicant_and_the_officer(client, grant_officer):
    application = GrantApplicationFactory(state=S.PAID)
    client.post(
        application.get_case_url(),
        {"action": "report", "report": "Godt.", "cost_travel": "19000", **REPORTED_COSTS},
    )
    assert "Din afrapportering er sendt" in client.get(application.get_case_url()).content.decode()
    client.force_login(grant_officer)
    queue = client.get(reverse("grants:queue"))
    (row,) = queue.context["page"]
    assert row.pk == application.pk  # it needs the officer now
    assert row.waiting.what == "Afrapportering sendt: gennemgå den"


def test_draft_files_per_client_address_are_limited(client, application_form, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GRANT_DRAFTS_PER_ADDRESS_HOUR = 2
    statuses = [
        client.post(APPLY, {**application_form, "attachments": [pdf(f"b{n}.pdf")]}).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    stored = list((tmp_path / "grants" / "drafts").rglob("*.pdf"))
    assert [path.name for path in stored] == ["b1.pdf"]  # the first replaced, the third refused
    refused = client.post(APPLY, {**application_form, "attachments": [pdf("b3.pdf")]})
    assert "For mange filer fra dig i denne time." in refused.content.decode()
    assert 'value="Sofie Jensen"' in refused.content.decode()
    # A draft without files counts too: each is a row kept before any application limit.
    without_files = client.post(APPLY, application_form)
    assert without_files.status_code == 429
    assert "For mange skemaer fra dig i denne time." in without_files.content.decode()
