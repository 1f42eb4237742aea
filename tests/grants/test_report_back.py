"""Reporting back after the trip: the structured report, the warning before the return date,
the revision, when a report is overdue, closing in one step, and every mail of the case on
the officer's page."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.enums import ApplicationState, EventKind
from grants.models import ApplicationEvent, Attachment, GrantApplication
from grants.permissions import allowed_actions
from portal.models import AuditEntry, OutboxMail
from tests.factories import GrantApplicationFactory, GrantSchemeFactory

pytestmark = pytest.mark.django_db
S = ApplicationState


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def returned(days: int, **fields):
    """A paid grant whose trip came home `days` ago."""
    return GrantApplicationFactory(
        state=fields.pop("state", S.PAID),
        departs_on=days_ago(days + 5),
        returns_on=days_ago(days),
        amount_granted=Decimal("12000"),
        **fields,
    )


REPORT = {
    "action": "report",
    "report": "Vi besøgte rådhuset og spejderne i Wuxi.",
    "participants": "9",
    "cost_travel": "8000",
    "cost_accommodation": "2500",
    "cost_other": "500",
}


def snapshot(application) -> tuple:
    application = GrantApplication.objects.get(pk=application.pk)
    return (
        application.state,
        application.report,
        application.report_cost,
        application.report_submitted_at,
        list(ApplicationEvent.objects.filter(application=application).values_list("pk")),
        Attachment.objects.filter(application=application).count(),
        AuditEntry.objects.count(),
        OutboxMail.objects.count(),
    )


def test_the_structured_report_is_saved_and_shown_to_the_applicant_and_the_officer(
    client, grant_officer
):
    application = returned(3)
    photo = SimpleUploadedFile("lejr.png", b"\x89PNG\r\n\x1a\nimage", content_type="image/png")
    page = client.get(application.get_case_url()).content.decode()
    assert "Faktiske udgifter: ophold" in page and 'name="taken_place"' not in page

    client.post(application.get_case_url(), {**REPORT, "photos": [photo]})

    application.refresh_from_db()
    assert (
        application.report_participants,
        application.report_cost_travel,
        application.report_cost_accommodation,
        application.report_cost_other,
        application.report_cost,
    ) == (9, Decimal("8000"), Decimal("2500"), Decimal("500"), Decimal("11000"))
    assert application.attachments.get(for_report=True).name == "lejr.png"
    event = application.events.get(kind=EventKind.REPORTED)
    assert (event.amount, event.reason) == (Decimal("11000"), REPORT["report"])
    page = client.get(application.get_case_url()).content.decode()
    assert "Din afrapportering" in page and REPORT["report"] in page
    assert (
        "Rejse 8.000\u00a0kr., ophold 2.500\u00a0kr., andet 500\u00a0kr.: 11.000\u00a0kr." in page
    )

    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "8.000\u00a0kr. + 2.500\u00a0kr. + 500\u00a0kr. = 11.000\u00a0kr." in page
    assert "9 (ansøgt om 10)" in page


def test_a_report_before_the_return_date_needs_the_applicants_word(client):
    application = GrantApplicationFactory(state=S.PAID)  # the trip is two months ahead
    before = snapshot(application)
    page = client.get(application.get_case_url()).content.decode()
    assert "som endnu ikke er kommet" in page and 'name="taken_place"' in page

    response = client.post(application.get_case_url(), REPORT)
    text = response.content.decode()
    assert (
        response.context["report_form"].errors["taken_place"][0].startswith("Din rejse slutter den")
    )
    assert REPORT["report"] in text  # what was typed is kept
    assert snapshot(application) == before

    client.post(application.get_case_url(), {**REPORT, "taken_place": "on"})
    application.refresh_from_db()
    assert application.report == REPORT["report"] and application.report_submitted_at


def test_the_service_refuses_an_early_report_without_the_applicants_word():
    application = GrantApplicationFactory(state=S.PAID)
    before = snapshot(application)
    with pytest.raises(services.GrantError) as refused:
        services.perform(
            "report",
            application=application,
            data={**REPORT, "participants": 9, "files": []},
        )
    assert refused.value.field == "taken_place"
    assert snapshot(application) == before


@pytest.mark.parametrize(
    "change",
    [
        {"participants": "-1"},
        {"cost_travel": ""},
        {"report": ""},
        {"photos": [SimpleUploadedFile("b.pdf", b"MZ not a pdf", content_type="application/pdf")]},
    ],
)
def test_bad_report_input_is_shown_at_the_field_and_saves_nothing(client, change):
    application = returned(3)
    before = snapshot(application)
    response = client.post(application.get_case_url(), {**REPORT, **change})
    assert response.context["report_form"].errors
    assert snapshot(application) == before


def test_the_officer_asks_for_a_revision_and_both_reports_stay_in_the_history(
    client, grant_officer
):
    application = returned(3, language="de")
    client.post(application.get_case_url(), REPORT)
    client.force_login(grant_officer)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "revision"]),
        {"note": "Vedlæg venligst kvitteringerne."},
    )
    application.refresh_from_db()
    assert (application.state, application.report_submitted_at) == (S.PAID, None)
    asked = application.events.get(kind=EventKind.REVISION_REQUESTED)
    assert (asked.officer, asked.reason) == (grant_officer, "Vedlæg venligst kvitteringerne.")
    assert AuditEntry.objects.filter(action="grant.report_revision").count() == 1
    (mail,) = OutboxMail.objects.filter(kind="grants.revision")
    assert mail.subject == "Bitte überarbeiten Sie Ihren Bericht"  # the applicant's language

    client.logout()
    page = client.get(application.get_case_url()).content.decode()
    assert "Vedlæg venligst kvitteringerne." in page
    assert f"{REPORT['report']}</textarea>" in page  # the report comes back to be changed
    client.post(application.get_case_url(), {**REPORT, "report": "Nu med kvitteringer."})

    application.refresh_from_db()
    assert application.report == "Nu med kvitteringer." and application.report_submitted_at
    assert list(
        application.events.filter(kind=EventKind.REPORTED).values_list("reason", flat=True)
    ) == [REPORT["report"], "Nu med kvitteringer."]


def test_a_revision_is_refused_without_a_report_after_it_is_received_and_without_a_note(
    client, grant_officer
):
    no_report = returned(3)
    received = returned(3)
    client.post(received.get_case_url(), REPORT)
    services.simple_move(application=received, officer=grant_officer, to_state=S.REPORT_RECEIVED)
    sent = returned(3)
    client.post(sent.get_case_url(), REPORT)
    before = [snapshot(case) for case in (no_report, received, sent)]
    client.force_login(grant_officer)
    action = "grants:officer_action"
    assert (
        client.post(reverse(action, args=[no_report.pk, "revision"]), {"note": "x"}).status_code
        == 409
    )
    assert (
        client.post(reverse(action, args=[received.pk, "revision"]), {"note": "x"}).status_code
        == 409
    )
    assert client.post(reverse(action, args=[sent.pk, "revision"]), {"note": ""}).status_code == 400
    client.logout()
    client.post(sent.get_case_url(), {"action": "revision", "note": "x"})
    assert [snapshot(case) for case in (no_report, received, sent)] == before


def test_report_overdue_is_refused_before_the_return_plus_the_schemes_days(client, grant_officer):
    scheme = GrantSchemeFactory()
    scheme.report_days = 30
    scheme.save()
    early = returned(10)
    client.force_login(grant_officer)
    assert "report_due" not in allowed_actions(early, officer=grant_officer)
    before = snapshot(early)
    response = client.post(reverse("grants:officer_action", args=[early.pk, "report_due"]))
    assert response.status_code == 409
    due = days_ago(10) + datetime.timedelta(days=30)
    assert f"Afrapporteringen er ikke forsinket før {due:%d.%m.%Y}" in response.content.decode()
    assert snapshot(early) == before

    late = returned(31)
    client.post(reverse("grants:officer_action", args=[late.pk, "report_due"]))
    assert GrantApplication.objects.get(pk=late.pk).state == S.REPORT_DUE


def test_report_overdue_is_never_offered_once_a_report_is_in(client, grant_officer):
    application = returned(40)
    client.post(application.get_case_url(), REPORT)
    application.refresh_from_db()
    assert "report_due" not in allowed_actions(application, officer=grant_officer)
    before = snapshot(application)
    client.force_login(grant_officer)
    response = client.post(reverse("grants:officer_action", args=[application.pk, "report_due"]))
    assert "Ansøgeren har sendt en afrapportering; den er ikke forsinket." in (
        response.content.decode()
    )
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot(application) == before


def test_the_portal_marks_reports_overdue_only_after_the_schemes_days(grant_officer):
    early, late = returned(10), returned(31)
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert GrantApplication.objects.get(pk=early.pk).state == S.PAID
    assert GrantApplication.objects.get(pk=late.pk).state == S.REPORT_DUE
    assert list(OutboxMail.objects.values_list("kind", "to")) == [
        ("grants.reminder", late.applicant_email)
    ]


def test_closing_after_the_report_is_one_step(client, grant_officer):
    application = returned(3)
    client.post(application.get_case_url(), {**REPORT, "cost_other": "1500"})  # all spent
    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "Afslut sagen" in page
    client.post(reverse("grants:officer_action", args=[application.pk, "close"]))
    assert GrantApplication.objects.get(pk=application.pk).state == S.CLOSED


def test_a_paid_case_without_a_report_is_not_closed(client, grant_officer):
    application = returned(40, state=S.REPORT_DUE)
    before = snapshot(application)
    client.force_login(grant_officer)
    response = client.post(reverse("grants:officer_action", args=[application.pk, "close"]))
    assert response.status_code == 409
    assert snapshot(application) == before


def test_reminders_and_every_mail_of_the_case_are_on_the_officers_page(client, grant_officer):
    application = returned(40)
    other = returned(40)
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(grant_officer)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "report_due"])
    )  # already due: refused, no mail
    response = client.get(reverse("grants:officer_case", args=[application.pk]))
    mails = list(response.context["case_mails"])
    assert [(m.kind, m.to) for m in mails] == [("grants.reminder", application.applicant_email)]
    page = response.content.decode()
    assert "Mails i denne sag" in page and "Påmindelse: afrapporter din rejse (Ansøgeren" in page
    assert other.applicant_email not in page


def test_another_applicants_link_cannot_report_for_this_case(client):
    reporting = returned(3)
    other = returned(3, state=S.IN_REVIEW)
    before = (snapshot(reporting), snapshot(other))
    response = client.post(other.get_case_url(), REPORT, follow=True)
    assert "Det kan ikke gøres ved din ansøgning nu." in response.content.decode()
    assert (snapshot(reporting), snapshot(other)) == before


def test_the_mail_list_costs_the_same_queries_for_one_mail_or_many(client, grant_officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = returned(40)
    client.force_login(grant_officer)
    url = reverse("grants:officer_case", args=[application.pk])
    services.mail._queue_mail(application, "reminder")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        services.mail._queue_mail(application, "reminder")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
