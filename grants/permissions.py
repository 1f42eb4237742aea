"""Who may do what on a grant case. The one source for the views, the templates and the demo.

Nobody decides a case they are linked to: their own application (by mailbox: both addresses
through the one normalisation, `normalise_email`), a case an administrator linked them to, or
one they declared a conflict on.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.enums import TRANSITIONS, Actor, ApplicationState, ProposalState
from portal.mailboxes import is_plain_address, normalise_email

S = ApplicationState


def is_grant_officer(user) -> bool:
    """The role, held only by an active account with a plain email address (no quoted local
    part, no address literal): without one the own-case rule could not be checked."""
    return (
        user.is_active
        and is_plain_address(user.email)
        and user.has_perm("grants.decide_grantapplication")
    )


def same_mailbox(address: str) -> Q:
    """Applications sent from this mailbox, whatever the spelling, as a filter: on the key
    the model keeps (`GrantApplication.applicant_mailbox`, made by `normalise_email`)."""
    mailbox = normalise_email(address)
    if "@" not in mailbox:
        return Q(pk__in=[])
    return Q(applicant_mailbox=mailbox)


def conflicted_cases(officer) -> Q:
    """Cases this officer may not decide, as a filter on GrantApplication."""
    return Q(linked_officers=officer) | same_mailbox(officer.email)


def is_own_application(application, officer) -> bool:
    """The officer applied themselves: the same mailbox, however it is spelt."""
    return normalise_email(officer.email) == normalise_email(application.applicant_email)


def conflict_reason(application, officer) -> str:
    """Why this officer may not act on the case, or "" when they may."""
    if not (officer.email or "").strip():
        return _("You need an email address on your account to decide grant applications.")
    if not is_plain_address(officer.email):
        return _(
            "Your account's email address has quotation marks or a server address in square "
            "brackets; an administrator must give it an ordinary one before you decide grant "
            "applications."
        )
    if is_own_application(application, officer):
        return _("You applied for this grant yourself; another officer must decide it.")
    if application.linked_officers.filter(pk=officer.pk).exists():
        return _("You are linked to this case; another officer must decide it.")
    return ""


def officers_who_may_act(application, *, exclude=None) -> list:
    """The grant officers who may act on the case now (the role, an address, not their own
    case, not linked to it), in one query: for telling them that it waits for them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    decide = Permission.objects.filter(
        content_type__app_label="grants", codename="decide_grantapplication"
    )
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(pk=exclude)
        .exclude(pk__in=application.linked_officers.values("pk"))
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=decide)
            | Q(user_permissions__in=decide)
        )
        .distinct()
        .order_by("pk")
    )
    return [
        officer
        for officer in candidates
        if is_plain_address(officer.email) and not is_own_application(application, officer)
    ]


# What each officer action does to the case's state. "confirm" approves a proposal.
OFFICER_ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "review": ((S.SUBMITTED,), S.IN_REVIEW),
    "question": ((S.IN_REVIEW,), S.INFO_REQUESTED),
    "approve": ((S.IN_REVIEW,), S.APPROVED),
    "confirm": ((S.IN_REVIEW,), S.APPROVED),
    "reject": ((S.IN_REVIEW, S.INFO_REQUESTED), S.REJECTED),
    "paid": ((S.APPROVED,), S.PAID),
    "report_due": ((S.PAID,), S.REPORT_DUE),
    "report_received": ((S.PAID, S.REPORT_DUE), S.REPORT_RECEIVED),
    "close": ((S.REPORT_RECEIVED, S.REJECTED, S.WITHDRAWN), S.CLOSED),
}
APPLICANT_ACTIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "confirm_email": ((S.UNCONFIRMED,), S.SUBMITTED),
    "answer": ((S.INFO_REQUESTED,), S.IN_REVIEW),
    "withdraw": ((S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.APPROVED), S.WITHDRAWN),
    "report": ((S.PAID, S.REPORT_DUE), None),
}


def confirmation_expired(application, now=None) -> bool:
    """The mailed confirmation link has outlived GRANT_CONFIRMATION_HOURS: the application
    can no longer be confirmed, only applied for again (the purge removes it later)."""
    if application.state != S.UNCONFIRMED:
        return False
    hours = datetime.timedelta(hours=settings.GRANT_CONFIRMATION_HOURS)
    return application.submitted_at + hours <= (now or timezone.now())


def _move_allowed(state: str, to_state: str | None, actor: str) -> bool:
    return to_state is None or actor in TRANSITIONS.get((state, to_state), set())


def pending_proposal(application):
    """The proposal awaiting a second officer, or None. Reads the prefetched proposals."""
    return next((p for p in application.proposals.all() if p.state == ProposalState.PENDING), None)


def allowed_actions(application, *, officer=None) -> list[str]:
    """The actions the person may take on the case now, in the order the page shows them.

    `officer` is a signed-in user; without one, the person is the applicant holding the
    case's private link.
    """
    state = application.state
    if officer is None:
        actions = [
            name
            for name, (states, to_state) in APPLICANT_ACTIONS.items()
            if state in states and _move_allowed(state, to_state, Actor.APPLICANT)
        ]
        if application.report_submitted_at and "report" in actions:
            actions.remove("report")
        if confirmation_expired(application):
            actions = [name for name in actions if name != "confirm_email"]
        return actions
    if not is_grant_officer(officer) or conflict_reason(application, officer):
        return []
    actions = [
        name
        for name, (states, to_state) in OFFICER_ACTIONS.items()
        if state in states and _move_allowed(state, to_state, Actor.OFFICER)
    ]
    if not application.report_submitted_at:
        # Nothing to mark received until the applicant has reported back.
        actions = [name for name in actions if name != "report_received"]
    proposal = pending_proposal(application) if "confirm" in actions else None
    if proposal is None or proposal.proposed_by_id == officer.pk:
        actions = [name for name in actions if name != "confirm"]
    if state not in (S.CLOSED, S.UNCONFIRMED):
        actions.append("declare_conflict")
    return actions


def refusal(application, officer, action: str) -> str:
    """Why `action` is not among the officer's allowed actions, in words."""
    if reason := conflict_reason(application, officer):
        return reason
    states, to_state = OFFICER_ACTIONS.get(action, ((), None))
    if action == "confirm" and application.state in states:
        proposal = pending_proposal(application)
        if proposal is None:
            return _("There is no proposal to confirm.")
        return _("A second officer must confirm your own proposal.")
    if action == "report_received" and application.state in states:
        return _("The applicant has not sent a report yet.")
    if to_state is not None:
        return _("An application that is “%(state)s” cannot become “%(to)s”.") % {
            "state": application.get_state_display(),
            "to": S(to_state).label,
        }
    return _("The case is closed.")
