"""Who is who in the grant workflow: a mailbox under any spelling, a declared conflict, the
applicant's confirmation, an attachment. Each test performs the attack (docs/security/
grant-identity.md) and checks that the database, the disk and the outbox did not change."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.models import Commitment
from grants import services
from grants.enums import ApplicationState, EventKind, ProposalState
from grants.models import ApplicationEvent, ApprovalProposal, GrantApplication, InternalNote
from grants.permissions import officers_who_may_act
from portal.models import AuditEntry, OutboxMail, SiteSettings
from portal.roles import Role
from tests.conftest import apply_for, form_token
from tests.factories import GrantApplicationFactory
from tests.grants.conftest import officer, post_user_with_officer_role

pytestmark = pytest.mark.django_db
S = ApplicationState


def snapshot(application) -> tuple:
    """Everything an officer's action or a confirmation would change."""
    application = GrantApplication.objects.get(pk=application.pk)
    return (
        application.state,
        application.amount_granted,
        application.decided_by_id,
        application.email_confirmed_at,
        application.assignee_id,
        InternalNote.objects.count(),
        ApplicationEvent.objects.filter(application=application).count(),
        Commitment.objects.count(),
        AuditEntry.objects.count(),
        OutboxMail.objects.count(),
        len(mail.outbox),
    )


# 1. One mailbox, however it is spelt


@pytest.mark.parametrize(
    "address", ['"mads"@kommune.dk', '"Mads+x"@kommune.dk', "user@[192.0.2.1]"]
)
def test_the_form_refuses_a_quoted_address_or_an_address_literal(
    client, application_form, address, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    data = {**application_form, "applicant_email": address, "attachments": [upload]}

    response = apply_for(client, data)

    page = response.content.decode()
    assert "Skriv en almindelig adresse som navn@eksempel.dk" in page
    assert 'value="Sofie Jensen"' in page  # what was typed is kept
    assert GrantApplication.objects.count() == 0
    assert OutboxMail.objects.count() == 0 and mail.outbox == []
    assert client.session.get("grant_draft") is None  # no draft kept either
    assert list(tmp_path.rglob("*.*")) == []


def test_the_admin_refuses_a_quoted_staff_address(admin_client):
    mads = officer("mads", "mads@kommune.dk")
    response = post_user_with_officer_role(admin_client, mads, email='"mads"@kommune.dk')
    assert "Skriv en almindelig adresse som navn@eksempel.dk" in response.content.decode()
    mads.refresh_from_db()
    assert mads.email == "mads@kommune.dk"


def test_an_officer_with_a_quoted_address_holds_no_officer_rights(client, line):
    # An address stored before the forms refused them: the account holds no officer rights.
    quoted = officer("quoted", '"mads"@kommune.dk')
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    before = snapshot(application)
    client.force_login(quoted)
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "100"},
    )
    assert response.status_code == 403
    assert snapshot(application) == before


# (the officer's address, the address on his own application): quotes stored before the forms
# refused them, case, +tags, a trailing dot, and the domain in Unicode or IDNA form.
SPELLINGS = [
    ("mads@kommune.dk", '"mads"@kommune.dk'),
    ("Mads+arbejde@Kommune.DK", '"MADS+rejse"@kommune.dk.'),
    ("mads@xn--bcher-kva.dk", "Mads+rejse@BÜCHER.dk"),
    ("mads@bücher.dk", "MADS@XN--BCHER-KVA.DK"),
]

# Each officer action, in a state that allows it.
ACTIONS = [
    (S.SUBMITTED, "review", {}),
    (S.IN_REVIEW, "question", {"question": "Hvem rejser?"}),
    (S.IN_REVIEW, "approve", {"amount": "500", "reason": "", "understood": "on"}),
    (S.IN_REVIEW, "reject", {"reason": "Nej", "understood": "on"}),
    (S.APPROVED, "paid", {"understood": "on"}),
    (S.REJECTED, "close", {}),
    (S.IN_REVIEW, "take", {}),
    (S.IN_REVIEW, "note", {"text": "Min egen sag"}),
]


