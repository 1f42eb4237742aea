"""Conflicts of interest: declared by an officer, lifted only by another administrator; a
conflicted proposer's pending proposal falls."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.enums import Actor, EventKind, ProposalState
from grants.models import (
    ApplicationEvent,
    ApprovalProposal,
)
from grants.services.core import GrantError, _locked, _record_step, _require
from portal import audit


def _withdraw_pending_proposal(application, officer, reason: str) -> ApprovalProposal | None:
    """Withdraw the proposal awaiting a second officer, if any, and record it in the history."""
    proposal = (
        ApprovalProposal.objects.select_for_update()
        .filter(application=application, state=ProposalState.PENDING)
        .first()
    )
    if proposal is None:
        return None
    proposal.state = ProposalState.WITHDRAWN
    proposal.closed_by = officer
    proposal.closed_at = timezone.now()
    proposal.save(update_fields=["state", "closed_by", "closed_at"])
    # The history shows the withdrawn proposal as it was (its own amount and reason); why it
    # was withdrawn is the next step's own (a new proposal, a question, the rejection), which
    # the audit entry keeps beside it.
    _record_step(
        application,
        officer=officer,
        kind=EventKind.PROPOSAL_WITHDRAWN,
        action="grant.proposal_withdrawn",
        reason=proposal.reason,
        amount=proposal.amount,
        second_officer=proposal.proposed_by,
        proposal=proposal.pk,
        proposed_by=proposal.proposed_by.get_username(),
        withdrawn_because=reason,
    )
    return proposal


def declare_conflict(*, application, officer, reason: str):
    """An officer declares a conflict of interest: they are linked to the case from now on,
    and it leaves their queue; their pending four-eyes proposal on it falls. Only another
    administrator lifts the link again (`lift_conflict`). Side effects: the link, an event,
    an audit entry; the proposal withdrawn with its own event and audit entry."""
    if not reason.strip():
        raise GrantError(_("Say what the conflict of interest is."), field="reason")
    with transaction.atomic():
        application = _locked(application)
        _require("declare_conflict", application)  # the workflow's states for it
        application.linked_officers.add(officer)
        _record_step(
            application,
            officer=officer,
            kind=EventKind.CONFLICT,
            action="grant.conflict",
            reason=reason,
            summary=f"#{application.pk}: {officer.get_username()}",
        )
        withdraw_proposals_of_linked(application, closed_by=officer, reason=reason)
    return application


def withdraw_proposals_of_linked(application, *, closed_by, reason: str) -> None:
    """A pending proposal whose proposer is now linked to the case falls: a second officer
    must not confirm what a conflicted officer proposed. Call inside the transaction that
    links them. Side effects: the proposal withdrawn, an event, an audit entry."""
    pending = ApprovalProposal.objects.filter(
        application=application,
        state=ProposalState.PENDING,
        proposed_by__in=application.linked_officers.all(),
    )
    if pending.exists():
        _withdraw_pending_proposal(application, closed_by, reason)


def lift_conflict(*, application, officer, administrator, reason: str):
    """An administrator lifts another officer's link to a case (a declared conflict of
    interest, or an administrator's link): the officer may act on it again. Nobody lifts
    their own, and never without a reason.

    Side effects: the link removed, an event in the case's history, an audit entry with the
    linked officers before and after. Raises GrantError.
    """
    if not reason.strip():
        raise GrantError(_("Say why the conflict of interest no longer stands."), field="reason")
    if administrator.pk == officer.pk:
        raise GrantError(_("Another administrator must lift your own conflict of interest."))
    if not (
        administrator.is_active
        and administrator.is_staff
        and administrator.has_perm("grants.change_grantapplication")
    ):
        raise GrantError(_("Only an administrator may lift a conflict of interest."))
    with transaction.atomic():
        application = _locked(application)
        linked = application.linked_officers
        before = sorted(linked.values_list("username", flat=True))
        if not linked.filter(pk=officer.pk).exists():
            raise GrantError(
                _("%(who)s is not linked to this case.") % {"who": officer.get_username()}
            )
        linked.remove(officer)
        after = sorted(linked.values_list("username", flat=True))
        ApplicationEvent.objects.create(
            application=application,
            kind=EventKind.CONFLICT_LIFTED,
            actor=Actor.OFFICER,
            officer=administrator,
            second_officer=officer,
            reason=reason,
        )
        audit.record(
            actor=administrator,
            action="grant.conflict_lifted",
            obj=application,
            summary=f"#{application.pk}: {officer.get_username()}",
            reason=reason,
            officer=officer.get_username(),
            before=", ".join(before) or "-",
            after=", ".join(after) or "-",
        )
    return application
