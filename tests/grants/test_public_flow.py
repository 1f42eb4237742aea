"""Applying without an account, the private link, reporting back; and what the public sees."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from grants.models import GrantApplication
from tests.conftest import apply_for, deliver
from tests.factories import GrantApplicationFactory, PartnerCityFactory
from tests.formdata import REPORTED_COSTS

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture
def form(application_form):
    return application_form


def test_apply_confirm_by_the_mailed_link_and_follow_the_case(client, form):
    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget", content_type="application/pdf")
    response = apply_for(client, {**form, "attachments": [pdf]})

    application = GrantApplication.objects.get()
    # The visitor is not given the case's link: only the address's owner gets it, by mail.
    assert response["Location"] == reverse("grants:submitted")
    assert application.token not in client.get(response["Location"]).content.decode()
    assert application.state == S.UNCONFIRMED
    assert len(application.token) >= 40
    assert application.attachments.get().name == "budget.pdf"
    (message,) = deliver()
    assert message.to == ["sofie@example.dk"]
    assert "Sofie Jensen" not in message.body + message.subject  # nothing the visitor typed
    links = re.findall(r"https?://\S+", message.body)
    assert links == [f"http://127.0.0.1:8000{application.get_case_url()}"]

    page = client.get(application.get_case_url()).content.decode()
    assert "Bekræft din e-mailadresse" in page
    client.post(application.get_case_url(), {"action": "confirm_email"})
    application.refresh_from_db()
    assert application.state == S.SUBMITTED and application.email_confirmed_at
    receipt = deliver()[-1]
    assert receipt.subject.startswith("Din ansøgning er modtaget")
    page = client.get(application.get_case_url()).content.decode()
    assert "Indsendt" in page and "12.000\u00a0kr." in page
    assert client.get("/grants/case/not-the-token/").status_code == 404


def test_a_broken_rule_is_explained_and_nothing_typed_is_lost(client, form):
    response = apply_for(
        client,
        {**form, "participants_under_25": "0", "amount_requested": "30000"},
    )
    page = response.content.decode()
    assert "mindst én deltager skal være under 25" in page
    assert "Du kan ikke søge om mere, end rejsen koster." in page
    assert 'value="Sofie Jensen"' in page and "Lejr med partnerspejdere</textarea>" in page
    assert not GrantApplication.objects.exists()
    assert not mail.outbox


def test_an_upload_is_judged_by_its_content_not_its_name(client, form):
    fake = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = apply_for(client, {**form, "attachments": [fake]}).content.decode()
    assert "budget.pdf: Filen er ikke en PDF, JPEG eller PNG." in page
    assert not GrantApplication.objects.exists()


def test_the_applicant_answers_and_reports_back_through_the_link(client, grant_officer):
    application = GrantApplicationFactory(state=S.INFO_REQUESTED)
    client.post(application.get_case_url(), {"action": "answer", "text": "Ti deltagere."})
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW

    application.state = S.PAID
    application.save()
    photo = SimpleUploadedFile("lejr.png", b"\x89PNG\r\n\x1a\nimage", content_type="image/png")
    client.post(
        application.get_case_url(),
        {
            "action": "report",
            "report": "Det gik godt.",
            "cost_travel": "23500",
            **REPORTED_COSTS,
            "photos": [photo],
        },
    )
    application.refresh_from_db()
    assert (application.report, application.report_cost) == ("Det gik godt.", Decimal("23500"))
    assert application.attachments.get(for_report=True).name == "lejr.png"


def test_reminders_for_overdue_reports_go_out_once_per_period(settings):
    returned = GrantApplicationFactory(
        state=S.PAID,
        departs_on=timezone.localdate() - datetime.timedelta(days=40),
        returns_on=timezone.localdate() - datetime.timedelta(days=35),  # the scheme gives 30
    )
    not_yet = GrantApplicationFactory(state=S.PAID)
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    returned.refresh_from_db()
    not_yet.refresh_from_db()
    assert (returned.state, not_yet.state) == (S.REPORT_DUE, S.PAID)
    sent = deliver()
    assert [m.to for m in sent] == [[returned.applicant_email]]
    assert returned.get_case_url() in sent[0].body

    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(deliver()) == 1


def test_personal_data_of_old_closed_cases_is_erased_and_the_amounts_kept(settings):
    settings.GRANT_RETENTION_DAYS = 365
    old = GrantApplicationFactory(
        state=S.CLOSED,
        amount_granted=Decimal("12000"),
        applicant_name="Sofie Jensen",
        organisation="Privat gruppe",
        closed_at=timezone.now() - datetime.timedelta(days=400),
    )
    old.attachments.create(file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), name="a.pdf")
    old.messages.create(text="Sofies telefonnummer er 12345678")
    recent = GrantApplicationFactory(
        state=S.CLOSED,
        applicant_name="Mads Holm",
        closed_at=timezone.now() - datetime.timedelta(days=10),
    )

    call_command("erase_grant_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.applicant_name, old.applicant_phone, old.organisation, old.purpose) == (
        "",
        "",
        "",
        "",
    )
    assert old.amount_granted == Decimal("12000.00") and old.personal_data_erased_at
    assert not old.attachments.exists() and not old.messages.exists()
    assert recent.applicant_name == "Mads Holm"


def test_public_statistics_show_amounts_and_only_consenting_associations(client, grant_officer):
    last_month = timezone.now() - datetime.timedelta(days=40)
    prag = PartnerCityFactory(name="Prag 10")
    for organisation, consent, kind in [
        ("FDF Ballerup", True, "youth_association"),
        ("Hemmelig Klub", False, "youth_association"),
        ("Sofie Jensen", True, "young_person"),
    ]:
        application = GrantApplicationFactory(
            state=S.APPROVED,
            amount_granted=Decimal("5000"),
            decided_at=last_month,
            organisation=organisation,
            organisation_may_be_published=consent,
            applicant_kind=kind,
            partner_city=prag,
            applicant_name="Navn Navnesen",
        )
        application.save()
    page = client.get(reverse("grants:statistics")).content.decode()
    assert "15.000\u00a0kr." in page and "Prag 10" in page and "FDF Ballerup" in page
    for private in ("Hemmelig Klub", "Sofie Jensen", "Navn Navnesen", "@example.dk"):
        assert private not in page
