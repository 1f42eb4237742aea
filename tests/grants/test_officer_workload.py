"""Officers see what waits for whom, are mailed when a case needs them, and repeat one move
over many cases through the same checks; the staff front page counts the work."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState
from grants.filters import ApplicationFilter
from grants.models import ApprovalProposal, GrantApplication
from grants.selectors import officer_cases
from grants.status import officer_waiting, queue_facts
from portal.models import AuditEntry, OutboxMail, SiteSettings
from tests.factories import (
    GrantApplicationFactory,
)
from tests.formdata import REPORTED_COSTS
from tests.grants.conftest import officer

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture
def officers():
    return officer("anna"), officer("bo")


def every_kind_of_case(anna, bo):
    """One case of each situation an officer meets, with Anna's and Bo's part in them."""
    proposed_by_anna = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("30000"))
    ApprovalProposal.objects.create(
        application=proposed_by_anna, amount=Decimal("30000"), proposed_by=anna
    )
    answered = GrantApplicationFactory(state=S.IN_REVIEW)
    answered.messages.create(text="Hvor mange?")
    answered.messages.create(text="Ti.", from_applicant=True)
    return {
        "new": GrantApplicationFactory(state=S.SUBMITTED),
        "proposed_by_anna": proposed_by_anna,
        "answered": answered,
        "asked": GrantApplicationFactory(state=S.INFO_REQUESTED),
        "to_pay": GrantApplicationFactory(state=S.APPROVED, amount_granted=Decimal("5000")),
        "report_sent": GrantApplicationFactory(
            state=S.REPORT_DUE, report_submitted_at=timezone.now()
        ),
        "report_overdue": GrantApplicationFactory(state=S.REPORT_DUE),
        "annas_own": GrantApplicationFactory(
            state=S.SUBMITTED, applicant_email="ANNA@kommune.example"
        ),
    }


def waiting(officer_user, application):
    (annotated,) = queue_facts(officer_cases().filter(pk=application.pk), officer_user)
    return officer_waiting(annotated, officer_user)


def test_the_queue_says_what_waits_for_whom_per_officer(client, officers):
    anna, bo = officers
    cases = every_kind_of_case(anna, bo)
    assert waiting(anna, cases["proposed_by_anna"]).what == (
        "Din indstilling på 30.000\u00a0kr. venter på en anden sagsbehandler"
    )
    assert waiting(bo, cases["proposed_by_anna"]).what == (
        "En indstilling på 30.000\u00a0kr. venter på din bekræftelse"
    )
    assert waiting(anna, cases["answered"]).what == "Ansøgeren har svaret: træf afgørelse"
    assert waiting(anna, cases["asked"]).who == "Ansøgeren"
    assert waiting(anna, cases["report_overdue"]).what == "Afrapportering forsinket"
    assert waiting(anna, cases["annas_own"]).who == "En anden sagsbehandler"

    client.force_login(anna)
    page = client.get(reverse("grants:queue"), {"state": "all"}).content.decode()
    assert "Hvad venter" in page and "Ansøgeren har svaret: træf afgørelse" in page


@pytest.mark.parametrize("who", ["anna", "bo"])
def test_needs_my_action_is_exactly_the_cases_waiting_for_me(client, officers, who):
    anna, bo = officers
    every_kind_of_case(anna, bo)
    me = anna if who == "anna" else bo
    client.force_login(me)
    shown = {a.pk for a in client.get(reverse("grants:queue")).context["page"]}
    mine = {a.pk for a in GrantApplication.objects.all() if waiting(me, a).mine}
    assert shown == mine
    assert len(mine) == (4 if who == "anna" else 6)  # Bo may confirm and decide Anna's own


def test_the_queue_sorts_by_age_and_amount(client, grant_officer):
    small = GrantApplicationFactory(state=S.SUBMITTED, amount_requested=Decimal("1000"))
    large = GrantApplicationFactory(state=S.SUBMITTED, amount_requested=Decimal("9000"))
    client.force_login(grant_officer)

    def ids(order):
        return [a.pk for a in client.get(reverse("grants:queue"), {"order": order}).context["page"]]

    assert ids("-amount") == [large.pk, small.pk]
    assert ids("amount") == [small.pk, large.pk]
    assert ids("age") == [small.pk, large.pk]  # the case waiting longest first, by default
    assert "År for indsendelse" in client.get(reverse("grants:queue")).content.decode()


def test_officers_are_mailed_when_the_applicant_answers_or_reports(client, officers, line):
    anna, bo = officers
    application = GrantApplicationFactory(state=S.INFO_REQUESTED, applicant_name="Sofie Hemmelig")
    application.events.create(actor="officer", officer=bo, to_state=S.INFO_REQUESTED)
    client.post(application.get_case_url(), {"action": "answer", "text": "Ti deltagere."})
    (mail,) = OutboxMail.objects.filter(kind="grants.officer.answered")
    assert mail.to == bo.email  # the officer who asked
    assert f"/staff/grants/{application.pk}/" in mail.body
    assert "Sofie" not in mail.body + mail.subject and "Ti deltagere" not in mail.body

    GrantApplication.objects.filter(pk=application.pk).update(state=S.PAID, decided_by=anna)
    client.post(
        application.get_case_url(),
        {"action": "report", "report": "Godt.", "cost_travel": "1", **REPORTED_COSTS},
    )
    (mail,) = OutboxMail.objects.filter(kind="grants.officer.reported")
    assert mail.to == anna.email  # the officer who decided


def test_a_proposal_is_mailed_to_the_officers_who_may_confirm_it(client, officers, line):
    anna, bo = officers
    linked = officer("carl")
    SiteSettings.objects.update_or_create(
        pk=1, defaults={"municipality_name": "Kommune", "grant_four_eyes_amount": 1000}
    )
    application = GrantApplicationFactory(state=S.IN_REVIEW, amount_requested=Decimal("12000"))
    application.linked_officers.add(linked)
    client.force_login(anna)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "approve"]),
        {"understood": "on", "amount": "12000", "reason": ""},
    )
    assert ApprovalProposal.objects.filter(application=application).exists()
    recipients = set(
        OutboxMail.objects.filter(kind="grants.officer.proposal").values_list("to", flat=True)
    )
    assert recipients == {bo.email}  # not the proposer, not the linked officer


def test_a_batch_moves_each_case_through_its_checks_and_lists_the_refused(client, officers, line):
    anna, _bo = officers
    approved = [
        GrantApplicationFactory(state=S.APPROVED, amount_granted=Decimal("5000")) for _ in range(2)
    ]
    in_review = GrantApplicationFactory(state=S.IN_REVIEW)
    own = GrantApplicationFactory(
        state=S.APPROVED, amount_granted=Decimal("5000"), applicant_email=anna.email
    )
    client.force_login(anna)
    page = client.post(
        reverse("grants:queue_batch"),
        {
            "action": "paid",
            "cases": [a.pk for a in [*approved, in_review, own]] + [999999],
            "confirmed": "yes",
            "reference": "FIN-7",
        },
    ).content.decode()
    states = dict(GrantApplication.objects.values_list("pk", "state"))
    assert [states[a.pk] for a in approved] == [S.PAID, S.PAID]
    assert states[in_review.pk] == S.IN_REVIEW and states[own.pk] == S.APPROVED
    refused = page[page.index('id="batch-refused"') :]
    assert f"#{in_review.pk}</a>: En ansøgning med status “Under behandling”" in refused
    assert f"#{own.pk}</a>: Du har selv søgt" in refused
    assert "#999999: Sagen findes ikke." in refused
    assert AuditEntry.objects.filter(action="grant.paid").count() == 2


def test_marking_reports_received_in_a_batch_needs_a_report(client, grant_officer):
    with_report = GrantApplicationFactory(state=S.REPORT_DUE, report_submitted_at=timezone.now())
    without = GrantApplicationFactory(state=S.REPORT_DUE)
    client.force_login(grant_officer)
    page = client.post(
        reverse("grants:queue_batch"),
        {"action": "report_received", "cases": [with_report.pk, without.pk], "confirmed": "yes"},
    ).content.decode()
    states = dict(GrantApplication.objects.values_list("pk", "state"))
    assert states == {with_report.pk: S.REPORT_RECEIVED, without.pk: S.REPORT_DUE}
    assert "Ansøgeren har ikke sendt en afrapportering endnu." in page


@pytest.mark.parametrize("persona", ["anonymous", "no_role", "coordinator", "secretary"])
def test_a_batch_by_someone_who_is_not_an_officer_changes_nothing(persona_client, persona):
    approved = GrantApplicationFactory(state=S.APPROVED, amount_granted=Decimal("5000"))
    response = persona_client(persona).post(
        reverse("grants:queue_batch"),
        {"action": "paid", "cases": [approved.pk], "confirmed": "yes", "reference": "FIN-7"},
    )
    assert response.status_code in (302, 403)
    approved.refresh_from_db()
    assert approved.state == S.APPROVED


def test_the_staff_front_page_counts_the_work_in_a_fixed_number_of_queries(client, officers, line):
    anna, bo = officers
    client.force_login(bo)

    def counted():
        client.get(reverse("staff_dashboard"))  # caches of settings and versions warmed
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("staff_dashboard"))
        return {c.key: c.count for c in page.context["counts"]}, len(queries)

    every_kind_of_case(anna, bo)
    counts, queries = counted()
    assert counts["cases"] == 6 and counts["proposals"] == 1 and counts["reports"] == 1
    assert (
        counts["cases"]
        == ApplicationFilter(
            {}, queryset=officer_cases(), request=type("R", (), {"user": bo})()
        ).qs.count()
    )
    every_kind_of_case(officer("dora"), bo)
    more, queries_with_more = counted()
    assert more["cases"] > counts["cases"] and queries_with_more == queries
