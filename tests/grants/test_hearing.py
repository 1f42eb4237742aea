"""Hearing the applicant (partshøring) before a decision rests on facts they have not seen,
and withdrawing a question when the answer came another way. Each control is also tried
around: nothing changes in the database or the outbox."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.enums import ApplicationState, EventKind
from grants.models import ApplicationEvent, ApplicationMessage, GrantApplication
from grants.permissions import allowed_actions
from portal.models import AuditEntry, OutboxMail
from tests.factories import GrantApplicationFactory, UserFactory
from tests.grants.conftest import officer

pytestmark = pytest.mark.django_db
S = ApplicationState
REFUSED = "Det kan ikke gøres ved din ansøgning nu."
FACTS = "Foreningen har ifølge CVR-registret ingen aktive medlemmer under 25."


def today():
    return timezone.localdate()


def snapshot(application) -> tuple:
    """Everything a hearing, a comment or a withdrawn question would change."""
    application = GrantApplication.objects.get(pk=application.pk)
    return (
        application.state,
        application.hearing_deadline,
        list(ApplicationEvent.objects.filter(application=application).values_list("pk")),
        list(ApplicationMessage.objects.filter(application=application).values_list("pk")),
        AuditEntry.objects.count(),
        OutboxMail.objects.count(),
    )


def send_hearing(client, application, *, facts=FACTS, deadline=None):
    deadline = deadline or today() + datetime.timedelta(days=14)
    return client.post(
        reverse("grants:officer_action", args=[application.pk, "hearing"]),
        {"facts": facts, "deadline": deadline.isoformat()},
    )


def test_the_officer_sends_facts_for_comments_and_the_case_waits_for_the_applicant(
    client, grant_officer
):
    application = GrantApplicationFactory(state=S.IN_REVIEW, language="en")
    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    earliest = today() + datetime.timedelta(days=14)
    assert "Send oplysningerne i partshøring" in page
    assert f'value="{earliest.isoformat()}"' in page  # the deadline starts 14 days ahead

    deadline = today() + datetime.timedelta(days=20)
    send_hearing(client, application, deadline=deadline)

    application.refresh_from_db()
    assert (application.state, application.hearing_deadline) == (S.HEARING, deadline)
    event = application.events.get(to_state=S.HEARING)
    assert (event.officer, event.from_state) == (grant_officer, S.IN_REVIEW)
    assert FACTS in event.reason
    audit = AuditEntry.objects.get(action="grant.hearing")
    assert (audit.actor, audit.object_id) == (grant_officer, str(application.pk))
    (mail,) = OutboxMail.objects.filter(kind="grants.hearing")
    # In the applicant's language, with the deadline; linked to the case.
    assert (mail.to, mail.subject) == (
        application.applicant_email,
        "Your comments before we decide",
    )
    assert f"comment by {deadline.day} {deadline:%b} {deadline.year} here:" in " ".join(
        mail.body.split()
    )
    assert list(application.case_mails.values_list("mail", flat=True)) == [mail.pk]

    # The queue: the case waits for the applicant until the deadline.
    assert not client.get(reverse("grants:queue")).context["page"]  # needs no officer now
    (row,) = client.get(reverse("grants:queue"), {"state": S.HEARING}).context["page"]
    assert (row.waiting.what, row.waiting.who) == (
        "Partshøring: venter på ansøgerens bemærkninger",
        "Ansøgeren",
    )
    # Going on before the deadline is refused, in words.
    assert "hearing_over" not in allowed_actions(application, officer=grant_officer)


def test_the_applicant_reads_the_facts_and_the_deadline_and_comments(client):
    anna, bo = officer("anna"), officer("bo")
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(bo)
    send_hearing(client, application)
    client.logout()
    deadline = today() + datetime.timedelta(days=14)

    page = client.get(application.get_case_url()).content.decode()
    assert "Venter på dine bemærkninger" in page
    assert FACTS in page
    assert f"Send dem senest {deadline:%d.%m.%Y}" in page
    assert 'name="action" value="comment"' in page

    response = client.post(
        application.get_case_url(),
        {"action": "comment", "text": "Vi har 12 medlemmer under 25; listen er vedlagt."},
        follow=True,
    )
    assert "Tak. Dine bemærkninger er sendt." in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert list(application.messages.values_list("from_applicant", "text")) == [
        (False, FACTS),
        (True, "Vi har 12 medlemmer under 25; listen er vedlagt."),
    ]
    # The officer who sent the facts is told; the page no longer asks for comments.
    (mail,) = OutboxMail.objects.filter(kind="grants.officer.commented")
    assert mail.to == bo.email and anna.email != bo.email
    assert mail.subject == f"Sag {application.case_number}: ansøgeren har kommenteret"
    assert 'value="comment"' not in client.get(application.get_case_url()).content.decode()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "Fristen kan ikke ligge i fortiden."),
        (3, "Giv ansøgeren mindst 14 dage"),
    ],
)
def test_a_deadline_in_the_past_or_too_soon_is_refused_at_the_field(
    client, grant_officer, days, message
):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    before = snapshot(application)
    client.force_login(grant_officer)
    response = send_hearing(client, application, deadline=today() + datetime.timedelta(days=days))
    assert response.status_code == 400
    form = response.context["forms"]["hearing"]
    assert message in " ".join(form.errors["deadline"])
    assert FACTS in response.content.decode()  # what the officer typed is kept
    assert snapshot(application) == before


def test_a_hearing_without_facts_is_refused(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    before = snapshot(application)
    client.force_login(grant_officer)
    response = send_hearing(client, application, facts="  ")
    assert response.status_code == 400
    assert snapshot(application) == before


def test_after_the_deadline_without_comments_the_officer_goes_on(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    send_hearing(client, application)
    # Before the deadline: refused in words, nothing changes.
    before = snapshot(application)
    response = client.post(reverse("grants:officer_action", args=[application.pk, "hearing_over"]))
    assert response.status_code == 409
    assert "Ansøgeren kan komme med bemærkninger indtil" in response.content.decode()
    assert snapshot(application) == before

    GrantApplication.objects.filter(pk=application.pk).update(
        hearing_deadline=today() - datetime.timedelta(days=1)
    )
    (row,) = client.get(reverse("grants:queue")).context["page"]
    assert row.waiting.what == "Ingen bemærkninger inden fristen: gå videre og træf afgørelse"
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "Gå videre uden bemærkninger" in page

    client.post(reverse("grants:officer_action", args=[application.pk, "hearing_over"]))
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert list(application.events.values_list("kind", "to_state")) == [
        (EventKind.MOVE, S.HEARING),
        (EventKind.HEARING_ENDED, ""),
        (EventKind.MOVE, S.IN_REVIEW),
    ]
    assert AuditEntry.objects.filter(action="grant.hearing_ended").count() == 1
    # Now the officer may decide: reject among the actions.
    assert "reject" in allowed_actions(application, officer=grant_officer)


# Bypasses: each leaves the case, its history, the audit log and the outbox as they were.


def test_a_hearing_is_refused_outside_review(client, grant_officer):
    application = GrantApplicationFactory(state=S.SUBMITTED)
    before = snapshot(application)
    client.force_login(grant_officer)
    assert send_hearing(client, application).status_code == 409
    assert snapshot(application) == before


@pytest.mark.parametrize("who", ["coordinator", "linked"])
def test_only_an_officer_free_to_decide_sends_a_hearing(client, coordinator, grant_officer, who):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    user = coordinator
    if who == "linked":
        application.linked_officers.add(grant_officer)
        user = grant_officer
    before = snapshot(application)
    client.force_login(user)
    assert send_hearing(client, application).status_code in (403, 404)
    assert snapshot(application) == before


def test_the_applicant_cannot_send_a_hearing_or_go_on_through_the_link(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    before = snapshot(application)
    client.post(application.get_case_url(), {"action": "hearing", "facts": "x", "deadline": "x"})
    assert snapshot(application) == before
    client.force_login(grant_officer)
    send_hearing(client, application)
    client.logout()
    GrantApplication.objects.filter(pk=application.pk).update(
        hearing_deadline=today() - datetime.timedelta(days=1)
    )
    before = snapshot(application)
    client.post(application.get_case_url(), {"action": "hearing_over"})
    assert snapshot(application) == before


def test_an_officer_cannot_comment_for_the_applicant(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    send_hearing(client, application)
    before = snapshot(application)
    response = client.post(
        reverse("grants:officer_action", args=[application.pk, "comment"]), {"text": "Nej"}
    )
    assert response.status_code == 404
    assert snapshot(application) == before


def test_another_applicants_link_cannot_comment_on_this_hearing(client, grant_officer):
    heard = GrantApplicationFactory(state=S.IN_REVIEW)
    other = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    send_hearing(client, heard)
    client.logout()
    before = (snapshot(heard), snapshot(other))
    response = client.post(
        other.get_case_url(), {"action": "comment", "text": "Svar fra en anden"}, follow=True
    )
    assert REFUSED in response.content.decode()
    assert (snapshot(heard), snapshot(other)) == before


# Withdrawing a question: the answer came by phone.


def test_the_officer_withdraws_a_question_and_review_resumes(client, grant_officer):
    application = GrantApplicationFactory(state=S.IN_REVIEW)
    client.force_login(grant_officer)
    client.post(
        reverse("grants:officer_action", args=[application.pk, "question"]),
        {"question": "Hvor mange deltager?"},
    )
    page = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "Træk spørgsmålet tilbage" in page

    client.post(
        reverse("grants:officer_action", args=[application.pk, "withdraw_question"]),
        {"note": "Svar i telefonen: 12 deltagere."},
    )
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    withdrawn = application.events.get(kind=EventKind.QUESTION_WITHDRAWN)
    assert (withdrawn.officer, withdrawn.reason) == (
        grant_officer,
        "Svar i telefonen: 12 deltagere.",
    )
    audit = AuditEntry.objects.get(action="grant.question_withdrawn")
    assert audit.reason == "Svar i telefonen: 12 deltagere."
    history = client.get(reverse("grants:officer_case", args=[application.pk])).content.decode()
    assert "Spørgsmål trukket tilbage" in history and "Svar i telefonen: 12 deltagere." in history
    # The officer can decide again (not only reject), and the applicant is not asked to answer.
    assert allowed_actions(application, officer=grant_officer) == [
        "question",
        "approve",
        "reject",
        "hearing",
        "declare_conflict",
        "take",
        "hand_over",
        "note",
    ]
    client.logout()
    assert 'value="answer"' not in client.get(application.get_case_url()).content.decode()


def test_a_question_is_withdrawn_only_with_a_note_and_only_while_asked(client, grant_officer):
    asked = GrantApplicationFactory(state=S.INFO_REQUESTED)
    in_review = GrantApplicationFactory(state=S.IN_REVIEW)
    before = (snapshot(asked), snapshot(in_review))
    client.force_login(grant_officer)
    url = "grants:officer_action"
    response = client.post(reverse(url, args=[asked.pk, "withdraw_question"]), {"note": ""})
    assert response.status_code == 400
    response = client.post(reverse(url, args=[in_review.pk, "withdraw_question"]), {"note": "x"})
    assert response.status_code == 409
    assert (snapshot(asked), snapshot(in_review)) == before


def test_neither_the_applicant_nor_another_role_withdraws_a_question(client, coordinator):
    asked = GrantApplicationFactory(state=S.INFO_REQUESTED)
    before = snapshot(asked)
    client.post(asked.get_case_url(), {"action": "withdraw_question", "note": "x"})
    client.force_login(coordinator)
    response = client.post(
        reverse("grants:officer_action", args=[asked.pk, "withdraw_question"]), {"note": "x"}
    )
    assert response.status_code in (403, 404)
    client.force_login(UserFactory(username="nobody"))
    client.post(reverse("grants:officer_action", args=[asked.pk, "withdraw_question"]))
    assert snapshot(asked) == before
