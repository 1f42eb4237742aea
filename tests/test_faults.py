"""Faults and abuse: the database failing mid-request, a PDF failing, oversized uploads,
hostile form input, and too many login attempts. Never a half-written case, never a 500
for bad input."""

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.models import Commitment, Initiative
from grants.enums import ApplicationState
from grants.models import ApplicationEvent, Attachment, GrantApplication
from partnerships.models import Exchange
from portal.models import AuditEntry, OutboxMail
from portal.outbox import send_due
from tests.conftest import apply_for, deliver
from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    GrantApplicationFactory,
    PartnerCityFactory,
    SchoolFactory,
)
from tests.formdata import trip_form
from travel.models import Trip

pytestmark = pytest.mark.django_db
S = ApplicationState


@contextmanager
def database_goes_away_at(sql_pattern: str):
    """The database connection fails at the first statement matching `sql_pattern`, as it
    does when the server restarts or the network drops mid-request."""

    def fail(execute, sql, params, many, context):
        if re.search(sql_pattern, sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def test_the_database_failing_mid_application_leaves_no_half_written_case(application_form):
    client = Client(raise_request_exception=False)
    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    # The application row and its attachment are written; the event after them fails.
    with database_goes_away_at(r'INSERT INTO "grants_applicationevent"'):
        response = apply_for(
            client,
            {**application_form, "attachments": [pdf]},
        )
    assert response.status_code == 500
    assert "Intet af det, du har gemt, er gået tabt" in response.content.decode()
    assert GrantApplication.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0


def test_the_database_failing_mid_decision_books_nothing_and_decides_nothing(grant_officer):
    BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year), code="INT-UNG", amount=50_000
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=9000)
    client = Client(raise_request_exception=False)
    client.force_login(grant_officer)
    # The commitment is booked and the case saved; the audit row after them fails.
    with database_goes_away_at(r'INSERT INTO "portal_auditentry"'):
        response = client.post(
            reverse("grants:officer_action", args=[application.pk, "approve"]),
            {"understood": "on", "amount": "9000", "reason": ""},
        )
    assert response.status_code == 500
    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (S.IN_REVIEW, None)
    assert Commitment.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_pdf_failure_does_not_lose_the_decision(
    client, grant_officer, settings, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year), code="INT-UNG", amount=50_000
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=9000)

    def broken_pdf(html, **kwargs):
        raise OSError("Pango could not load a font")

    monkeypatch.setattr("grants.services.mail.render_pdf", broken_pdf)
    client.force_login(grant_officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("grants:officer_action", args=[application.pk, "approve"]),
            {"understood": "on", "amount": "9000", "reason": ""},
        )
    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (S.APPROVED, Decimal("9000.00"))
    assert Commitment.objects.get().amount == Decimal("9000.00")
    sent = deliver()
    application.refresh_from_db()
    assert not application.decision_letter
    assert [message.to for message in sent] == [[application.applicant_email]]
    assert sent[0].attachments == []