@pytest.mark.parametrize(("officer_email", "applicant_email"), SPELLINGS)
@pytest.mark.parametrize(("state", "action", "data"), ACTIONS)
def test_an_officer_cannot_act_on_his_own_case_under_another_spelling(
    client, line, officer_email, applicant_email, state, action, data
):
    mads = officer("mads", officer_email)
    own = GrantApplicationFactory(state=state, applicant_email=applicant_email)
    before = snapshot(own)
    client.force_login(mads)

    response = client.post(reverse("grants:officer_action", args=[own.pk, action]), data)

    assert response.status_code == 403
    assert "Du har selv søgt dette tilskud" in response.content.decode()
    assert snapshot(own) == before


@pytest.mark.parametrize(("officer_email", "applicant_email"), SPELLINGS)
def test_the_batch_paid_refuses_his_own_case_under_another_spelling(
    client, line, officer_email, applicant_email
):
    mads = officer("mads", officer_email)
    own = GrantApplicationFactory(state=S.APPROVED, applicant_email=applicant_email)
    before = snapshot(own)
    client.force_login(mads)

    response = client.post(
        reverse("grants:queue_batch"),
        {"action": "paid", "cases": [own.pk], "confirmed": "yes", "reference": "FIN-7"},
    )

    assert [application.pk for application in response.context["done"]] == []
    assert [pk for pk, _application, _why in response.context["refused"]] == [own.pk]
    assert snapshot(own) == before


@pytest.mark.parametrize(("officer_email", "applicant_email"), SPELLINGS)
def test_his_own_case_under_another_spelling_is_no_work_for_him(
    client, line, officer_email, applicant_email
):
    mads = officer("mads", officer_email)
    bo = officer("bo", "bo@kommune.dk")
    own = GrantApplicationFactory(state=S.SUBMITTED, applicant_email=applicant_email)
    other = GrantApplicationFactory(state=S.SUBMITTED, applicant_email="sofie@example.dk")
    client.force_login(mads)
    queue = client.get(reverse("grants:queue")).context["page"]
    assert [application.pk for application in queue] == [other.pk]
    assert officers_who_may_act(own) == [bo]


def test_the_limit_per_mailbox_counts_every_spelling_as_one(client, application_form, settings):
    settings.GRANT_APPLICATIONS_PER_EMAIL_HOUR = 2
    # Confirmed earlier under two spellings (the quoted one stored before the form refused it).
    GrantApplicationFactory(applicant_email="sofie@bücher.dk")
    GrantApplicationFactory(applicant_email='"Sofie"@xn--bcher-kva.dk')

    response = apply_for(
        client, {**application_form, "applicant_email": "SOFIE+3@XN--BCHER-KVA.DK"}
    )

    assert response.status_code == 429
    assert "Vi har modtaget 2 ansøgninger fra dig inden for en time" in response.content.decode()
    assert GrantApplication.objects.count() == 2
    assert OutboxMail.objects.count() == 0


def test_an_address_changed_through_save_keeps_its_mailbox(line):
    application = GrantApplicationFactory(applicant_email="Sofie+x@BÜCHER.dk")
    assert application.applicant_mailbox == "sofie@xn--bcher-kva.dk"
    application.applicant_email = '"Mads"@kommune.dk'
    application.save(update_fields=["applicant_email"])
    application.refresh_from_db()
    assert application.applicant_mailbox == "mads@kommune.dk"


# 2. A declared conflict stays declared


def admin_officer(username: str):
    """An officer who is also an administrator (staff, in the Administrator role)."""
    user = officer(username, f"{username}@kommune.dk")
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def linked(application) -> list[str]:
    return sorted(application.linked_officers.values_list("username", flat=True))


def test_an_administrator_cannot_unlink_his_own_declared_conflict(client, line):
    mads = admin_officer("mads")
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(mads)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "declare_conflict"]),
        {"reason": "Min søn rejser med"},
    )
    assert linked(application) == ["mads"]
    before = snapshot(application)

    # The attack: unlink himself in the admin, then decide.
    response = client.post(
        reverse("admin:grants_grantapplication_change", args=[application.pk]),
        {"linked_officers": []},
    )
    assert "Sagsbehandlere fjernes kun fra en sag med »Ophæv en inhabilitet«" in (
        response.content.decode()
    )
    # Nor through the lift page: his own link is not offered, and the service refuses it.
    lift = client.get(reverse("admin:grants_grantapplication_lift_conflict", args=[application.pk]))
    assert list(lift.context["form"].fields["officer"].queryset) == []
    client.post(
        reverse("admin:grants_grantapplication_lift_conflict", args=[application.pk]),
        {"officer": mads.pk, "reason": "Det var en fejl"},
    )
    with pytest.raises(services.GrantError):
        services.lift_conflict(
            application=application, officer=mads, administrator=mads, reason="Fejl"
        )
    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "500", "reason": ""},
    )

    assert linked(application) == ["mads"]
    assert snapshot(application) == before


