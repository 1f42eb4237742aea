"""Drafts of the public grant form cannot fill the disk or the database: each abuse is
performed, and the session table, MEDIA_ROOT and the outbox are checked afterwards."""

import datetime
import os

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from grants.drafts import SESSION_KEY
from grants.models import GrantApplication
from portal.models import OutboxMail

pytestmark = pytest.mark.django_db
APPLY = "/grants/ungdomsrejser/apply/"


def pdf(name="a.pdf", size=1000) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4" + b"0" * size, content_type="application/pdf")


def disk(root) -> list[tuple[str, int]]:
    """Every file under MEDIA_ROOT with its size."""
    return sorted(
        (path.relative_to(root).as_posix(), path.stat().st_size)
        for path in root.rglob("*")
        if path.is_file()
    )


def sessions() -> list[tuple[str, str]]:
    return sorted(Session.objects.values_list("session_key", "session_data"))


def nothing_else_stored():
    assert GrantApplication.objects.count() == 0
    assert OutboxMail.objects.count() == 0


def test_a_draft_keeps_only_the_forms_own_fields(client, application_form, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.post(
        APPLY,
        {
            **application_form,
            "notes": "x" * (1024 * 1024),  # a field the form does not have
            # A field sent twice: the form reads the last value, the draft keeps only that.
            "applicant_name": ["y" * 100_000, "Sofie Jensen"],
        },
    )
    assert response["Location"] == "/grants/ungdomsrejser/apply/check/"
    draft = client.session[SESSION_KEY]
    expected = {key: [str(value)] for key, value in application_form.items()}
    assert draft["data"] == expected
    (session,) = Session.objects.all()
    assert len(session.session_data) < 5_000
    nothing_else_stored()


def test_an_over_long_text_is_refused_and_nothing_is_stored(
    client, application_form, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.GRANT_PURPOSE_MAX_CHARS = 5000
    response = client.post(
        APPLY, {**application_form, "purpose": "p" * 5001, "attachments": [pdf()]}
    )
    page = response.content.decode()
    assert "Denne værdi må højst have 5000 tegn (den har 5001)." in page
    assert "p" * 5001 in page  # what was typed is kept in the form
    assert sessions() == [] and disk(tmp_path) == []
    nothing_else_stored()


def test_a_number_padded_with_a_megabyte_of_zeros_is_refused(
    client, application_form, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    padded = "0" * (1024 * 1024) + "12000"  # a valid amount to the form: 12000
    response = client.post(APPLY, {**application_form, "amount_requested": padded})
    assert "Denne værdi må højst have 200 tegn (den har 1048581)." in response.content.decode()
    assert sessions() == [] and disk(tmp_path) == []
    nothing_else_stored()


def test_the_answers_together_are_bounded(client, application_form, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GRANT_DRAFT_MAX_CHARS = 500
    response = client.post(APPLY, {**application_form, "purpose": "p" * 400})
    assert "Svarene er for lange tilsammen: højst 500 tegn." in response.content.decode()
    assert sessions() == [] and disk(tmp_path) == []


def test_two_ipv6_addresses_in_one_network_share_one_limit(application_form, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.GRANT_DRAFTS_PER_ADDRESS_HOUR = 2
    statuses = [
        Client(REMOTE_ADDR=address).post(APPLY, application_form).status_code
        for address in ("2001:db8::1", "2001:db8::2", "2001:db8::3:4")
    ]
    assert statuses == [302, 302, 429]
    assert Session.objects.count() == 2
    # Another subscriber's network has a limit of its own.
    other = Client(REMOTE_ADDR="2001:db8:0:1::1").post(APPLY, application_form)
    assert other.status_code == 302
    settings.CLIENT_IPV6_PREFIX = 128  # per address, as it was: each address counts alone
    assert Client(REMOTE_ADDR="2001:db8::5").post(APPLY, application_form).status_code == 302


def test_with_all_drafts_at_their_bound_a_new_draft_is_refused(
    client, application_form, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    first = Client(REMOTE_ADDR="203.0.113.1")
    first.post(APPLY, {**application_form, "attachments": [pdf("budget.pdf", 50_000)]})
    assert [name.rsplit("/", 1)[1] for name, _size in disk(tmp_path)] == ["budget.pdf"]
    from grants.drafts import bytes_kept

    settings.GRANT_DRAFTS_MAX_BYTES = bytes_kept() + 10_000
    files_before, sessions_before = disk(tmp_path), sessions()

    response = client.post(APPLY, {**application_form, "attachments": [pdf("b.pdf", 20_000)]})
    assert (response.status_code, response["Retry-After"]) == (503, "3600")
    page = response.content.decode()
    assert "Der udfyldes for mange ansøgninger lige nu" in page
    assert "Intet blev gemt. Prøv igen senere." in page
    assert 'value="Sofie Jensen"' in page
    english = client.post(
        "/en" + APPLY, {**application_form, "attachments": [pdf("b.pdf", 20_000)]}
    )
    assert "Nothing was saved. Try again later." in english.content.decode()
    assert disk(tmp_path) == files_before and sessions() == sessions_before
    nothing_else_stored()
    # Within the bound a draft is kept as before.
    small = client.post(APPLY, {**application_form, "attachments": [pdf("c.pdf", 10)]})
    assert small["Location"] == "/grants/ungdomsrejser/apply/check/"


def test_the_job_deletes_expired_sessions_and_abandoned_drafts(
    application_form, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    old = Client(REMOTE_ADDR="203.0.113.1")
    old.post(APPLY, {**application_form, "attachments": [pdf("old.pdf")]})
    (old_file,) = tmp_path.rglob("old.pdf")
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(old_file, (two_days_ago, two_days_ago))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(minutes=1))
    fresh = Client(REMOTE_ADDR="203.0.113.2")
    fresh.post(APPLY, {**application_form, "attachments": [pdf("fresh.pdf")]})
    fresh_session = fresh.session.session_key

    call_command("expire_sessions_and_drafts")

    assert [key for key, _data in sessions()] == [fresh_session]
    assert [name.rsplit("/", 1)[1] for name, _size in disk(tmp_path)] == ["fresh.pdf"]
    assert not old_file.parent.exists()
