"""Every move of an application, allowed and refused; money, four eyes, separation of duties."""

import datetime
import io
import threading
from contextvars import copy_context  # each thread in the test's municipality
from decimal import Decimal

import pytest
from django.db import connection, connections
from pypdf import PdfReader

from budgets.selectors import balance_of
from budgets.services import BudgetError
from grants import services
from grants.enums import Actor, ApplicationState
from grants.models import ApplicationEvent, GrantApplication
from grants.permissions import allowed_actions
from portal.models import SiteSettings
from tests.conftest import deliver
from tests.factories import (
    BudgetLineFactory,
    BudgetYearFactory,
    GrantApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


def remaining(line) -> Decimal:
    return balance_of(line).remaining


OFF, APP, SYS = Actor.OFFICER, Actor.APPLICANT, Actor.SYSTEM
# The moves the grant rules allow, written out here rather than read from the table under test.
EXPECTED_MOVES = {
    (S.UNCONFIRMED, S.SUBMITTED, APP),
    (S.SUBMITTED, S.IN_REVIEW, OFF),
    (S.SUBMITTED, S.WITHDRAWN, APP),
    (S.IN_REVIEW, S.INFO_REQUESTED, OFF),
    (S.IN_REVIEW, S.APPROVED, OFF),
    (S.IN_REVIEW, S.REJECTED, OFF),
    (S.IN_REVIEW, S.WITHDRAWN, APP),
    (S.INFO_REQUESTED, S.IN_REVIEW, APP),
    (S.INFO_REQUESTED, S.IN_REVIEW, OFF),
    (S.INFO_REQUESTED, S.REJECTED, OFF),
    (S.INFO_REQUESTED, S.WITHDRAWN, APP),
    (S.APPROVED, S.PAID, OFF),
    (S.APPROVED, S.WITHDRAWN, APP),
    (S.PAID, S.APPROVED, OFF),  # a payment reversed
    (S.PAID, S.REPORT_DUE, SYS),
    (S.PAID, S.REPORT_DUE, OFF),
    (S.PAID, S.REPORT_RECEIVED, OFF),
    (S.REPORT_DUE, S.REPORT_RECEIVED, OFF),
    (S.REPORT_RECEIVED, S.CLOSED, OFF),
    (S.REJECTED, S.CLOSED, OFF),
    (S.REJECTED, S.CLOSED, SYS),
    (S.WITHDRAWN, S.CLOSED, OFF),
    (S.WITHDRAWN, S.CLOSED, SYS),
    # Hearing the applicant (partshøring), and closing a paid case whose report is in.
    (S.IN_REVIEW, S.HEARING, OFF),
    (S.HEARING, S.IN_REVIEW, APP),
    (S.HEARING, S.IN_REVIEW, OFF),
    (S.HEARING, S.WITHDRAWN, APP),
    (S.PAID, S.CLOSED, OFF),
    (S.REPORT_DUE, S.CLOSED, OFF),
}


@pytest.mark.parametrize("to_state", S.values)
@pytest.mark.parametrize("from_state", S.values)
@pytest.mark.parametrize("actor", Actor.values)
def test_every_move_is_allowed_or_refused_as_the_rules_say(from_state, to_state, actor):
    application = GrantApplicationFactory(state=from_state)
    if (from_state, to_state, actor) in EXPECTED_MOVES:
        services.move(application=application, to_state=to_state, actor=actor)
        application.refresh_from_db()
        assert application.state == to_state
        assert ApplicationEvent.objects.get(application=application).to_state == to_state
    else:
        with pytest.raises(services.GrantError):
            services.move(application=application, to_state=to_state, actor=actor)
        application.refresh_from_db()
        assert application.state == from_state
        assert not ApplicationEvent.objects.filter(application=application).exists()


# What each person may do in each state: the case pages show exactly these.
EXPECTED_OFFICER_ACTIONS = {
    S.UNCONFIRMED: [],
    S.SUBMITTED: ["review", "declare_conflict", "take", "hand_over", "note"],
    S.IN_REVIEW: [
        "question",
        "approve",
        "reject",
        "hearing",
        "declare_conflict",
        "take",
        "hand_over",
        "note",
    ],
    S.INFO_REQUESTED: [
        "reject",
        "withdraw_question",
        "declare_conflict",
        "take",
        "hand_over",
        "note",
    ],
    S.APPROVED: ["paid", "declare_conflict", "take", "hand_over", "note"],
    # A report is marked received only once the applicant has sent one (below).
    S.PAID: ["report_due", "declare_conflict", "reverse_payment", "take", "hand_over", "note"],
    S.REPORT_DUE: ["declare_conflict", "take", "hand_over", "note"],
    S.REPORT_RECEIVED: ["close", "declare_conflict", "take", "hand_over", "note"],
    S.REJECTED: ["close", "declare_conflict", "take", "hand_over", "note"],
    S.WITHDRAWN: ["close", "declare_conflict", "take", "hand_over", "note"],
    # A closed case still takes a note for colleagues (and nothing else).
    S.CLOSED: ["note"],
    # Going on without comments only after the deadline (tests/grants/test_hearing.py).
    S.HEARING: ["declare_conflict", "take", "hand_over", "note"],
}
EXPECTED_APPLICANT_ACTIONS = {
    S.UNCONFIRMED: ["confirm_email"],
    S.SUBMITTED: ["withdraw"],
    S.IN_REVIEW: ["withdraw"],
    S.INFO_REQUESTED: ["answer", "withdraw"],
    S.APPROVED: ["withdraw"],
    S.PAID: ["report"],
    S.REPORT_DUE: ["report"],
    S.REPORT_RECEIVED: [],
    S.REJECTED: [],
    S.WITHDRAWN: [],
    S.CLOSED: [],
    S.HEARING: ["comment", "withdraw"],
}


@pytest.mark.parametrize("state", S.values)
def test_the_actions_each_person_may_take_in_each_state(state, grant_officer):
    # A trip long over: the report is overdue when paid (not before; test_report_back.py).
    application = GrantApplicationFactory(
        state=state,
        departs_on=datetime.date(2020, 5, 1),
        returns_on=datetime.date(2020, 5, 8),
    )
    assert allowed_actions(application, officer=grant_officer) == EXPECTED_OFFICER_ACTIONS[state]
    assert allowed_actions(application) == EXPECTED_APPLICANT_ACTIONS[state]
    # Nobody else on the staff has an action, and an officer has none on a conflicted case.
    assert allowed_actions(application, officer=UserFactory(username="clerk")) == []
    application.linked_officers.add(grant_officer)
    assert allowed_actions(application, officer=grant_officer) == []


@pytest.mark.parametrize("state", [S.PAID, S.REPORT_DUE])
def test_a_report_is_marked_received_only_when_there_is_one(state, grant_officer, client):
    from django.urls import reverse
    from django.utils import timezone

    application = GrantApplicationFactory(state=state)
    client.force_login(grant_officer)
    client.post(reverse("grants:officer_action", args=[application.pk, "report_received"]))
    assert GrantApplication.objects.get(pk=application.pk).state == state
    with pytest.raises(services.GrantError):
        services.simple_move(
            application=application, officer=grant_officer, to_state=S.REPORT_RECEIVED
        )
    application.report_submitted_at = timezone.now()
    application.save()
    assert "report_received" in allowed_actions(application, officer=grant_officer)
    client.post(reverse("grants:officer_action", args=[application.pk, "report_received"]))
    assert GrantApplication.objects.get(pk=application.pk).state == S.REPORT_RECEIVED


def test_approval_books_the_amount_on_the_schemes_line_and_sends_the_letter(
    line, grant_officer, django_capture_on_commit_callbacks
):
    application = GrantApplicationFactory(state=S.IN_REVIEW, applicant_name="Sofie Jensen")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(
            application=application, officer=grant_officer, amount="12000", reason="Godt formål"
        )

    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (S.APPROVED, Decimal("12000.00"))
    assert remaining(line) == Decimal("138000.00")
    message = deliver()[-1]
    assert message.to == [application.applicant_email]
    assert message.subject == "Afgørelse på din ansøgning"
    assert f"http://127.0.0.1:8000/grants/case/{application.token}/" in message.body
    filename, content, mimetype = message.attachments[0]
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "Din ansøgning er bevilget" in text
    assert "Du får bevilget 12.000 kr. (du søgte 12.000 kr.)" in text
    assert "Sofie Jensen" in text and "Godt formål" in text


def test_the_letter_is_in_the_applicants_language(
    line, grant_officer, django_capture_on_commit_callbacks
):
    application = GrantApplicationFactory(state=S.IN_REVIEW, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(
            application=application, officer=grant_officer, reason="Too late", rules=["period"]
        )
    text = PdfReader(io.BytesIO(deliver()[-1].attachments[0][1])).pages[0].extract_text()
    assert "Your application is rejected" in text
    assert deliver()[-1].subject == "Decision on your application"


def test_approval_never_overspends_the_line(line, grant_officer):
    line.amount = Decimal("5000")
    line.save()
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("6000"))
    with pytest.raises(BudgetError):
        services.approve(application=application, officer=grant_officer, amount="6000")
    application.refresh_from_db()
    assert (application.state, application.amount_granted) == (S.IN_REVIEW, None)


def test_amount_at_most_what_was_asked_and_the_cap(line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("12000"))
    with pytest.raises(services.GrantError):
        services.approve(application=application, officer=grant_officer, amount="12001")
    application.amount_requested = Decimal("20000")
    application.save()
    with pytest.raises(services.GrantError):
        services.approve(application=application, officer=grant_officer, amount="15001")


def test_an_officer_cannot_decide_their_own_or_a_linked_case(line, grant_officer):
    grant_officer.email = "officer@ballerup.dk"
    grant_officer.save()
    own = GrantApplicationFactory(state=S.IN_REVIEW, applicant_email="Officer@Ballerup.dk")
    linked = GrantApplicationFactory(state=S.IN_REVIEW)
    linked.linked_officers.add(grant_officer)
    for application in (own, linked):
        with pytest.raises(services.GrantError):
            services.approve(application=application, officer=grant_officer, amount="1000")
        with pytest.raises(services.GrantError):
            services.reject(application=application, officer=grant_officer, reason="Nej")
    assert remaining(line) == Decimal("150000.00")


def test_four_eyes_above_the_municipalitys_amount(line, grant_officer):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 10000}
    )
    second = UserFactory(username="second")
    second.groups.add(*grant_officer.groups.all())
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("12000"))

    proposal = services.approve(application=application, officer=grant_officer, amount="12000")
    application.refresh_from_db()
    assert (application.state, proposal.amount) == (S.IN_REVIEW, Decimal("12000.00"))
    assert remaining(line) == Decimal("150000.00")
    with pytest.raises(services.GrantError):
        services.confirm_approval(
            application=application, officer=grant_officer, proposal_id=proposal.pk, amount=12000
        )

    services.confirm_approval(
        application=application, officer=second, proposal_id=proposal.pk, amount="12000.00"
    )
    application.refresh_from_db()
    assert (application.state, application.decided_by) == (S.APPROVED, second)
    assert remaining(line) == Decimal("138000.00")