def test_another_administrator_lifts_a_conflict_with_a_reason(client, line, administrator):
    mads = admin_officer("mads")
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.declare_conflict(application=application, officer=mads, reason="Min søn")
    url = reverse("admin:grants_grantapplication_lift_conflict", args=[application.pk])
    client.force_login(administrator)
    page = client.get(url)
    assert list(page.context["form"].fields["officer"].queryset) == [mads]
    assert "Ophæv en inhabilitet" in page.content.decode()

    without_reason = client.post(url, {"officer": mads.pk, "reason": " "})
    assert without_reason.status_code == 200 and linked(application) == ["mads"]

    response = client.post(url, {"officer": mads.pk, "reason": "Sønnen rejser ikke med"})

    assert response["Location"] == reverse(
        "admin:grants_grantapplication_change", args=[application.pk]
    )
    assert linked(application) == []
    entry = AuditEntry.objects.get(action="grant.conflict_lifted")
    assert (entry.actor, entry.object_id, entry.reason) == (
        administrator,
        str(application.pk),
        "Sønnen rejser ikke med",
    )
    assert entry.data == {"officer": "mads", "before": "mads", "after": "-"}
    event = ApplicationEvent.objects.get(application=application, kind=EventKind.CONFLICT_LIFTED)
    assert (event.officer, event.second_officer, event.reason) == (
        administrator,
        mads,
        "Sønnen rejser ikke med",
    )


@pytest.fixture
def four_eyes():
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 1000}
    )
    return officer("anna", "anna@kommune.dk"), officer("bo", "bo@kommune.dk")


def test_a_proposal_falls_when_its_proposer_declares_a_conflict(client, line, four_eyes):
    anna, bo = four_eyes
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("5000"))
    proposal = services.approve(application=application, officer=anna, amount="5000")
    client.force_login(anna)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "declare_conflict"]),
        {"reason": "Min nevø er med"},
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.closed_by) == (ProposalState.WITHDRAWN, anna)
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "kind", "officer__username", "second_officer__username"
        )
    ) == [
        (EventKind.PROPOSED, "anna", None),
        (EventKind.CONFLICT, "anna", None),
        (EventKind.PROPOSAL_WITHDRAWN, "anna", "anna"),
    ]
    before = snapshot(application)

    # The attack: a second officer confirms the conflicted officer's proposal.
    client.force_login(bo)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "confirm"]),
        {"understood": "on", "proposal": proposal.pk, "amount": "5000"},
    )

    assert snapshot(application) == before
    assert ApprovalProposal.objects.get().state == ProposalState.WITHDRAWN


def test_a_proposal_falls_when_an_administrator_links_its_proposer(
    client, line, four_eyes, administrator
):
    anna, bo = four_eyes
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("5000"))
    proposal = services.approve(application=application, officer=anna, amount="5000")
    client.force_login(administrator)
    client.post(
        reverse("admin:grants_grantapplication_change", args=[application.pk]),
        {"linked_officers": [anna.pk]},
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.closed_by) == (ProposalState.WITHDRAWN, administrator)
    before = snapshot(application)
    with pytest.raises(services.GrantError):
        services.confirm_approval(
            application=application, officer=bo, proposal_id=proposal.pk, amount="5000"
        )
    assert snapshot(application) == before


# 3. Nobody is locked out by applications in their name


