"""Who may do what on a grant case. The one source for the views, the templates and the demo.

Nobody decides a case they are linked to: their own application (by mailbox: both addresses
through the one normalisation, `normalise_email`), a case an administrator linked them to, or
one they declared a conflict on.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from grants import workflow
from grants.enums import Actor, ApplicationState
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
    """The grant officers who may act on the case now (the role given to an active account,
    an address, not their own case, not linked to it), in one query: for telling them that
    it waits for them."""
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
        # The role given, not every permission a superuser has: a service administrator
        # who never took the officer's role is not told that a case waits for them.
        .filter(Q(groups__permissions__in=decide) | Q(user_permissions__in=decide))
        .distinct()
        .order_by("pk")
    )
    return [
        officer
        for officer in candidates
        if is_plain_address(officer.email) and not is_own_application(application, officer)
    ]


def allowed_actions(application, *, officer=None) -> list[str]:
    """The actions the person may take on the case now, in the order the page shows them
    (the workflow table, grants.workflow).

    `officer` is a signed-in user; without one, the person is the applicant holding the
    case's private link.
    """
    if officer is None:
        return workflow.offered(application, Actor.APPLICANT)
    if not is_grant_officer(officer) or conflict_reason(application, officer):
        return []
    return workflow.offered(application, Actor.OFFICER, officer)


def refusal(application, officer, action: str) -> str:
    """Why `action` is not among the officer's allowed actions, in words."""
    if reason := conflict_reason(application, officer):
        return reason
    return workflow.refusal(application, action, officer) or _("The case is closed.")
