"""The applicant's private link: no staff view shows it, the mail still carries it, and a
step taken through it records where it came from (docs/security/mail-and-links.md)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.enums import Actor, ApplicationState, EventKind
from grants.models import GrantApplication
from portal.models import OutboxMail
from tests.conftest import deliver
from tests.factories import GrantApplicationFactory
from tests.formdata import REPORTED_COSTS

S = ApplicationState
pytestmark = pytest.mark.django_db


def test_an_administrator_finds_no_private_link_in_the_outbox_and_cannot_withdraw(
    client, line, grant_officer, administrator
):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.request_information(application=application, officer=grant_officer, question="Hvor?")
    services.answer(application=application, text="Prag.")
    services.approve(application=application, officer=grant_officer, amount=Decimal("12000"))
    token = GrantApplication.objects.get(pk=application.pk).token
    mails = list(OutboxMail.objects.filter(to=application.applicant_email))
    assert [m.kind for m in mails] == ["grants.decision", "grants.question"]
    assert all(token not in m.body for m in mails)

    client.force_login(administrator)
    listing = client.get(reverse("admin:portal_outboxmail_changelist")).content.decode()
    assert application.applicant_email in listing  # the administrator does see the outbox
    assert token not in listing
    for outgoing in mails:
        page = client.get(reverse("admin:portal_outboxmail_change", args=[outgoing.pk]))
        assert outgoing.subject in page.content.decode()
        assert token not in page.content.decode()
        assert "Prag." not in page.content.decode()  # nor any other word of the text
    # The attack needed the link: without it, the case stays approved and booked.
    application.refresh_from_db()
    assert application.state == S.APPROVED
    assert application.events.filter(actor=Actor.APPLICANT, to_state=S.WITHDRAWN).count() == 0

    # The applicant's mail still has a link that works.
    sent = {message.subject: message.body for message in deliver()}
    link = f"http://127.0.0.1:8000{reverse('grants:case', args=[token])}"
    decision = [body for subject, body in sent.items() if "afgørelse" in subject.lower()]
    assert len(decision) == 1 and link in decision[0]
    assert "[[private-link]]" not in decision[0]
    page = client.get(reverse("grants:case", args=[token]))
    assert page.context["application"] == application
    unsent = OutboxMail.objects.filter(to=application.applicant_email).exclude(state="sent")
    assert unsent.count() == 0
    # The stored rows, sent, still hold no link.
    assert all(token not in m.body for m in OutboxMail.objects.all())


def test_the_outbox_text_is_not_shown_even_to_a_superuser(admin_client):
    GrantApplicationFactory(state=S.UNCONFIRMED)
    application = GrantApplication.objects.get()
    with override_settings(LANGUAGE_CODE="da"):
        services._queue_mail(application, "confirm")
    outgoing = OutboxMail.objects.get()
    page = admin_client.get(reverse("admin:portal_outboxmail_change", args=[outgoing.pk]))
    text = page.content.decode()
    assert outgoing.subject in text
    assert application.token not in text
    assert "[[private-link]]" not in text  # the text is not shown at all


def test_a_mail_for_an_erased_case_is_not_sent_with_a_dead_link():
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services._queue_mail(application, "question")
    GrantApplication.objects.filter(pk=application.pk).update(
        personal_data_erased_at=timezone.now()
    )
    deliver()
    assert mail.outbox == []
    failed = OutboxMail.objects.get()
    assert (failed.state, failed.attempts) == ("failed", 1)  # not tried again: it cannot help
    assert failed.last_error.startswith("DoesNotExist: ")


def _client_from(client, address):
    client.defaults["REMOTE_ADDR"] = address
    return client


def test_confirming_through_the_link_records_the_client_address(client):
    application = GrantApplicationFactory(state=S.UNCONFIRMED)
    _client_from(client, "192.0.2.7").post(
        reverse("grants:case", args=[application.token]), {"action": "confirm_email"}
    )
    event = application.events.get(to_state=S.SUBMITTED)
    assert (event.actor, event.client_address) == (Actor.APPLICANT, "192.0.2.7")


def test_answering_through_the_link_records_the_client_address(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.request_information(application=application, officer=grant_officer, question="Hvor?")
    _client_from(client, "2001:db8::5").post(
        reverse("grants:case", args=[application.token]), {"action": "answer", "text": "Prag."}
    )
    event = application.events.get(actor=Actor.APPLICANT, to_state=S.IN_REVIEW)
    assert event.client_address == "2001:db8::5"
    assert application.messages.last().text == "Prag."


def test_withdrawing_through_the_link_records_the_client_address(client, line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.approve(application=application, officer=grant_officer, amount=Decimal("12000"))
    _client_from(client, "198.51.100.23").post(reverse("grants:withdraw", args=[application.token]))
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    event = application.events.get(to_state=S.WITHDRAWN)
    assert (event.actor, event.client_address) == (Actor.APPLICANT, "198.51.100.23")


def test_reporting_through_the_link_records_the_client_address(client, line, grant_officer):
    application = GrantApplicationFactory(
        state=S.IN_REVIEW,
        departs_on=timezone.localdate() - datetime.timedelta(days=10),
        returns_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    services.approve(application=application, officer=grant_officer, amount=Decimal("12000"))
    services.mark_paid(application=application, officer=grant_officer, reference="FIN-1")
    _client_from(client, "203.0.113.9").post(
        reverse("grants:case", args=[application.token]),
        {"action": "report", "report": "Vi så rådhuset.", "cost_travel": "19000", **REPORTED_COSTS},
    )
    application.refresh_from_db()
    assert application.report == "Vi så rådhuset."
    event = application.events.get(kind=EventKind.REPORTED)
    assert (event.actor, event.client_address) == (Actor.APPLICANT, "203.0.113.9")


def test_erasing_a_case_erases_the_client_addresses(client, line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.approve(application=application, officer=grant_officer, amount=Decimal("12000"))
    _client_from(client, "198.51.100.23").post(reverse("grants:withdraw", args=[application.token]))
    services.simple_move(application=application, officer=grant_officer, to_state=S.CLOSED)
    services.erase_personal_data(before=timezone.now() + datetime.timedelta(days=1))
    assert set(application.events.values_list("client_address", flat=True)) == {None}


@pytest.mark.django_db(transaction=True)
@pytest.mark.bypasses_totals
def test_the_upgrade_takes_the_private_links_out_of_mails_written_before():
    from tests.portal.test_upgrade import migrate

    application = GrantApplicationFactory(state=S.IN_REVIEW)
    link = f"http://127.0.0.1:8000{application.get_case_url()}"
    try:
        old = migrate(
            [
                ("grants", "0012_event_client_address"),
                ("portal", "0017_outbox_private_link_and_sending"),
            ]
        )
        written = old.get_model("portal", "OutboxMail").objects.create(
            kind="grants.question",
            to=application.applicant_email,
            subject="Et spørgsmål om din ansøgning",
            body=f"Kære Sofie,\n\nSe spørgsmålet her:\n{link}\n\nBallerup Kommune",
            attach_arg=str(application.pk),
        )
        officer_mail = old.get_model("portal", "OutboxMail").objects.create(
            kind="grants.officer.answered", to="anna@example.dk", subject="Svar", body="x"
        )
    finally:
        migrate()
    upgraded = OutboxMail.objects.get(pk=written.pk)
    assert (
        upgraded.body == "Kære Sofie,\n\nSe spørgsmålet her:\n[[private-link]]\n\nBallerup Kommune"
    )
    assert (upgraded.link, upgraded.link_arg) == ("grants.case_link", str(application.pk))
    assert OutboxMail.objects.get(pk=officer_mail.pk).body == "x"
    (sent,) = [message for message in deliver() if message.to == [written.to]]
    assert sent.body == f"Kære Sofie,\n\nSe spørgsmålet her:\n{link}\n\nBallerup Kommune"
