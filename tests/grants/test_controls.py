"""Attacks on the grant decisions, as an insider would try them. Each performs the bypass
and asserts that nothing changed: no state, no booking, no decision."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import Commitment
from budgets.selectors import balance_of
from budgets.services import book_commitment
from grants.enums import ApplicationState, EventKind, ProposalState
from grants.models import ApplicationEvent, ApprovalProposal, GrantApplication
from portal.models import AuditEntry, SiteSettings
from tests.factories import (
    GrantApplicationFactory,
    UserFactory,
)
from tests.grants.conftest import officer, post_user_with_officer_role

pytestmark = pytest.mark.django_db
S = ApplicationState


def decision(application) -> tuple:
    """Everything a decision would change."""
    application = GrantApplication.objects.get(pk=application.pk)
    return (
        application.state,
        application.amount_granted,
        application.decided_by_id,
        Commitment.objects.count(),
    )


def queue_ids(client) -> list[int]:
    return [a.pk for a in client.get(reverse("grants:queue")).context["page"]]


# Nobody decides their own case


@pytest.mark.parametrize(
    "applicant_email",
    ["mads+rejse@kommune.dk", "MADS@Kommune.DK", "Mads+x@KOMMUNE.dk"],
)
def test_an_officer_cannot_approve_their_own_case_under_another_spelling(
    client, line, applicant_email
):
    mads = officer("mads", "mads@kommune.dk")
    own = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email=applicant_email)
    before = decision(own)
    client.force_login(mads)

    response = client.post(
        reverse("grants:officer_action", args=[own.pk, "approve"]),
        {"understood": "on", "amount": "5000", "reason": ""},
    )

    assert response.status_code == 403
    assert decision(own) == before
    assert "Du har selv søgt dette tilskud" in response.content.decode()


def test_an_officer_with_a_tagged_address_is_caught_too(client, line):
    mads = officer("mads", "Mads+arbejde@kommune.dk")
    own = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="mads@kommune.dk")
    other = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="madsen@kommune.dk")
    client.force_login(mads)
    client.post(
        reverse("grants:officer_action", args=[own.pk, "reject"]),
        {"understood": "on", "reason": "Nej"},
    )
    assert GrantApplication.objects.get(pk=own.pk).state == S.IN_REVIEW
    # Another person whose address merely starts the same way is not a conflict.
    assert queue_ids(client) == [other.pk]


def test_the_case_page_says_so_first_and_offers_no_decision(client, line):
    mads = officer("mads", "mads@kommune.dk")
    own = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="mads+rejse@kommune.dk")
    client.force_login(mads)
    page = client.get(reverse("grants:officer_case", args=[own.pk])).content.decode()
    notice = page.index("Du må ikke afgøre denne sag.")
    assert notice < page.index("<h2")  # before anything else on the page
    assert "<form" not in page.split('id="main"')[-1].split("<footer")[0]


def test_own_and_linked_cases_are_not_in_needs_my_action(client, line):
    mads = officer("mads", "mads@kommune.dk")
    own = GrantApplicationFactory(state=S.SUBMITTED, applicant_email="mads+rejse@kommune.dk")
    linked = GrantApplicationFactory(state=S.SUBMITTED)
    linked.linked_officers.add(mads)
    free = GrantApplicationFactory(state=S.SUBMITTED)
    client.force_login(mads)
    assert queue_ids(client) == [free.pk]
    # They are still found when looking for all cases.
    page = client.get(reverse("grants:queue"), {"state": "all"}).context["page"]
    assert sorted(a.pk for a in page) == sorted([own.pk, linked.pk, free.pk])


def test_an_officer_without_an_email_address_holds_no_officer_rights(client, line):
    nameless = officer("nameless", "")
    application = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="x@example.dk")
    before = decision(application)
    client.force_login(nameless)
    assert client.get(reverse("grants:queue")).status_code == 403
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "100"},
    )
    assert response.status_code == 403
    assert decision(application) == before


def test_the_admin_refuses_the_officer_role_to_an_account_without_email(admin_client):
    user = UserFactory(username="nomail", email="")
    response = post_user_with_officer_role(admin_client, user, email="")
    assert "En tilskudsmedarbejder skal have en e-mailadresse." in response.content.decode()
    assert not user.groups.exists()


def test_an_officer_declares_a_conflict_and_the_case_leaves_their_queue(client, line):
    mads = officer("mads", "mads@kommune.dk")
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(mads)
    assert queue_ids(client) == [application.pk]

    client.post(
        reverse("grants:officer_action", args=[application.pk, "declare_conflict"]),
        {"reason": "Min datter er med på turen"},
    )

    assert queue_ids(client) == []
    assert list(application.linked_officers.all()) == [mads]
    event = ApplicationEvent.objects.get(application=application, kind=EventKind.CONFLICT)
    assert (event.officer, event.reason) == (mads, "Min datter er med på turen")
    entry = AuditEntry.objects.get(action="grant.conflict")
    assert (entry.actor, entry.object_id) == (mads, str(application.pk))
    before = decision(application)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "100"},
    )
    assert decision(application) == before


def test_an_administrator_links_an_officer_in_the_admin(client, administrator, line):
    mads = officer("mads", "mads@kommune.dk")
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(administrator)
    url = reverse("admin:grants_grantapplication_change", args=[application.pk])
    assert "linked_officers" in client.get(url).content.decode()

    client.post(url, {"linked_officers": [mads.pk]})

    assert list(application.linked_officers.all()) == [mads]
    entry = AuditEntry.objects.get(action="grant.link_officers")
    assert (entry.actor, entry.data["added"]) == (administrator, "mads")
    client.force_login(mads)
    before = decision(application)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "100"},
    )
    assert decision(application) == before


def test_the_admin_changes_nothing_else_on_an_application(client, administrator):
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("5000"))
    client.force_login(administrator)
    client.post(
        reverse("admin:grants_grantapplication_change", args=[application.pk]),
        {"state": "approved", "amount_granted": "5000", "linked_officers": []},
    )
    assert decision(application) == (S.IN_REVIEW, None, None, 0)


# Four eyes see the same amount


@pytest.fixture
def four_eyes():
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 1000}
    )
    return officer("anna", "anna@kommune.dk"), officer("bo", "bo@kommune.dk")


def test_a_confirmation_of_an_amount_nobody_showed_is_refused(client, line, four_eyes):
    anna, bo = four_eyes
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("5000"))
    action = reverse("grants:officer_action", args=[application.pk, "approve"])
    confirm = reverse("grants:officer_action", args=[application.pk, "confirm"])

    client.force_login(anna)
    client.post(
        action, {"understood": "on", "amount": "2000", "reason": "Rimeligt", "rules": ["purpose"]}
    )
    client.force_login(bo)
    seen = client.get(reverse("grants:officer_case", args=[application.pk])).context["proposal"]
    assert seen.amount == Decimal("2000.00")
    client.force_login(anna)
    client.post(
        action, {"understood": "on", "amount": "4000", "reason": "Mere", "rules": ["purpose"]}
    )

    client.force_login(bo)
    response = client.post(confirm, {"proposal": seen.pk, "amount": "2000.00", "understood": "on"})

    assert decision(application) == (S.IN_REVIEW, None, None, 0)
    page = response.content.decode()
    assert "anna foreslår nu 4.000\xa0kr." in page  # the current proposal, in the refusal
    current = ApprovalProposal.objects.get(application=application, state=ProposalState.PENDING)
    assert current.amount == Decimal("4000.00")
    assert f'name="proposal" value="{current.pk}"' in page

    # Confirming what is now shown grants exactly that.
    client.post(confirm, {"proposal": current.pk, "amount": "4000.00", "understood": "on"})
    application.refresh_from_db()
    assert (application.state, application.amount_granted, application.decided_by) == (
        S.APPROVED,
        Decimal("4000.00"),
        bo,
    )
    history = [
        (
            e.kind,
            e.to_state,
            e.amount,
            e.officer.username,
            getattr(e.second_officer, "username", ""),
        )
        for e in application.events.exclude(kind=EventKind.MOVE, to_state=S.SUBMITTED)
    ]
    assert history == [
        (EventKind.PROPOSED, "", Decimal("2000.00"), "anna", ""),
        (EventKind.PROPOSAL_WITHDRAWN, "", Decimal("2000.00"), "anna", "anna"),
        (EventKind.PROPOSED, "", Decimal("4000.00"), "anna", ""),
        (EventKind.MOVE, S.APPROVED, Decimal("4000.00"), "bo", "anna"),
    ]
    actions = list(
        AuditEntry.objects.filter(
            object_type="grants.GrantApplication", object_id=str(application.pk)
        )
        .order_by("pk")
        .values_list("action", "actor__username", "amount")
    )
    assert actions == [
        ("grant.propose", "anna", Decimal("2000.00")),
        ("grant.proposal_withdrawn", "anna", Decimal("2000.00")),
        ("grant.propose", "anna", Decimal("4000.00")),
        ("grant.approved", "bo", Decimal("4000.00")),
    ]
    assert AuditEntry.objects.get(action="grant.approved").data["proposed_by"] == "anna"
    # The officer's case page shows both officers in the history.
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "Bevilget, 4.000\xa0kr. (bo, foreslået af anna)" in page


def test_the_proposer_cannot_confirm_their_own_proposal(client, line, four_eyes):
    anna, _bo = four_eyes
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("5000"))
    client.force_login(anna)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "3000", "reason": "Rimeligt", "rules": ["purpose"]},
    )
    proposal = ApprovalProposal.objects.get(application=application)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "Bekræft" not in page
    client.post(
        reverse("grants:officer_action", args=[application.pk, "confirm"]),
        {"understood": "on", "proposal": proposal.pk, "amount": "3000.00"},
    )
    assert decision(application) == (S.IN_REVIEW, None, None, 0)


def test_a_proposal_beyond_the_lines_balance_is_refused_when_made(client, line, four_eyes):
    anna, _bo = four_eyes
    book_commitment(line=line, amount=146_000, description="Andet", source="manual",
                    manual_cause="membership",
                    reason="Test", actor=None)  # fmt: skip
    application = GrantApplicationFactory(
        state=S.IN_REVIEW, amount_requested=Decimal("30000"), scheme__cap=None
    )
    client.force_login(anna)
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "30000", "reason": "Vigtig tur"},
    )
    assert response.status_code == 400
    assert not ApprovalProposal.objects.exists()
    assert "4.000\xa0kr. tilbage" in response.content.decode()


def test_the_balance_is_checked_again_when_a_proposal_is_confirmed(client, line, four_eyes):
    anna, bo = four_eyes
    application = GrantApplicationFactory(
        state=S.IN_REVIEW, amount_requested=Decimal("30000"), scheme__cap=None
    )
    client.force_login(anna)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "30000"},
    )
    proposal = ApprovalProposal.objects.get(application=application)
    # Meanwhile the line is spent elsewhere.
    book_commitment(line=line, amount=130_000, description="Andet", source="manual",
                    manual_cause="membership",
                    reason="Test", actor=None)  # fmt: skip
    client.force_login(bo)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "confirm"]),
        {"understood": "on", "proposal": proposal.pk, "amount": "30000.00"},
    )
    assert decision(application)[:3] == (S.IN_REVIEW, None, None)
    assert balance_of(line).remaining == Decimal("20000.00")
    assert ApprovalProposal.objects.get(pk=proposal.pk).state == ProposalState.PENDING


def test_a_refused_decision_keeps_what_the_officer_typed(client, line, grant_officer):
    line.amount = Decimal("4000")
    line.save()
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("9000"))
    client.force_login(grant_officer)
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "9000", "reason": "Et godt projekt for foreningen"},
    )
    assert response.status_code == 400
    form = response.context["forms"]["approve"]
    assert form.errors["amount"] == [
        f"{line.name} har 4.000\xa0kr. tilbage; 9.000\xa0kr. kan ikke bogføres."
    ]
    page = response.content.decode()
    assert 'value="9000"' in page
    assert "Et godt projekt for foreningen</textarea>" in page
    assert decision(application) == (S.IN_REVIEW, None, None, 0)


def test_a_rejection_withdraws_the_pending_proposal(client, line, four_eyes):
    anna, bo = four_eyes
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("5000"))
    client.force_login(anna)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "3000", "reason": "Rimeligt", "rules": ["purpose"]},
    )
    client.force_login(bo)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "reject"]),
        {"understood": "on", "reason": "Nej", "rules": ["purpose"]},
    )
    assert list(ApprovalProposal.objects.values_list("state", "closed_by__username")) == [
        (ProposalState.WITHDRAWN, "bo")
    ]
