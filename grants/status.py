"""A case's state in plain words, for the reader it is shown to.

The applicant and the officers read the same facts (a report sent, a proposal waiting, a
question answered); this module is the one place that turns them into words, so that both
sides say the same thing about the report back and the queue says what waits for whom.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from grants import workflow
from grants.enums import ApplicationState
from grants.models import ApplicationMessage, GrantApplication
from grants.permissions import is_own_application
from grants.workflow import pending_proposal
from portal.money import format_money

S = ApplicationState


def applicant_status(application) -> tuple[str, str]:
    """(where the case stands, what happens next) in the applicant's words."""
    if workflow.REPORT_SENT.holds(application) and application.state in REPORT_STATES:
        where, then = workflow.REPORT_SENT_WORDS
    else:
        where, then = workflow.stage(application.state).applicant
    return str(where), str(then) % {"days": settings.GRANT_DECISION_DAYS}


# The states in which a sent report waits for an officer to mark it received.
REPORT_STATES = list(workflow.action("report_received").sources)


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
    """What waits on a queued case (annotated by `queue_facts`), in an officer's words: the
    workflow's wait for its state (grants.workflow.STAGES)."""
    who_words = {
        workflow.YOU: _("You"),
        workflow.OTHER: _("Another officer"),
        workflow.THE_APPLICANT: _("The applicant"),
        workflow.NOBODY: "–",
    }
    if is_own_application(application, officer) or getattr(application, "officer_linked", False):
        return Waiting(
            _("Your own or linked case: another officer must act"), who_words[workflow.OTHER], False
        )
    wait = workflow.waiting(application, officer)
    proposal = pending_proposal(application) if application.state == S.IN_REVIEW else None
    amount = format_money(proposal.amount) if proposal else ""
    return Waiting(
        str(wait.words) % {"amount": amount}, who_words[wait.who], wait.who == workflow.YOU
    )


def needs_officer(officer) -> Q:
    """The cases waiting for this officer's move, as a filter: what `officer_waiting` calls
    theirs. Their own and linked cases are left out by the caller (`conflicted_cases`)."""
    return workflow.waiting_for(officer, workflow.YOU)


def awaiting_confirmation_by(officer) -> Q:
    """Cases with a proposal this officer may confirm (someone else's), as a filter."""
    confirm = workflow.action("confirm")
    return Q(state__in=confirm.sources) & workflow.OTHERS_PROPOSAL.query(officer)
