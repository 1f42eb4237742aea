"""Repayment of an unspent grant: the officer sees the difference, claims it back (mail to the
applicant), records it repaid, and the grant's commitment on the budget line is reduced in
the same transaction as its kept totals. Each control is tried around too."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Commitment
from budgets.selectors import balance_of
from budgets.services import BudgetError, reduce_commitment
from grants import services
from grants.enums import ApplicationState, EventKind
from grants.models import ApplicationEvent, GrantApplication
from grants.permissions import allowed_actions
from portal.models import AuditEntry, OutboxMail
from tests.factories import GrantApplicationFactory, GrantSchemeFactory

pytestmark = pytest.mark.django_db
S = ApplicationState


def reported(client, officer, *, spent="9000", language="da"):
    """A grant of 12,000 kr., paid, the trip over and its report in with `spent` travel."""
    today = timezone.localdate()
    application = GrantApplicationFactory(
        state=S.IN_REVIEW,
        language=language,
        departs_on=today - datetime.timedelta(days=10),
        returns_on=today - datetime.timedelta(days=3),
    )
    services.approve(application=application, officer=officer, amount=Decimal("12000"))
    services.mark_paid(application=application, officer=officer, reference="F-1")
    client.post(
        application.get_case_url(),
        {
            "action": "report",
            "report": "Det gik godt.",
            "participants": "10",
            "cost_travel": spent,
            "cost_accommodation": "0",
            "cost_other": "0",
        },
    )
    return GrantApplication.objects.get(pk=application.pk)


def snapshot(application) -> tuple:
    application = GrantApplication.objects.get(pk=application.pk)
    return (
        application.state,
        application.repayment_claimed,
        application.repaid_on,
        list(ApplicationEvent.objects.filter(application=application).values_list("pk")),
        list(Commitment.objects.values_list("pk", "amount")),
        AuditEntry.objects.count(),
        OutboxMail.objects.count(),
    )


def act(client, application, action, data=None):
    return client.post(reverse("grants:officer_action", args=[application.pk, action]), data or {})


def test_the_unspent_grant_is_claimed_repaid_and_taken_off_the_budget_line(
    client, line, grant_officer
):
    application = reported(client, grant_officer, language="en")
    assert balance_of(line).remaining == Decimal("138000.00")
    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "3.000\u00a0kr. mindre brugt end bevilget" in page
    assert 'name="amount" value="3000,00"' in page  # the claim starts from the difference
    # The scheme's rule holds: the case is not closed before the repayment is claimed.
    before = snapshot(application)
    response = act(client, application, "close")
    assert "Afrapporteringens udgifter er 3.000\u00a0kr. under tilskuddet" in (
        response.content.decode()
    )
    assert snapshot(application) == before

    act(client, application, "claim_repayment", {"amount": "3000"})
    application.refresh_from_db()
    assert application.repayment_claimed == Decimal("3000")
    claimed = application.events.get(kind=EventKind.REPAYMENT_CLAIMED)
    assert (claimed.officer, claimed.amount) == (grant_officer, Decimal("3000"))
    (mail,) = OutboxMail.objects.filter(kind="grants.repayment")
    assert mail.subject == "Repayment of unspent grant"  # the applicant's language
    assert "please repay DKK 3,000 to the municipality" in " ".join(mail.body.split())
    # Closing waits for the money, and says so; the queue shows who waits.
    response = act(client, application, "close")
    assert "Tilbagebetalingen af 3.000\u00a0kr. er endnu ikke registreret" in (
        response.content.decode()
    )
    (row,) = client.get(reverse("grants:queue"), {"state": S.PAID}).context["page"]
    assert row.waiting.what == "Tilbagebetaling krævet: venter på pengene"

    repaid_on = timezone.localdate() - datetime.timedelta(days=1)
    act(client, application, "repaid", {"repaid_on": repaid_on.isoformat()})
    application.refresh_from_db()
    assert application.repaid_on == repaid_on
    booking = Commitment.objects.get(grant_application=application, amount__gt=0)
    reduction = Commitment.objects.get(reduces=booking)
    assert (reduction.amount, reduction.line, reduction.is_spent) == (
        Decimal("-3000.00"),
        line,
        True,
    )
    assert balance_of(line).remaining == Decimal("141000.00")
    assert AuditEntry.objects.filter(action="grant.repaid").count() == 1
    assert AuditEntry.objects.get(action="budget.reduce").amount == Decimal("3000")
    # The recount after the test (tests/conftest.py) proves the line's kept totals moved.

    act(client, application, "close")
    assert GrantApplication.objects.get(pk=application.pk).state == S.CLOSED


def test_a_claim_of_another_amount_reduces_by_that_amount(client, line, grant_officer):
    application = reported(client, grant_officer)
    client.force_login(grant_officer)
    act(client, application, "claim_repayment", {"amount": "2000"})
    act(client, application, "repaid", {"repaid_on": timezone.localdate().isoformat()})
    assert balance_of(line).remaining == Decimal("140000.00")


def test_nothing_is_claimed_when_the_scheme_does_not_claim_back(client, line, grant_officer):
    scheme = GrantSchemeFactory()
    scheme.repay_unspent = False
    scheme.save()
    application = reported(client, grant_officer)
    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "mindre brugt end bevilget" not in page
    assert "claim_repayment" not in allowed_actions(application, officer=grant_officer)
    before = snapshot(application)
    response = act(client, application, "claim_repayment", {"amount": "3000"})
    assert response.status_code == 409
    assert snapshot(application) == before


def test_nothing_is_claimed_when_the_costs_are_not_below_the_grant(client, line, grant_officer):
    application = reported(client, grant_officer, spent="12500")
    client.force_login(grant_officer)
    before = snapshot(application)
    response = act(client, application, "claim_repayment", {"amount": "500"})
    assert "Intet skal tilbagebetales" in response.content.decode()
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("amount", "status", "message"),
    [
        ("12001", 400, "Der kan højst kræves tilskuddet, 12.000\u00a0kr., tilbage."),
        ("0", 400, ""),
        ("abc", 400, ""),
    ],
)
def test_a_wrong_claim_is_refused_at_the_field(
    client, line, grant_officer, amount, status, message
):
    application = reported(client, grant_officer)
    client.force_login(grant_officer)
    before = snapshot(application)
    response = act(client, application, "claim_repayment", {"amount": amount})
    assert response.status_code == status
    assert response.context["forms"]["claim_repayment"].errors["amount"]
    assert message in response.content.decode()
    assert snapshot(application) == before


def test_repaid_is_refused_without_a_claim_twice_or_in_the_future(client, line, grant_officer):
    application = reported(client, grant_officer)
    client.force_login(grant_officer)
    before = snapshot(application)
    today = timezone.localdate()
    assert act(client, application, "repaid", {"repaid_on": today.isoformat()}).status_code == 409
    assert snapshot(application) == before

    act(client, application, "claim_repayment", {"amount": "3000"})
    before = snapshot(application)
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = act(client, application, "repaid", {"repaid_on": tomorrow})
    assert "Datoen kan ikke ligge i fremtiden." in response.content.decode()
    assert snapshot(application) == before

    act(client, application, "repaid", {"repaid_on": today.isoformat()})
    before = snapshot(application)
    assert act(client, application, "repaid", {"repaid_on": today.isoformat()}).status_code == 409
    assert snapshot(application) == before
    assert balance_of(line).remaining == Decimal("141000.00")  # reduced once


def test_others_cannot_claim_or_record_a_repayment(client, line, grant_officer, coordinator):
    application = reported(client, grant_officer)
    other = reported(client, grant_officer)
    before = (snapshot(application), snapshot(other))
    # The applicant, through their own link and another applicant's.
    client.post(application.get_case_url(), {"action": "claim_repayment", "amount": "1"})
    client.post(other.get_case_url(), {"action": "repaid", "repaid_on": "2026-01-01"})
    # Another role, and an officer linked to the case.
    client.force_login(coordinator)
    assert act(client, application, "claim_repayment", {"amount": "3000"}).status_code in (
        403,
        404,
    )
    application.linked_officers.add(grant_officer)
    client.force_login(grant_officer)
    assert act(client, application, "claim_repayment", {"amount": "3000"}).status_code == 403
    assert (snapshot(application), snapshot(other)) == before


def test_a_commitment_is_never_reduced_below_nothing(line, grant_officer):
    from budgets.enums import CommitmentSource
    from budgets.services import book_commitment

    booking = book_commitment(
        line=line,
        amount=Decimal("1000"),
        description="x",
        source=CommitmentSource.MANUAL,
        manual_cause="membership",
        actor=grant_officer,
        reason="Test",
    )
    reduce_commitment(commitment=booking, amount=Decimal("600"), actor=grant_officer, reason="r")
    with pytest.raises(BudgetError):
        reduce_commitment(
            commitment=booking, amount=Decimal("500"), actor=grant_officer, reason="r"
        )
    assert list(Commitment.objects.filter(reduces=booking).values_list("amount", flat=True)) == [
        Decimal("-600.00")
    ]
    assert balance_of(line).remaining == Decimal("149600.00")  # 150,000 - 1,000 + 600


def test_a_report_with_a_repayment_claimed_is_not_sent_back(client, line, grant_officer):
    application = reported(client, grant_officer)
    client.force_login(grant_officer)
    act(client, application, "claim_repayment", {"amount": "3000"})
    before = snapshot(application)
    response = act(client, application, "revision", {"note": "Ret tallene."})
    assert response.status_code == 409
    assert "Der er krævet en tilbagebetaling" in response.content.decode()
    assert snapshot(application) == before
