"""A case's state in plain words, for the reader it is shown to.

The applicant and the officers read the same facts (a report sent, a proposal waiting, a
question answered); this module is the one place that turns them into words, so that both
sides say the same thing about the report back and the queue says what waits for whom.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from grants.enums import ApplicationState, ProposalState
from grants.models import ApplicationMessage, ApprovalProposal, GrantApplication
from grants.permissions import is_own_application, pending_proposal
from portal.money import format_money

S = ApplicationState


def report_sent_not_checked(application) -> bool:
    """The applicant reported back and no officer has marked the report received yet."""
    return bool(application.report_submitted_at) and application.state in (S.PAID, S.REPORT_DUE)


def applicant_status(application) -> tuple[str, str]:
    """(where the case stands, what happens next) in the applicant's words."""
    state = application.state
    if report_sent_not_checked(application):
        return (
            _("Your report is sent"),
            _("An officer reads it and marks it received; then the case is closed."),
        )
    words = {
        S.UNCONFIRMED: (
            _("Waiting for you to confirm your email address"),
            _("Confirm your address below; only then is the application sent to us."),
        ),
        S.SUBMITTED: (
            _("Sent, waiting for an officer"),
            _(
                "An officer considers it and may ask you questions. You get a decision within "
                "%(days)s days of confirming."
            )
            % {"days": settings.GRANT_DECISION_DAYS},
        ),
        S.IN_REVIEW: (
            _("Being considered"),
            _("An officer decides; you get the decision by mail with a letter."),
        ),
        S.INFO_REQUESTED: (
            _("Waiting for your answer to our question"),
            _("Answer the question below; then the officer goes on with your case."),
        ),
        S.APPROVED: (
            _("Granted"),
            _("The money is paid to you; after the trip you report back here."),
        ),
        S.PAID: (
            _("Paid"),
            _("After the trip, report back here on what happened and what it cost."),
        ),
        S.REPORT_DUE: (
            _("Your report is due"),
            _("Report back below on what happened and what the trip cost."),
        ),
        S.REPORT_RECEIVED: (
            _("Your report is received"),
            _("Thank you. The case is closed soon; nothing more is needed from you."),
        ),
        S.REJECTED: (
            _("Not granted"),
            _("The decision letter gives the reason. You are welcome to apply again."),
        ),
        S.WITHDRAWN: (_("Withdrawn by you"), _("Nothing more happens with this application.")),
        S.CLOSED: (_("Closed"), _("Nothing more happens with this application.")),
    }
    return words[state]


@dataclass(frozen=True)
class Waiting:
    """What a case waits for, and for whom: `mine` when it is the reading officer's move."""

    what: str
    who: str
    mine: bool


def queue_facts(queryset, officer):
    """The queue's cases with what the words need, in a fixed number of queries: whether
    the applicant's answer came last, whether the officer is linked to the case, and the
    proposals (prefetched)."""
    last_message = ApplicationMessage.objects.filter(application=OuterRef("pk")).order_by(
        "-at", "-pk"
    )
    linked = GrantApplication.linked_officers.through.objects.filter(
        grantapplication=OuterRef("pk"), user=officer.pk
    )
    return queryset.annotate(
        answered=Subquery(last_message.values("from_applicant")[:1]),
        officer_linked=Exists(linked),
    ).prefetch_related("proposals")


def officer_waiting(application, officer) -> Waiting:
    """What waits on a queued case (annotated by `queue_facts`), in an officer's words."""
    you, other, applicant, nobody = _("You"), _("Another officer"), _("The applicant"), "–"
    if is_own_application(application, officer) or getattr(application, "officer_linked", False):
        return Waiting(_("Your own or linked case: another officer must act"), other, False)
    state = application.state
    if state == S.SUBMITTED:
        return Waiting(_("New application: start the review"), you, True)
    if state == S.IN_REVIEW:
        proposal = pending_proposal(application)
        if proposal is not None and proposal.proposed_by_id == officer.pk:
            what = _("Your proposal of %(amount)s awaits a second officer")
            return Waiting(what % {"amount": format_money(proposal.amount)}, other, False)
        if proposal is not None:
            what = _("A proposal of %(amount)s awaits your confirmation")
            return Waiting(what % {"amount": format_money(proposal.amount)}, you, True)
        if getattr(application, "answered", False):
            return Waiting(_("The applicant answered: decide"), you, True)
        return Waiting(_("In review: decide"), you, True)
    if state == S.INFO_REQUESTED:
        return Waiting(_("Question asked: waiting for the answer"), applicant, False)
    if state == S.APPROVED:
        return Waiting(_("Granted: mark it paid"), you, True)
    if report_sent_not_checked(application):
        return Waiting(_("Report submitted: check it"), you, True)
    if state == S.PAID:
        return Waiting(_("Paid: the report comes after the trip"), applicant, False)
    if state == S.REPORT_DUE:
        return Waiting(_("Report overdue"), applicant, False)
    if state == S.REPORT_RECEIVED:
        return Waiting(_("Report received: close the case"), you, True)
    if state in (S.REJECTED, S.WITHDRAWN):
        return Waiting(_("Decided: closed in time by the portal"), nobody, False)
    return Waiting(_("Closed"), nobody, False)


def needs_officer(officer) -> Q:
    """The cases waiting for this officer's move, as a filter: what `officer_waiting` calls
    theirs. Their own and linked cases are left out by the caller (`conflicted_cases`)."""
    my_proposal = ApprovalProposal.objects.filter(
        application=OuterRef("pk"), state=ProposalState.PENDING, proposed_by=officer.pk
    )
    return (
        Q(state__in=[S.SUBMITTED, S.APPROVED, S.REPORT_RECEIVED])
        | (Q(state=S.IN_REVIEW) & ~Exists(my_proposal))
        | Q(state__in=[S.PAID, S.REPORT_DUE], report_submitted_at__isnull=False)
    )


def awaiting_confirmation_by(officer) -> Q:
    """Cases with a proposal this officer may confirm (someone else's), as a filter."""
    others = ApprovalProposal.objects.filter(
        application=OuterRef("pk"), state=ProposalState.PENDING
    ).exclude(proposed_by=officer.pk)
    return Q(state=S.IN_REVIEW) & Exists(others)