def test_applications_in_a_victims_name_never_lock_the_victim_out(
    client, application_form, settings
):
    settings.GRANT_APPLICATIONS_PER_EMAIL_HOUR = 3
    settings.GRANT_APPLICATIONS_PER_EMAIL_DAY = 6
    victim = "sofie@example.dk"
    # The attack: more unconfirmed applications in her name than any per-mailbox limit, from
    # two addresses (each within its own limit), under several spellings of her address.
    spellings = ["sofie@example.dk", "Sofie+a@example.dk", "SOFIE@EXAMPLE.DK"]
    for n in range(8):
        attacker = f"203.0.113.{n % 2 + 1}"
        data = {**application_form, "applicant_email": spellings[n % 3], "form_token": form_token()}
        assert apply_for(client, data, REMOTE_ADDR=attacker).status_code == 302
    assert GrantApplication.objects.filter(state=S.UNCONFIRMED).count() == 8  # none removed

    owner = Client(REMOTE_ADDR="198.51.100.7")
    data = {**application_form, "applicant_email": victim, "form_token": form_token()}
    response = apply_for(owner, data)

    assert response["Location"] == reverse("grants:submitted")
    hers = GrantApplication.objects.order_by("-submitted_at", "-pk").first()
    assert hers.client_key != GrantApplication.objects.order_by("pk").first().client_key
    owner.post(hers.get_case_url(), {"action": "confirm_email"})
    hers.refresh_from_db()
    assert hers.state == S.SUBMITTED
    assert GrantApplication.objects.filter(state=S.UNCONFIRMED).count() == 8
    assert list(OutboxMail.objects.filter(kind="grants.receipt").values_list("to", flat=True)) == [
        victim
    ]


# 4. A confirmation link expires


def test_an_expired_confirmation_link_confirms_nothing(client, application_form, settings):
    settings.GRANT_CONFIRMATION_HOURS = 72
    apply_for(client, application_form)
    application = GrantApplication.objects.get()
    GrantApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=73)
    )
    before = snapshot(application)

    page = client.get(application.get_case_url())
    english = client.get(f"/en{application.get_case_url()}")
    response = client.post(application.get_case_url(), {"action": "confirm_email"})

    assert "Bekræftelseslinket er udløbet" in page.content.decode()
    assert "inden for 72 timer" in page.content.decode()
    assert "The confirmation link has expired" in english.content.decode()
    assert response.status_code == 410
    assert snapshot(application) == before
    assert list(OutboxMail.objects.values_list("kind", flat=True)) == ["grants.confirm"]
    with pytest.raises(services.GrantError):
        services.confirm_email(application=application)
    assert snapshot(application) == before


def test_a_confirmation_link_within_its_hours_still_confirms(client, application_form, settings):
    settings.GRANT_CONFIRMATION_HOURS = 72
    apply_for(client, application_form)
    application = GrantApplication.objects.get()
    GrantApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=71)
    )
    client.post(application.get_case_url(), {"action": "confirm_email"})
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert sorted(OutboxMail.objects.values_list("kind", flat=True)) == [
        "grants.confirm",
        "grants.receipt",
    ]


# 5. Attachments only of cases the officer may see


def test_an_officer_gets_no_attachment_of_an_unconfirmed_application(
    client, grant_officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4 the programme"
    unconfirmed = GrantApplicationFactory(state=S.UNCONFIRMED)
    hidden = unconfirmed.attachments.create(
        file=SimpleUploadedFile("secret.pdf", content), name="secret.pdf"
    )
    case = GrantApplicationFactory(state=S.SUBMITTED)
    visible = case.attachments.create(
        file=SimpleUploadedFile("programme.pdf", content), name="programme.pdf"
    )
    client.force_login(grant_officer)

    refused = client.get(reverse("grants:officer_attachment", args=[hidden.pk]))
    allowed = client.get(reverse("grants:officer_attachment", args=[visible.pk]))

    assert refused.status_code == 404 and not refused.streaming
    assert b"".join(allowed.streaming_content) == content
    assert client.get(reverse("grants:officer_case", args=[unconfirmed.pk])).status_code == 404


def test_other_staff_get_no_attachment(client, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = GrantApplicationFactory(state=S.SUBMITTED)
    attachment = case.attachments.create(
        file=SimpleUploadedFile("p.pdf", b"%PDF-1.4 x"), name="p.pdf"
    )
    client.force_login(coordinator)
    response = client.get(reverse("grants:officer_attachment", args=[attachment.pk]))
    assert response.status_code == 403
    assert not response.streaming
