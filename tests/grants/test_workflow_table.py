"""The grant workflow is one table (grants.workflow): a state and an action added to it, and
nothing else, are offered, refused, worded and queued on every page that shows a case."""

import pytest
from django.urls import reverse
from django.utils import translation

from grants import workflow
from grants.enums import ApplicationState
from grants.models import ApplicationEvent, GrantApplication
from grants.permissions import allowed_actions
from grants.status import applicant_status, needs_officer
from tests.factories import GrantApplicationFactory

pytestmark = pytest.mark.django_db
S = ApplicationState
ON_HOLD = "on_hold"


def test_the_table_is_whole():
    """Every state has a stage, every stage ends in a wait, every offered action a service."""
    assert workflow.check() == []


@pytest.fixture
def on_hold(monkeypatch):
    """ "On hold": an officer puts a case in review on hold and takes it up again; while on
    hold it waits for the officer. Declared in the table only."""
    stage = workflow.Stage(
        ON_HOLD,
        ("Paused by us", "We take your case up again soon."),
        (workflow.Wait(workflow.YOU, "On hold: take it up again"),),
        label="On hold",
    )
    hold = workflow.Action(
        "hold",
        workflow.OFFICER,
        (S.IN_REVIEW,),
        ON_HOLD,
        service="simple_move",
        label="Put the case on hold",
        done="Put on hold.",
        moves=True,
    )
    take_up = workflow.Action(
        "take_up",
        workflow.OFFICER,
        (ON_HOLD,),
        S.IN_REVIEW,
        service="simple_move",
        label="Take the case up again",
        done="Taken up again.",
        moves=True,
    )
    actions = list(workflow.ACTIONS)
    actions.insert(actions.index(workflow.action("declare_conflict")), hold)
    actions.insert(actions.index(workflow.action("declare_conflict")), take_up)
    monkeypatch.setattr(workflow, "ACTIONS", actions)
    monkeypatch.setattr(workflow, "STAGES", [*workflow.STAGES, stage])
    assert workflow.check() == []
    translation.activate("en")  # the pages in English, where the test's words are


def test_a_new_action_is_offered_and_performed_on_the_case_page(on_hold, client, grant_officer):
    case = GrantApplicationFactory(state=S.IN_REVIEW)
    assert allowed_actions(case, officer=grant_officer) == [
        "question",
        "approve",
        "reject",
        "hearing",
        "hold",
        "declare_conflict",
        "take",
        "hand_over",
        "note",
    ]
    client.force_login(grant_officer)
    page = client.get(reverse("grants:officer_case", args=[case.pk])).content.decode()
    assert "Put the case on hold" in page

    answer = client.post(reverse("grants:officer_action", args=[case.pk, "hold"]), follow=True)
    case.refresh_from_db()
    assert case.state == ON_HOLD
    assert "Put on hold." in answer.content.decode()
    event = ApplicationEvent.objects.get(application=case)
    assert (event.from_state, event.to_state, event.officer) == (
        S.IN_REVIEW,
        ON_HOLD,
        grant_officer,
    )

    page = client.get(reverse("grants:officer_case", args=[case.pk])).content.decode()
    assert "State: On hold" in page
    assert "On hold: take it up again" in page
    assert "Take the case up again" in page
    assert allowed_actions(case, officer=grant_officer) == ["take_up"]
    assert applicant_status(case) == ("Paused by us", "We take your case up again soon.")


def test_a_new_action_is_refused_from_a_state_the_table_does_not_allow(
    on_hold, client, grant_officer
):
    case = GrantApplicationFactory(state=S.SUBMITTED)
    assert "hold" not in allowed_actions(case, officer=grant_officer)
    client.force_login(grant_officer)
    answer = client.post(reverse("grants:officer_action", args=[case.pk, "hold"]))
    assert answer.status_code == 409
    assert "An application that is “Submitted” cannot become “On hold”." in (
        answer.content.decode()
    )
    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    assert not ApplicationEvent.objects.filter(application=case).exists()


def test_a_new_state_is_queued_for_whom_the_table_says(on_hold, grant_officer, client):
    held = GrantApplicationFactory(state=ON_HOLD)
    asked = GrantApplicationFactory(state=S.INFO_REQUESTED)
    waiting = set(
        GrantApplication.objects.filter(needs_officer(grant_officer)).values_list("pk", flat=True)
    )
    assert held.pk in waiting
    assert asked.pk not in waiting
    client.force_login(grant_officer)
    queue = client.get(reverse("grants:queue")).content.decode()
    assert "On hold: take it up again" in queue