def test_at_or_below_the_amount_one_officer_decides(line, grant_officer):
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 12000}
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.approve(application=application, officer=grant_officer, amount="12000")
    application.refresh_from_db()
    assert application.state == S.APPROVED


def test_withdrawing_after_approval_gives_the_money_back(line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.approve(application=application, officer=grant_officer, amount="12000")
    services.withdraw(application=application)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert remaining(line) == Decimal("150000.00")


def test_paying_marks_the_commitment_spent(line, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    services.approve(application=application, officer=grant_officer, amount="12000")
    services.mark_paid(application=application, officer=grant_officer, reference="FIN-1")
    balance = balance_of(line)
    assert (balance.committed, balance.spent) == (Decimal("12000.00"), Decimal("12000.00"))


def test_a_question_and_its_answer(line, grant_officer, django_capture_on_commit_callbacks):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_information(
            application=application, officer=grant_officer, question="Hvor mange ledere deltager?"
        )
    assert deliver()[-1].subject == "Et spørgsmål om din ansøgning"
    services.answer(application=application, text="To ledere.")
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert list(application.messages.values_list("from_applicant", "text")) == [
        (False, "Hvor mange ledere deltager?"),
        (True, "To ledere."),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_officers_approving_at_once_never_overspend_the_line():
    from django.utils import timezone

    line = BudgetLineFactory(
        budget_year=BudgetYearFactory(year=timezone.localdate().year),
        code="INT-UNG",
        amount=Decimal("15000"),
    )
    officers = [UserFactory(username=f"officer{n}") for n in range(8)]
    applications = [
        GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=3000) for _ in range(8)
    ]
    start = threading.Barrier(8)
    results = []

    def approve(application, officer):
        start.wait()
        try:
            services.approve(application=application, officer=officer, amount="3000")
            results.append("approved")
        except BudgetError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=copy_context().run, args=[approve, *pair])
        for pair in zip(applications, officers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["approved"] * 5 + ["refused"] * 3
    assert remaining(line) == Decimal("0.00")
    assert GrantApplication.objects.filter(state=S.APPROVED).count() == 5
