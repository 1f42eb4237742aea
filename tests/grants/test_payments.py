"""Marking a grant paid (date and the finance system's reference), reversing a payment (the
budget line's sums follow, the recount agrees), and batch moves that ask once."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from budgets.models import BudgetLine, Commitment
from budgets.selectors import balance_of
from grants import services
from grants.enums import ApplicationState, EventKind
from grants.models import ApplicationEvent, GrantApplication
from portal.models import AuditEntry
from portal.tallies import recount
from tests.factories import GrantApplicationFactory
from tests.grants.conftest import officer
from tests.grants.unchanged import everything

pytestmark = pytest.mark.django_db
S = ApplicationState
TODAY = timezone.localdate


@pytest.fixture
def granted(line, grant_officer):
    """A case granted 12,000 kr. from INT-UNG through the service."""
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.approve(application=application, officer=grant_officer, amount="12000")
    return GrantApplication.objects.get(pk=application.pk)


@pytest.fixture
def paid(granted, grant_officer):
    services.mark_paid(
        application=granted,
        officer=grant_officer,
        reference="FIN-2026-0042",
        paid_on=TODAY(),
    )
    return GrantApplication.objects.get(pk=granted.pk)


def pay(client, application, **data):
    """The payment form sent from the case page, its box "I understand" ticked."""
    return client.post(
        reverse("grants:officer_action", args=[application.pk, "paid"]),
        {"understood": "on", **data},
    )


def test_marking_paid_on_the_case_page_records_the_date_and_reference(
    client, granted, grant_officer, line
):
    client.force_login(grant_officer)
    GrantApplication.objects.filter(pk=granted.pk).update(organisation_cvr="58271713")

    response = pay(client, granted, paid_on=TODAY().isoformat(), reference="  FIN 2026  42 ")

    assert response.status_code == 302
    application = GrantApplication.objects.get(pk=granted.pk)
    assert (application.state, application.paid_on, application.payment_reference) == (
        S.PAID,
        TODAY(),
        "FIN 2026 42",
    )
    event = application.events.last()
    assert (event.to_state, event.amount, event.reason) == (
        S.PAID,
        Decimal("12000.00"),
        "FIN 2026 42",
    )
    entry = AuditEntry.objects.get(action="grant.paid")
    assert (entry.reason, entry.amount) == ("FIN 2026 42", Decimal("12000.00"))
    balance = balance_of(line)
    assert (balance.committed, balance.spent) == (Decimal("12000.00"), Decimal("12000.00"))
    page = client.get(reverse("grants:officer_case", args=[granted.pk])).content.decode()
    payment = page[page.index('id="payment"') : page.index('id="records"')]
    assert "FIN 2026 42" in payment
    assert "Sofie Jensen, FDF Ballerup (CVR-nummer 58271713)" in payment


def test_the_payment_date_is_today_unless_given(client, granted, grant_officer):
    client.force_login(grant_officer)
    pay(client, granted, paid_on="", reference="FIN-1")
    assert GrantApplication.objects.get(pk=granted.pk).paid_on == TODAY()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"paid_on": "", "reference": ""},
            "reference",
            "Dette felt er påkrævet.",
        ),
        (
            {"paid_on": "", "reference": "X" * 61},
            "reference",
            "Denne værdi må højst have 60 tegn (den har 61).",
        ),
        (
            {"paid_on": "2999-01-01", "reference": "FIN-1"},
            "paid_on",
            "Udbetalingsdatoen kan ikke ligge i fremtiden.",
        ),
        (
            {"paid_on": "1. april", "reference": "FIN-1"},
            "paid_on",
            "Indtast en gyldig dato.",
        ),
    ],
)
def test_a_wrong_payment_is_refused_at_the_field_and_changes_nothing(
    client, granted, grant_officer, data, field, message
):
    client.force_login(grant_officer)
    before = everything()

    response = pay(client, granted, **data)

    assert response.status_code == 400
    form = response.context["forms"]["paid"]
    assert form.errors[field] == [message]
    assert form["reference"].value() == data["reference"]  # what was typed is kept
    assert everything() == before


@pytest.mark.parametrize("reference", ["", "   \t "])
def test_the_service_refuses_a_payment_without_a_reference(granted, grant_officer, reference):
    before = everything()
    with pytest.raises(services.GrantError) as refused:
        services.mark_paid(application=granted, officer=grant_officer, reference=reference)
    assert (str(refused.value), refused.value.field) == (
        "Skriv økonomisystemets reference for udbetalingen.",
        "reference",
    )
    assert everything() == before


def test_a_payment_before_the_decision_is_refused(client, granted, grant_officer):
    client.force_login(grant_officer)
    before = everything()
    earlier = timezone.localtime(granted.decided_at).date() - datetime.timedelta(days=1)

    response = pay(client, granted, paid_on=earlier.isoformat(), reference="FIN-1")

    assert response.status_code == 400
    assert (
        response.context["forms"]["paid"]
        .errors["paid_on"][0]
        .startswith("Udbetalingsdatoen kan ikke ligge før tilskuddet blev afgjort")
    )
    assert everything() == before


def test_reversing_a_payment_moves_the_line_back_and_the_recount_agrees(
    client, paid, grant_officer, line
):
    client.force_login(grant_officer)
    assert BudgetLine.objects.get(pk=line.pk).grants_spent == Decimal("12000.00")

    response = client.post(
        reverse("grants:officer_action", args=[paid.pk, "reverse_payment"]),
        {"reason": "Udbetalt til forkert konto"},
    )

    assert response.status_code == 302
    application = GrantApplication.objects.get(pk=paid.pk)
    assert (application.state, application.paid_on, application.payment_reference) == (
        S.APPROVED,
        None,
        "",
    )
    kept = BudgetLine.objects.get(pk=line.pk)
    assert (kept.committed, kept.spent, kept.grants_committed, kept.grants_spent) == (
        Decimal("12000.00"),
        Decimal("0.00"),
        Decimal("12000.00"),
        Decimal("0.00"),
    )
    assert list(Commitment.objects.values_list("amount", "is_spent")) == [
        (Decimal("12000.00"), False)
    ]
    assert recount() == {}
    call_command("recount")  # exits 0: every kept total equals its rows
    reversal = ApplicationEvent.objects.get(application=paid, kind=EventKind.PAYMENT_REVERSED)
    assert (reversal.reason, reversal.amount, reversal.officer) == (
        "Udbetalt til forkert konto",
        Decimal("12000.00"),
        grant_officer,
    )
    entry = AuditEntry.objects.get(action="grant.payment_reversed")
    assert entry.reason == "Udbetalt til forkert konto"
    assert entry.data["reference"] == "FIN-2026-0042"
    assert entry.data["paid_on"] == TODAY().isoformat()
    assert AuditEntry.objects.filter(action="budget.unspent").count() == 1
    page = client.get(reverse("grants:officer_case", args=[paid.pk])).content.decode()
    history = page[page.index('<ol class="history">') :]
    assert "Udbetaling tilbageført, 12.000\xa0kr. (officer): Udbetalt til forkert konto" in history
    # The grant can be paid again, under the new reference.
    pay(client, application, reference="FIN-2026-0043")
    application.refresh_from_db()
    assert (application.state, application.payment_reference) == (S.PAID, "FIN-2026-0043")
    assert BudgetLine.objects.get(pk=line.pk).spent == Decimal("12000.00")


def test_a_reversal_needs_a_reason(client, paid, grant_officer):
    client.force_login(grant_officer)
    before = everything()
    response = client.post(
        reverse("grants:officer_action", args=[paid.pk, "reverse_payment"]), {"reason": " "}
    )
    assert response.status_code == 400
    assert response.context["forms"]["reverse_payment"].errors["reason"] == [
        "Dette felt er påkrævet."
    ]
    assert everything() == before


def test_the_service_refuses_a_reversal_without_a_reason(paid, grant_officer):
    with pytest.raises(services.GrantError) as refused:
        services.reverse_payment(application=paid, officer=grant_officer, reason="")
    assert refused.value.field == "reason"
    assert GrantApplication.objects.get(pk=paid.pk).state == S.PAID


def test_an_unpaid_grant_cannot_be_reversed(client, granted, grant_officer):
    client.force_login(grant_officer)
    before = everything()
    response = client.post(
        reverse("grants:officer_action", args=[granted.pk, "reverse_payment"]),
        {"reason": "Fejl"},
    )
    assert response.status_code == 409
    assert "Kun en udbetalt bevillings udbetaling kan tilbageføres." in response.content.decode()
    assert everything() == before


@pytest.mark.parametrize("persona", ["coordinator", "secretary", "finance_clerk", "no_role"])
def test_only_an_officer_reverses_or_pays(client, request, paid, persona):
    client.force_login(request.getfixturevalue(persona))
    before = everything()
    for action, data in (
        ("reverse_payment", {"reason": "Fejl"}),
        ("paid", {"reference": "X", "understood": "on"}),
    ):
        response = client.post(reverse("grants:officer_action", args=[paid.pk, action]), data)
        assert response.status_code == 403
    assert everything() == before


def test_an_officer_cannot_reverse_the_payment_of_his_own_case(client, line):
    mads = officer("mads", "mads@kommune.dk")
    anna = officer("anna", "anna@kommune.dk")
    own = GrantApplicationFactory(
        state=S.IN_REVIEW, applicant_email="mads@kommune.dk", amount_requested=5000
    )
    services.approve(application=own, officer=anna, amount="5000")
    services.mark_paid(application=own, officer=anna, reference="FIN-9")
    client.force_login(mads)
    before = everything()
    response = client.post(
        reverse("grants:officer_action", args=[own.pk, "reverse_payment"]), {"reason": "Fejl"}
    )
    assert response.status_code == 403
    assert everything() == before


# Batches: the cases, their count and total first; one confirmation; then the moves.


def batch(client, **data):
    return client.post(reverse("grants:queue_batch"), data)


@pytest.fixture
def approved(line, grant_officer):
    cases = []
    for amount in ("5000", "7500.50"):
        application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=amount)
        services.approve(application=application, officer=grant_officer, amount=amount)
        cases.append(application)
    return cases


def test_a_batch_first_shows_the_cases_their_count_and_total_and_changes_nothing(
    client, grant_officer, approved
):
    in_review = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    before = everything()

    response = batch(client, action="paid", cases=[a.pk for a in [*approved, in_review]])

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 sager, 12.500,50\xa0kr. i alt." in page
    table = page[page.index('id="batch-cases"') : page.index("</table>")]
    assert [a.case_number in table for a in approved] == [True, True]
    assert in_review.case_number not in table
    refused = page[page.index('id="batch-refused"') :]
    assert f"{in_review.case_number}</a>: En ansøgning med status “Under behandling”" in refused
    assert 'name="confirmed" value="yes"' in page
    assert 'name="reference"' in page
    assert everything() == before


def test_a_confirmed_batch_without_a_reference_is_refused_at_the_field(
    client, grant_officer, approved
):
    client.force_login(grant_officer)
    before = everything()
    response = batch(
        client, action="paid", cases=[a.pk for a in approved], confirmed="yes", reference=""
    )
    assert response.status_code == 400
    assert response.context["paid_form"].errors["reference"] == ["Dette felt er påkrævet."]
    assert "2 sager, 12.500,50\xa0kr. i alt." in response.content.decode()
    assert everything() == before


def test_a_future_date_in_a_batch_pays_nothing(client, grant_officer, approved):
    client.force_login(grant_officer)
    before = everything()
    response = batch(
        client,
        action="paid",
        cases=[a.pk for a in approved],
        confirmed="yes",
        reference="FIN-77",
        paid_on=(TODAY() + datetime.timedelta(days=1)).isoformat(),
    )
    refused = response.context["refused"]
    assert [why for _pk, _case, why in refused] == [
        "Udbetalingsdatoen kan ikke ligge i fremtiden."
    ] * 2
    assert everything() == before


def test_a_confirmed_batch_pays_each_case_with_the_one_reference(
    client, grant_officer, approved, line
):
    client.force_login(grant_officer)
    response = batch(
        client,
        action="paid",
        cases=[a.pk for a in approved],
        confirmed="yes",
        reference="Betalingskørsel 2026-11",
        paid_on=TODAY().isoformat(),
    )
    assert [a.pk for a in response.context["done"]] == [a.pk for a in approved]
    assert (
        sorted(
            GrantApplication.objects.filter(pk__in=[a.pk for a in approved]).values_list(
                "state", "paid_on", "payment_reference"
            )
        )
        == [(S.PAID, TODAY(), "Betalingskørsel 2026-11")] * 2
    )
    assert balance_of(line).spent == Decimal("12500.50")


def test_reports_received_in_a_batch_are_confirmed_first(client, grant_officer):
    with_report = GrantApplicationFactory(state=S.REPORT_DUE, report_submitted_at=timezone.now())
    client.force_login(grant_officer)
    before = everything()
    response = batch(client, action="report_received", cases=[with_report.pk])
    assert "1 sag, 12.000\xa0kr. i alt." in response.content.decode()
    assert 'name="reference"' not in response.content.decode()
    assert everything() == before
    batch(client, action="report_received", cases=[with_report.pk], confirmed="yes")
    assert GrantApplication.objects.get(pk=with_report.pk).state == S.REPORT_RECEIVED