@pytest.fixture
def mail_server_down(settings):
    """Django's SMTP backend against a port where nothing listens: the mail server is down."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


def test_with_the_mail_server_down_the_applicant_sees_the_normal_page(
    client, application_form, mail_server_down
):
    response = apply_for(client, application_form)
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:submitted")
    assert GrantApplication.objects.count() == 1

    # The worker tries, fails, and keeps the mail for later.
    assert send_due() == (0, 1)
    pending = OutboxMail.objects.get()
    assert (pending.state, pending.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in pending.last_error

    # The server answers again: the mail goes out once the retry is due, exactly once.
    mail_server_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due() == (0, 0)  # not due yet: back-off
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert send_due(now=later) == (1, 0)
    assert send_due(now=later) == (0, 0)
    assert [m.to for m in mail.outbox] == [["sofie@example.dk"]]
    assert OutboxMail.objects.get().state == "sent"


def test_a_mail_that_keeps_failing_is_shown_to_staff(admin_client, mail_server_down):
    mail_server_down.OUTBOX_MAX_ATTEMPTS = 3
    GrantApplicationFactory(state=S.IN_REVIEW)
    from portal import outbox

    with transaction.atomic():
        outbox.enqueue(kind="grants.question", to="a@example.dk", subject="Spørgsmål", body="x")
    moment = timezone.now()
    for _ in range(3):
        moment += datetime.timedelta(hours=7)
        send_due(now=moment)
    assert OutboxMail.objects.get().state == "failed"
    page = admin_client.get(reverse("admin:portal_outboxmail_changelist"), {"state": "failed"})
    assert "a@example.dk" in page.content.decode()
    assert "Kunne ikke sendes" in page.content.decode()


def test_an_oversized_file_is_refused_with_a_message_and_never_stored(
    client, application_form, settings, tmp_path
):
    settings.MAX_UPLOAD_BYTES = 100_000
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile(
        "budget.pdf", b"%PDF-1.4 " + b"x" * 300_000, content_type="application/pdf"
    )
    response = apply_for(client, {**application_form, "attachments": [big]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Filen er for stor" in page
    assert 'value="Sofie Jensen"' in page  # what was typed is kept
    assert GrantApplication.objects.count() == 0
    assert list(tmp_path.rglob("*")) == []


def test_the_upload_handler_stops_passing_bytes_on_at_the_limit(settings):
    from portal.uploads import SizeLimitedUploadHandler

    settings.MAX_UPLOAD_BYTES = 10
    handler = SizeLimitedUploadHandler()
    handler.new_file("file", "a.pdf", "application/pdf", 30)
    assert handler.receive_data_chunk(b"%PDF-1.4", 0) == b"%PDF-1.4"
    assert handler.receive_data_chunk(b"x" * 8, 8) is None
    assert handler.receive_data_chunk(b"y" * 8, 16) is None
    stand_in = handler.file_complete(24)
    assert (stand_in.size, stand_in.read()) == (24, b"")


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(client, settings, db):
    settings.MAX_REQUEST_BYTES = 1000
    response = apply_for(
        client,
        data=b"x" * 5000,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "Intet blev gemt" in response.content.decode()


HOSTILE = [
    "<script>alert(1)</script>",
    "'; DROP TABLE grants_grantapplication; --",
    "x" * 100_000,
    "\x00\x01\x02",
    "-1",
    "1e309",
    "NaN",
    "2025-02-30",
    "１２ kr",  # full-width digits and a unit
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_in_the_application_form_get_a_form_error_and_save_nothing(
    client, application_form, value
):
    for field in (
        "amount_requested",
        "departs_on",
        "participants",
        "partner_city",
        "applicant_email",
    ):
        data = {**application_form, field: value}
        response = apply_for(client, data)
        assert response.status_code == 200, field
        assert (
            'class="error' in response.content.decode() or "errorlist" in response.content.decode()
        )
        assert GrantApplication.objects.count() == 0


def _exchange_form():
    return (
        "partnerships:exchange_create",
        [],
        Exchange,
        {
            "title": "Elevudveksling",
            "kind": "pupil_exchange",
            "school": SchoolFactory(name="Skovlunde Skole").pk,
            "partner_city": PartnerCityFactory().pk,
            "direction": "outgoing",
            "starts_on": "2025-10-06",
            "ends_on": "2025-10-17",
            "pupils": "10",
            "teachers": "2",
            "staff": "0",
            "others": "0",
            "status": "planned",
        },
    )


def _trip_form():
    line = BudgetLineFactory(budget_year__year=2026, code="UDV-SSU", kind="committee_travel")
    return "travel:trip_create", [], Trip, trip_form(line)


def _commitment_form():
    line = BudgetLineFactory(budget_year__year=2026, amount=50_000)
    return (
        "budgets:line_detail",
        [line.pk],
        Commitment,
        {
            "manual_cause": "meeting",
            "amount": "1000",
            "booked_on": "2026-03-01",
            "description": "Konference",
            "public_description": "Konference for lærere",
            "reference": "",
            "reason": "Bogført i hånden",
        },
    )


def _initiative_form():
    budget_year = BudgetYearFactory(year=2026)
    return (
        "budgets:initiative_create",
        [],
        Initiative,
        {
            "budget_year": budget_year.pk,
            "number": "1.01",
            "title": "Internationale koordinatorer på alle skoler",
            "milestone_first": "Koordinatorer udpeget.",
        },
    )


STAFF_FORMS = {
    "exchange": (
        "coordinator",
        _exchange_form,
        ["starts_on", "pupils", "kind", "partner_city", "school"],
    ),
    "trip": (
        "secretary",
        _trip_form,
        ["starts_on", "budget_line", "destination_country", "accounts-0-actual", "programme-0-day"],
    ),
    "commitment": ("administrator", _commitment_form, ["manual_cause", "amount", "booked_on"]),
    "initiative": ("secretary", _initiative_form, ["budget_year", "responsible_committee"]),
}


@pytest.mark.parametrize("form", sorted(STAFF_FORMS))
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_in_staff_forms_get_a_form_error_and_save_nothing(
    client, request, form, value
):
    persona, make, fields = STAFF_FORMS[form]
    client.force_login(request.getfixturevalue(persona))
    name, args, model, valid = make()
    before = model.objects.count()
    for field in fields:
        response = client.post(reverse(name, args=args), {**valid, field: value})
        assert response.status_code == 200, field
        assert "error-message" in response.content.decode(), field
        assert model.objects.count() == before, field


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_amount_in_an_approval_decides_nothing(client, grant_officer, value):
    BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year), code="INT-UNG", amount=50_000
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": value, "reason": value},
    )
    # The case page again, with the error and what was typed.
    assert response.status_code == 400
    assert "error-message" in response.content.decode()
    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (S.IN_REVIEW, None)
    assert Commitment.objects.count() == 0


def test_a_body_in_the_wrong_encoding_is_a_form_error_not_a_crash(client, application_form):
    # A browser told the page was Latin-1 sends "Ærø" as %C6%F8%E5: not UTF-8.
    fields = {**application_form, "applicant_name": "%C6r%F8", "purpose": "Rejse+til+%C6r%F8"}
    body = "&".join(f"{key}={value}" for key, value in fields.items())
    response = apply_for(
        client,
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302)
    for application in GrantApplication.objects.all():
        # Bytes that are not UTF-8 arrive as replacement characters, never as a crash.
        assert application.applicant_name == "\ufffdr\ufffd"


def test_text_that_looks_like_markup_is_shown_as_text(client, grant_officer, application_form):
    apply_for(
        client,
        {**application_form, "purpose": "<script>alert('x')</script>"},
    )
    application = GrantApplication.objects.get()
    client.post(application.get_case_url(), {"action": "confirm_email"})
    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client, settings):
    from tests.factories import UserFactory

    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="sagsbehandler", password="rigtigt-kodeord-2026")
    for attempt in range(3):
        response = client.post(
            reverse("login"), {"username": "sagsbehandler", "password": "forkert"}
        )
        if attempt < 2:
            assert "Indtast venligst korrekt brugernavn og adgangskode" in (
                response.content.decode()
            )
    assert response.status_code == 429  # the third failure locks the name and address
    response = client.post(
        reverse("login"), {"username": "sagsbehandler", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else, from another address, is not locked out by it.
    other = Client(REMOTE_ADDR="10.1.1.1")
    response = other.post(
        reverse("login"), {"username": "sagsbehandler", "password": "rigtigt-kodeord-2026"}
    )
    assert response.status_code == 302
