"""A case's state in plain words, for the reader it is shown to.

The applicant and the officers read the same facts (a report sent, a proposal waiting, a
question answered); this module is the one place that turns them into words, so that both
sides say the same thing about the report back and the queue says what waits for whom.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from grants import workflow
from grants.enums import ApplicationState
from grants.models import ApplicationMessage, GrantApplication
from grants.permissions import is_own_application
from grants.workflow import pending_proposal
from portal.dates import short_date
from portal.money import format_money

S = ApplicationState


def applicant_status(application) -> tuple[str, str]:
    """(where the case stands, what happens next) in the applicant's words."""
    if workflow.REPORT_SENT.holds(application) and application.state in REPORT_STATES:
        where, then = workflow.REPORT_SENT_WORDS
    else:
        where, then = workflow.stage(application.state).applicant
    return str(where), str(then) % {"days": application.scheme.decision_days}


# The states in which a sent report waits for an officer to mark it received.
REPORT_STATES = list(workflow.action("report_received").sources)


@dataclass(frozen=True)
class Waiting:
    """What a case waits for, and for whom: `mine` when it is the reading officer's move."""

    what: str
    who: str
    mine: bool


def queue_facts(cases, officer) -> list:
    """The queue's cases (a page of them) with what the words need, read for those cases
    only, in two queries however long the queue is: whether the applicant's answer came
    last (`answered`), whether the officer is linked to the case (`officer_linked`), and
    the proposals (prefetched). The queue sorts and cuts its page first, then reads these
    (docs/developer/benchmark.md: the grant queue)."""
    cases = list(cases)
    if not cases:
        return cases
    last_message = ApplicationMessage.objects.filter(application=OuterRef("pk")).order_by(
        "-at", "-pk"
    )
    linked = GrantApplication.linked_officers.through.objects.filter(
        grantapplication=OuterRef("pk"), user=officer.pk
    )
    facts = (
        GrantApplication.objects.filter(pk__in=[case.pk for case in cases])
        .annotate(
            answered=Subquery(last_message.values("from_applicant")[:1]),
            officer_linked=Exists(linked),
        )
        .order_by()
        .values_list("pk", "answered", "officer_linked")
    )
    found = {key: (answered, officer_linked) for key, answered, officer_linked in facts}
    for case in cases:
        case.answered, case.officer_linked = found.get(case.pk, (None, False))
    prefetch_related_objects(cases, "proposals")
    return cases


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


# The decision deadline: the scheme's service target (`GrantScheme.decision_days`) counted
# from the day the case came in (the applicant confirmed their address).


def _undecided_states() -> list[str]:
    """The states of a case not yet decided: those a decision (approve, confirm, reject)
    starts from, and those from which a move leads to one of them (a new case, a question
    asked), derived from the workflow table so that a new waiting state counts too."""
    decisions = [a for a in workflow.ACTIONS if a.decides and a.target is not None]
    states = {state for a in decisions for state in a.sources}
    grown = True
    while grown:
        before = len(states)
        states |= {
            state
            for a in workflow.ACTIONS
            if a.target in states and a.actor != workflow.SYSTEM
            for state in a.sources
        }
        grown = len(states) != before
    return sorted(states - {S.UNCONFIRMED})


UNDECIDED = _undecided_states()


def came_in(application) -> datetime.date:
    """The day the case came in: the applicant confirmed their address (or, for a case from
    before confirmation existed, the day it was sent)."""
    return timezone.localdate(application.email_confirmed_at or application.submitted_at)


def decision_deadline(application) -> datetime.date:
    """The day a decision is due by the scheme's service target."""
    return came_in(application) + datetime.timedelta(days=application.scheme.decision_days)


def is_overdue(application, today: datetime.date | None = None) -> bool:
    """Undecided and past its decision deadline."""
    today = today or timezone.localdate()
    return application.state in UNDECIDED and decision_deadline(application) < today


def overdue_cases(today: datetime.date | None = None) -> Q:
    """The undecided cases past their deadline, as a filter: per scheme, came in before
    the day its target reaches back to. One query for the schemes' targets; the same on
    SQLite and PostgreSQL (no date arithmetic in the database)."""
    from grants.models import GrantScheme

    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for scheme, days in GrantScheme.objects.values_list("pk", "decision_days"):
        # Overdue: came in (a local day) before today - days, so before its first moment.
        cutoff = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
        )
        condition |= Q(scheme=scheme) & (
            Q(email_confirmed_at__lt=cutoff)
            | Q(email_confirmed_at__isnull=True, submitted_at__lt=cutoff)
        )
    return Q(state__in=UNDECIDED) & condition


def deadline_in_words(application, today: datetime.date | None = None) -> str:
    """The deadline as the queue and the case page say it, "overdue" in words (never a
    colour only); "" for a decided case."""
    if application.state not in UNDECIDED:
        return ""
    due = decision_deadline(application)
    if is_overdue(application, today):
        return _("Overdue: the decision was due %(date)s") % {"date": short_date(due)}
    return _("Decision due %(date)s") % {"date": short_date(due)}


def done_message(action: str, application, result=None) -> str:
    """What the page says after an officer's action, in the workflow table's words
    (`Action.done`, or `done_pending` when an approval only proposed): the case's number and
    what happened to it, amounts in the reader's language."""
    from grants.models import ApprovalProposal

    act = workflow.action(action)
    proposed = isinstance(result, ApprovalProposal)
    words = act.done_pending if proposed and act.done_pending else act.done
    if not words:  # an action the table gives no words: still say which case
        return f"{application.case_number}: {act.label}"
    amount = result.amount if proposed else application.amount_granted
    assignee = application.assignee
    return str(words) % {
        "case": application.case_number,
        "amount": format_money(amount) if amount is not None else "",
        "line": application.scheme.budget_line_code,
        "who": assignee.get_username() if assignee else "",
    }
