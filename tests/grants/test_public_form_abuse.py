"""The public application form is not a mail cannon, a disk filler or a way to make rows:
each abuse is performed and the database, the disk and the outbox are checked."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from grants.models import Attachment, GrantApplication
from portal.models import OutboxMail
from tests.conftest import apply_for, deliver, form_token
from tests.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db
S = ApplicationState
APPLY = "/grants/ungdomsrejser/apply/"


def pdf(name="a.pdf", size=100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4" + b"0" * size, content_type="application/pdf")


def test_the_confirmation_mail_carries_nothing_the_visitor_typed(client, application_form):
    phishing = "Kunde, din konto er spærret. Log ind på http://evil.example/login"
    apply_for(client, {**application_form, "applicant_name": phishing, "purpose": phishing})
    (message,) = deliver()
    assert "evil.example" not in message.body + message.subject
    assert "spærret" not in message.body
    application = GrantApplication.objects.get()
    assert message.body.count("http") == 1
    assert f"http://127.0.0.1:8000{application.get_case_url()}" in message.body


def test_an_unconfirmed_application_is_not_a_case(client, application_form, grant_officer):
    apply_for(client, application_form)
    application = GrantApplication.objects.get()
    client.force_login(grant_officer)
    for state in ("", "all"):
        page = client.get(reverse("grants:queue"), {"state": state} if state else {})
        assert list(page.context["page"]) == []
    assert client.get(reverse("grants:officer_case", args=[application.pk])).status_code == 404
    assert [m.kind for m in OutboxMail.objects.all()] == ["grants.confirm"]


def test_a_double_submit_makes_one_application(client, application_form):
    first = apply_for(client, application_form)
    second = apply_for(client, application_form)  # the same form: a double click, a refresh
    assert first["Location"] == second["Location"] == reverse("grants:submitted")
    assert GrantApplication.objects.count() == 1
    assert OutboxMail.objects.count() == 1


def test_the_bot_trap_keeps_nothing_and_tells_nothing(client, application_form):
    response = apply_for(client, {**application_form, "website": "http://spam.example"})
    assert response["Location"] == reverse("grants:submitted")
    assert GrantApplication.objects.count() == 0 and OutboxMail.objects.count() == 0


def test_the_bot_trap_is_out_of_reach_for_people(client, application_form):
    page = client.get(APPLY).content.decode()
    trap = page[page.index('<div class="trap"') : page.index("</div>", page.index('class="trap"'))]
    assert 'aria-hidden="true"' in trap and 'tabindex="-1"' in trap


def test_a_form_sent_back_in_a_moment_is_refused_and_keeps_what_was_typed(client, application_form):
    response = apply_for(client, {**application_form, "form_token": form_token(age=1)})
    page = response.content.decode()
    assert "Det gik meget hurtigt" in page
    assert 'value="Sofie Jensen"' in page
    assert GrantApplication.objects.count() == 0


def test_a_forged_form_token_is_refused(client, application_form):
    response = apply_for(client, {**application_form, "form_token": "forged"})
    assert "mere end et døgn gammel" in response.content.decode()
    assert GrantApplication.objects.count() == 0


def test_too_many_files_are_refused_before_anything_is_stored(client, application_form, settings):
    settings.GRANT_MAX_FILES = 3
    files = [pdf(f"{n}.pdf") for n in range(4)]
    response = apply_for(client, {**application_form, "attachments": files})
    assert "Vedhæft højst 3 filer." in response.content.decode()
    assert GrantApplication.objects.count() == 0 and Attachment.objects.count() == 0


def test_files_too_large_together_are_refused(client, application_form, settings):
    settings.GRANT_MAX_FILES_BYTES = 1024 * 1024
    files = [pdf(f"{n}.pdf", size=400_000) for n in range(3)]
    response = apply_for(client, {**application_form, "attachments": files})
    assert "Filerne må højst fylde 1 MB tilsammen." in response.content.decode()
    assert GrantApplication.objects.count() == 0


def test_applications_per_mailbox_are_limited(client, application_form, settings):
    # The per-mailbox limits count confirmed applications (grant-identity.md): the owner
    # confirms each one, as only the owner can.
    settings.GRANT_APPLICATIONS_PER_EMAIL_HOUR = 2
    addresses = ["sofie@example.dk", "Sofie+2@example.dk", "SOFIE+3@EXAMPLE.DK"]
    responses = []
    for address in addresses:
        data = {**application_form, "applicant_email": address, "form_token": form_token()}
        responses.append(apply_for(client, data))
        for sent in GrantApplication.objects.filter(state=S.UNCONFIRMED):
            client.post(sent.get_case_url(), {"action": "confirm_email"})
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert "Vi har modtaget 2 ansøgninger fra dig inden for en time" in (
        responses[2].content.decode()
    )
    assert "SOFIE+3@EXAMPLE.DK" in responses[2].content.decode()  # still there to send later
    assert GrantApplication.objects.count() == 2
    assert sorted(OutboxMail.objects.values_list("kind", flat=True)) == [
        "grants.confirm",
        "grants.confirm",
        "grants.receipt",
        "grants.receipt",
    ]


def test_applications_per_client_address_are_limited(client, application_form, settings):
    settings.GRANT_APPLICATIONS_PER_ADDRESS_HOUR = 3
    statuses = [
        apply_for(
            client,
            {**application_form, "applicant_email": f"x{n}@example.dk", "form_token": form_token()},
        ).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert GrantApplication.objects.count() == 3
    # Another client is not affected.
    other = apply_for(
        client,
        {**application_form, "applicant_email": "y@example.dk", "form_token": form_token()},
        REMOTE_ADDR="198.51.100.7",
    )
    assert other.status_code == 302


def test_unconfirmed_applications_and_their_files_are_purged_after_a_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = GrantApplicationFactory(state=S.UNCONFIRMED)
    old.attachments.create(file=pdf(), name="a.pdf")
    stored = old.attachments.get().file.path
    GrantApplication.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=25)
    )
    fresh = GrantApplicationFactory(state=S.UNCONFIRMED)
    confirmed_long_ago = GrantApplicationFactory(state=S.SUBMITTED)
    GrantApplication.objects.filter(pk=confirmed_long_ago.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )

    call_command("purge_unconfirmed_applications", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sorted(GrantApplication.objects.values_list("pk", flat=True)) == sorted(
        [fresh.pk, confirmed_long_ago.pk]
    )
    assert not Attachment.objects.exists()
    import os

    assert not os.path.exists(stored)


def test_a_submission_leaves_the_cached_public_pages_alone(
    client, application_form, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from portal.models import SiteSettings

    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=True):
        SiteSettings.current()  # and what the fixtures wrote: committed
    pages = [reverse("travel:list"), reverse("grants:statistics"), reverse("grants:schemes")]
    for page in pages:
        client.get(page)
    with django_capture_on_commit_callbacks(execute=True) as committed:
        apply_for(client, application_form)
        application = GrantApplication.objects.get()
        client.post(application.get_case_url(), {"action": "confirm_email"})
    assert committed  # the writes were seen, and moved only what the pages do not read
    client.cookies.clear()
    for page in pages:
        assert client.get(page)["X-Cache"] == "hit", page


def test_plain_text_mails_are_not_html_escaped(client, application_form):
    from grants.models import GrantScheme

    GrantScheme.objects.filter(slug="ungdomsrejser").update(name_en="Pupils' exchange")
    apply_for(
        client, path=f"/en{APPLY}", data={**application_form, "applicant_name": "O'Brien & Søn"}
    )
    application = GrantApplication.objects.get()
    client.post(application.get_case_url(), {"action": "confirm_email"})
    confirm, receipt = deliver()
    assert "Pupils' exchange" in confirm.body and "&#x27;" not in confirm.body
    assert "Dear O'Brien & Søn," in receipt.body
