"""Moving a grant case: the one `move`, the lock, the check that an officer may act, the
history and audit of a step, and the workflow's refusal in words."""

from django.utils import timezone
from django.utils.translation import gettext as _

from grants import totals, workflow
from grants.enums import Actor, ApplicationState
from grants.models import (
    ApplicationEvent,
    GrantApplication,
)
from grants.permissions import (
    conflict_reason,
)
from portal import audit

S = ApplicationState


class GrantError(Exception):
    """A rule refused the move; the message is for the user, `field` names what to correct."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def _locked(application: GrantApplication) -> GrantApplication:
    return GrantApplication.objects.select_for_update().get(pk=application.pk)


def move(
    *,
    application,
    to_state: str,
    actor: str,
    officer=None,
    reason: str = "",
    amount=None,
    second_officer=None,
    client_address: str = "",
):
    """Move an application to another state, if that move is allowed for this actor.
    `client_address`: where an applicant's step came from (kept in the event).

    Side effects: state, an ApplicationEvent (and an audit entry for officers).
    Call inside a transaction with the application locked. Raises GrantError.
    """
    if not workflow.allowed_move(application.state, to_state, actor):
        raise GrantError(
            _("An application that is “%(state)s” cannot become “%(to)s”.")
            % {"state": workflow.label(application.state), "to": workflow.label(to_state)}
        )
    from_state = application.state
    application.state = to_state
    if to_state == S.CLOSED:
        application.closed_at = timezone.now()
    with totals.changing(application):
        application.save(update_fields=["state", "closed_at"])
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        officer=officer,
        second_officer=second_officer,
        amount=amount,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        client_address=client_address or None,
    )
    if officer is not None:
        details = {"amount": amount} if amount is not None else {}
        if second_officer is not None:
            details["proposed_by"] = second_officer.get_username()
        audit.record(
            actor=officer,
            action=f"grant.{to_state}",
            obj=application,
            summary=f"#{application.pk} {workflow.label(from_state)} → {workflow.label(to_state)}",
            reason=reason,
            **details,
        )
    return application


def check_officer_may_decide(application: GrantApplication, officer) -> None:
    """Separation of duties: nobody acts on a case they applied for or are linked to."""
    if reason := conflict_reason(application, officer):
        raise GrantError(reason)


def _record_step(
    application, *, officer, kind, action, reason, amount=None, second_officer=None, summary="",
    **data,
) -> None:  # fmt: skip
    """A step of an officer that is not a move: in the case's history and the audit log."""
    ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=Actor.OFFICER,
        officer=officer,
        second_officer=second_officer,
        amount=amount,
        reason=reason,
    )
    audit.record(
        actor=officer,
        action=action,
        obj=application,
        summary=summary or f"#{application.pk}",  # the amount in its column, as money
        reason=reason,
        amount=amount,
        **data,
    )


def _require(action: str, application) -> None:
    """Raise GrantError with the workflow's words when the case's state does not allow the
    action (grants.workflow). Call with the application locked."""
    if reason := workflow.refusal(application, action):
        raise GrantError(reason)
