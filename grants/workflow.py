"""The grant workflow in one table: each action (who may take it, from which states, to
which state, the service that does it, the words each side sees) and each state (its name,
what the applicant reads, and who waits for whom).

Everything else derives from these two declarations: the moves the services allow
(`allowed_move`), the actions offered on the case pages (`grants.permissions`), the
queue's "needs my action" filter and its words (`grants.status`), the one dispatcher both
sides go through (`grants.services.perform`) and the demo. Adding a state or an action is
an entry here and, when it does something new, a service function; see the developer docs.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants.enums import Actor, ApplicationState, ProposalState
from grants.selectors import unspent_grant
from portal.choices import label_of
from portal.dates import short_date
from portal.money import format_money

S = ApplicationState
OFFICER, APPLICANT, SYSTEM = Actor.OFFICER, Actor.APPLICANT, Actor.SYSTEM


# Facts about a case that change what an action may do or what a case waits for: each is a
# test on a case (for a page) and, where the queue filters by it, the same as a query.


@dataclass(frozen=True)
class Fact:
    """Something true or not of a case, seen by an officer: `holds(case, officer)` for one
    case, `query(officer)` for the queue (None: the fact only changes words, never who
    waits, so the queue need not filter by it)."""

    holds: Callable
    query: Callable | None = None


def pending_proposal(application):
    """The proposal awaiting a second officer (from the prefetched proposals), or None."""
    return next((p for p in application.proposals.all() if p.state == ProposalState.PENDING), None)


def _pending(officer, *, mine: bool) -> Q:
    from grants.models import ApprovalProposal

    proposals = ApprovalProposal.objects.filter(
        application=OuterRef("pk"), state=ProposalState.PENDING
    )
    if mine:
        return Q(Exists(proposals.filter(proposed_by=officer.pk)))
    return Q(Exists(proposals.exclude(proposed_by=officer.pk)))


REPORT_SENT = Fact(
    holds=lambda case, officer=None: bool(case.report_submitted_at),
    query=lambda officer: Q(report_submitted_at__isnull=False),
)
MY_PROPOSAL = Fact(
    holds=lambda case, officer: (
        (p := pending_proposal(case)) is not None and p.proposed_by_id == officer.pk
    ),
    query=lambda officer: _pending(officer, mine=True),
)
OTHERS_PROPOSAL = Fact(
    holds=lambda case, officer: (
        (p := pending_proposal(case)) is not None and p.proposed_by_id != officer.pk
    ),
    query=lambda officer: _pending(officer, mine=False),
)
# The applicant's answer came last (annotated on the queue by grants.status.queue_facts).
ANSWERED = Fact(holds=lambda case, officer: bool(getattr(case, "answered", False)))
# A hearing's deadline has passed (without comments: they would have ended the hearing).
HEARING_LAPSED = Fact(
    holds=lambda case, officer=None: (
        case.hearing_deadline is not None and case.hearing_deadline < timezone.localdate()
    ),
    query=lambda officer: Q(hearing_deadline__lt=timezone.localdate()),
)
# A repayment was claimed and is not yet recorded as received.
REPAYMENT_OPEN = Fact(
    holds=lambda case, officer=None: case.repayment_claimed is not None and case.repaid_on is None,
    query=lambda officer: Q(repayment_claimed__isnull=False, repaid_on__isnull=True),
)


@dataclass(frozen=True)
class Action:
    """One thing a person (or the portal) does to a case.

    `service` names the function in grants.services that does it; `inputs` maps its keyword
    arguments to the keys of the data the action's form gives (`(("files", "photos"),)`);
    `moves` passes the target state to it. `guard(case, officer)` says in words why the
    action is not possible now although the state allows it ("" when it is). `offered`
    is False for moves the pages never offer (the portal's own, or an officer's move that
    only a service makes). `decides`: the action decides or leaves the case (kept for the
    pages' order; after every action the page says what was done and offers the next case).
    `done`: what the page says afterwards, naming the case (`%(case)s`) and what happened
    (`%(amount)s`, `%(line)s`, `%(who)s`; grants.status.done_message fills them in);
    `done_pending`: the same when the action only proposed (four eyes). `asks`: the action
    cannot be undone, and the officer ticks this sentence first (saying what follows) —
    one pattern for every irreversible action (docs/decisions/irreversible-actions.md).
    """

    name: str
    actor: str
    sources: tuple[str, ...]
    target: str | None
    service: str = ""
    label: Promise | str = ""
    done: Promise | str = ""
    refused: Promise | str = ""
    inputs: tuple[tuple[str, str], ...] = ()
    moves: bool = False
    guard: Callable | None = None
    offered: bool = True
    decides: bool = False
    done_pending: Promise | str = ""
    asks: Promise | str = ""


def _confirm_guard(case, officer) -> str:
    proposal = pending_proposal(case)
    if proposal is None:
        return gettext("There is no proposal to confirm.")
    if proposal.proposed_by_id == officer.pk:
        return gettext("A second officer must confirm your own proposal.")
    return ""


def _report_received_guard(case, officer) -> str:
    return "" if case.report_submitted_at else gettext("The applicant has not sent a report yet.")


def confirmation_expired(application, now=None) -> bool:
    """The mailed confirmation link has outlived GRANT_CONFIRMATION_HOURS: the application
    can no longer be confirmed, only applied for again (the purge removes it later)."""
    if application.state != S.UNCONFIRMED:
        return False
    hours = datetime.timedelta(hours=settings.GRANT_CONFIRMATION_HOURS)
    return application.submitted_at + hours <= (now or timezone.now())


def _confirm_email_guard(case, officer) -> str:
    if confirmation_expired(case):
        return gettext("This cannot be done to your application now.")
    return ""


def _report_guard(case, officer) -> str:
    sent = case.report_submitted_at
    return gettext("This cannot be done to your application now.") if sent else ""


def report_overdue_from(case) -> datetime.date:
    """The first day a case's report can be overdue: the trip's return plus the scheme's
    `report_days` (see docs/decisions/, "An unspent grant is repaid ...")."""
    return case.returns_on + datetime.timedelta(days=case.scheme.report_days)


def _report_overdue_guard(case, officer=None) -> str:
    if case.report_submitted_at:
        return gettext("The applicant has sent a report; it is not overdue.")
    due = report_overdue_from(case)
    if timezone.localdate() < due:
        return gettext(
            "The report is not overdue before %(date)s: the trip returns on %(returns)s, and "
            "the scheme gives %(days)s days to report."
        ) % {
            "date": short_date(due),
            "returns": short_date(case.returns_on),
            "days": case.scheme.report_days,
        }
    return ""


def _hearing_over_guard(case, officer) -> str:
    if HEARING_LAPSED.holds(case, officer):
        return ""
    return gettext(
        "The applicant may comment until %(date)s; go on after that, or when they comment."
    ) % {"date": short_date(case.hearing_deadline) if case.hearing_deadline else "–"}


def _close_guard(case, officer) -> str:
    """A paid grant is closed once its report is in and any repayment claimed is received."""
    if case.state in (S.PAID, S.REPORT_DUE) and not case.report_submitted_at:
        return gettext("The applicant has not sent a report yet.")
    if REPAYMENT_OPEN.holds(case):
        return gettext("The repayment of %(amount)s is not recorded as received yet.") % {
            "amount": format_money(case.repayment_claimed)
        }
    if case.repayment_claimed is None and (unspent := unspent_grant(case)) is not None:
        return gettext(
            "The report's costs are %(amount)s below the grant: claim the repayment first."
        ) % {"amount": format_money(unspent)}
    return ""


def _revision_guard(case, officer) -> str:
    if reason := _report_received_guard(case, officer):
        return reason
    if case.repayment_claimed is not None:
        return gettext("A repayment is claimed on this report; it is no longer sent back.")
    return ""


def _claim_guard(case, officer) -> str:
    if case.repayment_claimed is not None:
        return gettext("A repayment is already claimed.")
    if unspent_grant(case) is None:
        return gettext("Nothing is to be repaid: the report's costs are not below the grant.")
    return ""


def _repaid_guard(case, officer) -> str:
    if case.repayment_claimed is None:
        return gettext("No repayment is claimed.")
    if case.repaid_on is not None:
        return gettext("The repayment is already recorded as received.")
    return ""


OPEN = tuple(state for state in S.values if state not in (S.CLOSED, S.UNCONFIRMED))


def _take_guard(case, officer) -> str:
    mine = officer is not None and case.assignee_id == officer.pk
    return gettext("The case is already yours.") if mine else ""


def _unassign_guard(case, officer) -> str:
    return "" if case.assignee_id else gettext("Nobody is assigned to the case.")


# The order is the order the case pages show the actions in.
ACTIONS: list[Action] = [
    # The applicant, through the case's private link.
    Action(
        "confirm_email",
        APPLICANT,
        (S.UNCONFIRMED,),
        S.SUBMITTED,
        service="confirm_email",
        label=_("Confirm your email address"),
        done=_("Thank you. Your address is confirmed and the application sent."),
        guard=_confirm_email_guard,
    ),
    Action(
        "answer",
        APPLICANT,
        (S.INFO_REQUESTED,),
        S.IN_REVIEW,
        service="answer",
        label=_("Answer the question"),
        done=_("Thank you. Your answer has been sent."),
        refused=_("No question is waiting for an answer."),
        inputs=(("text", "text"), ("files", "attachments")),
    ),
    Action(
        "comment",
        APPLICANT,
        (S.HEARING,),
        S.IN_REVIEW,
        service="comment_on_hearing",
        label=_("Comment on the facts"),
        done=_("Thank you. Your comments have been sent."),
        refused=_("No hearing is waiting for your comments."),
        inputs=(("text", "text"), ("files", "attachments")),
    ),
    Action(
        "withdraw",
        APPLICANT,
        (S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.APPROVED, S.HEARING),
        S.WITHDRAWN,
        service="withdraw",
        label=_("Withdraw the application"),
        done=_("Your application is withdrawn."),
    ),
    Action(
        "report",
        APPLICANT,
        (S.PAID, S.REPORT_DUE),
        None,
        service="submit_report",
        label=_("Report back after the trip"),
        done=_("Thank you. Your report has been sent."),
        refused=_("A report is sent after the grant has been paid."),
        inputs=(
            ("report", "report"),
            ("participants", "participants"),
            ("cost_travel", "cost_travel"),
            ("cost_accommodation", "cost_accommodation"),
            ("cost_other", "cost_other"),
            ("taken_place", "taken_place"),
            ("files", "photos"),
        ),
        guard=_report_guard,
    ),
    # Grant officers, on the staff case page.
    Action(
        "review",
        OFFICER,
        (S.SUBMITTED,),
        S.IN_REVIEW,
        service="start_review",
        label=_("Start the review"),
        done=_("Case %(case)s: review started."),
    ),
    Action(
        "question",
        OFFICER,
        (S.IN_REVIEW,),
        S.INFO_REQUESTED,
        service="request_information",
        label=_("Send the question"),
        done=_("Case %(case)s: the question is sent to the applicant."),
        inputs=(("question", "question"),),
    ),
    Action(
        "approve",
        OFFICER,
        (S.IN_REVIEW,),
        S.APPROVED,
        service="approve",
        label=_("Approve the grant"),
        done=_("Case %(case)s approved: %(amount)s booked on %(line)s."),
        done_pending=_(
            "Case %(case)s: approval of %(amount)s proposed; a second officer must confirm it."
        ),
        asks=_(
            "I understand that the applicant is told at once and the amount is booked on the "
            "budget line (above the four-eyes amount, once a second officer confirms)."
        ),
        refused=_("Only an application in review can be approved."),
        inputs=(("amount", "amount"), ("reason", "reason"), ("rules", "rules")),
        decides=True,
    ),
    Action(
        "confirm",
        OFFICER,
        (S.IN_REVIEW,),
        S.APPROVED,
        service="confirm_approval",
        label=_("Confirm the approval of %(amount)s"),
        done=_("Case %(case)s approved: %(amount)s booked on %(line)s."),
        asks=_(
            "I understand that the applicant is told at once and the amount is booked on the "
            "budget line."
        ),
        inputs=(("proposal_id", "proposal"), ("amount", "amount")),
        guard=_confirm_guard,
        decides=True,
    ),
    Action(
        "reject",
        OFFICER,
        (S.IN_REVIEW, S.INFO_REQUESTED),
        S.REJECTED,
        service="reject",
        label=_("Reject the application"),
        done=_("Case %(case)s rejected; the applicant is told with the decision letter."),
        asks=_("I understand that the applicant is told at once, with the decision letter."),
        inputs=(("reason", "reason"), ("rules", "rules")),
        decides=True,
    ),
    Action(
        "paid",
        OFFICER,
        (S.APPROVED,),
        S.PAID,
        service="mark_paid",
        label=_("Mark the grant paid"),
        done=_("Case %(case)s: %(amount)s marked paid."),
        inputs=(("paid_on", "paid_on"), ("reference", "reference")),
        asks=_("I understand that the grant is recorded as paid out on the budget line."),
    ),
    Action(
        "report_due",
        OFFICER,
        (S.PAID,),
        S.REPORT_DUE,
        service="simple_move",
        label=_("Mark the report as due"),
        done=_("Case %(case)s: the report is marked due."),
        moves=True,
        guard=_report_overdue_guard,
    ),
    Action(
        "report_received",
        OFFICER,
        (S.PAID, S.REPORT_DUE),
        S.REPORT_RECEIVED,
        service="simple_move",
        label=_("Mark the report received"),
        done=_("Case %(case)s: the report is marked received."),
        moves=True,
        guard=_report_received_guard,
    ),
    Action(
        "close",
        OFFICER,
        (S.REPORT_RECEIVED, S.REJECTED, S.WITHDRAWN, S.PAID, S.REPORT_DUE),
        S.CLOSED,
        service="simple_move",
        label=_("Close the case"),
        done=_("Case %(case)s closed."),
        moves=True,
        guard=_close_guard,
    ),
    # Hearing the applicant, a question withdrawn, the report's revision and repayment.
    Action(
        "hearing",
        OFFICER,
        (S.IN_REVIEW,),
        S.HEARING,
        service="send_hearing",
        label=_("Send the facts for comments"),
        done=_("Saved."),
        inputs=(("facts", "facts"), ("deadline", "deadline")),
    ),
    Action(
        "hearing_over",
        OFFICER,
        (S.HEARING,),
        S.IN_REVIEW,
        service="end_hearing",
        label=_("Go on without comments"),
        done=_("Saved."),
        guard=_hearing_over_guard,
    ),
    Action(
        "withdraw_question",
        OFFICER,
        (S.INFO_REQUESTED,),
        S.IN_REVIEW,
        service="withdraw_question",
        label=_("Withdraw the question"),
        done=_("Saved."),
        refused=_("No question is waiting for an answer."),
        inputs=(("note", "note"),),
    ),
    Action(
        "revision",
        OFFICER,
        (S.PAID, S.REPORT_DUE),
        None,
        service="request_revision",
        label=_("Ask for a revised report"),
        done=_("Saved."),
        refused=_("Only a report not yet marked received can be sent back."),
        inputs=(("note", "note"),),
        guard=_revision_guard,
    ),
    Action(
        "claim_repayment",
        OFFICER,
        (S.PAID, S.REPORT_DUE, S.REPORT_RECEIVED),
        None,
        service="claim_repayment",
        label=_("Claim the repayment"),
        done=_("Saved."),
        inputs=(("amount", "amount"),),
        guard=_claim_guard,
    ),
    Action(
        "repaid",
        OFFICER,
        (S.PAID, S.REPORT_DUE, S.REPORT_RECEIVED),
        None,
        service="record_repayment",
        label=_("Record the repayment received"),
        done=_("Saved."),
        inputs=(("repaid_on", "repaid_on"),),
        guard=_repaid_guard,
    ),
    Action(
        "declare_conflict",
        OFFICER,
        OPEN,
        None,
        service="declare_conflict",
        label=_("Declare the conflict"),
        done=_("Case %(case)s: your conflict of interest is recorded; it left your queue."),
        refused=_("The case is closed."),
        inputs=(("reason", "reason"),),
        decides=True,
    ),
    # Moves no page offers: an officer taking a case back into review (a service may), and
    # the portal's own (report reminders, closing decided cases in time).
    Action("resume", OFFICER, (S.INFO_REQUESTED,), S.IN_REVIEW, offered=False),
    Action(
        "report_overdue",
        SYSTEM,
        (S.PAID,),
        S.REPORT_DUE,
        offered=False,
        guard=_report_overdue_guard,
    ),
    Action("close_in_time", SYSTEM, (S.REJECTED, S.WITHDRAWN), S.CLOSED, offered=False),
    # A payment recorded by mistake, or returned: the grant stands, unpaid again.
    Action(
        "reverse_payment",
        OFFICER,
        (S.PAID,),
        S.APPROVED,
        service="reverse_payment",
        label=_("Reverse the payment"),
        done=_("Case %(case)s: the payment is reversed; the grant is approved and unpaid again."),
        refused=_("Only a paid grant's payment can be reversed."),
        inputs=(("reason", "reason"),),
    ),
    # Who works on a case, and notes between officers: no state moves (target None), but the
    # table's rules on who may act (the role, not linked to the case) hold for them too
    # (docs/decisions/assignment-in-the-workflow-table.md).
    Action(
        "take",
        OFFICER,
        OPEN,
        None,
        service="take_case",
        label=_("Take the case"),
        done=_("Case %(case)s is now yours."),
        refused=_("The case is closed."),
        guard=_take_guard,
    ),
    Action(
        "hand_over",
        OFFICER,
        OPEN,
        None,
        service="hand_over",
        label=_("Hand over"),
        done=_("Case %(case)s is handed over to %(who)s."),
        refused=_("The case is closed."),
        inputs=(("to", "to"),),
    ),
    Action(
        "unassign",
        OFFICER,
        OPEN,
        None,
        service="unassign",
        label=_("Unassign"),
        done=_("Case %(case)s: nobody is assigned now."),
        refused=_("The case is closed."),
        guard=_unassign_guard,
    ),
    Action(
        "note",
        OFFICER,
        tuple(state for state in S.values if state != S.UNCONFIRMED),
        None,
        service="add_note",
        label=_("Add the note"),
        done=_("Case %(case)s: your note is saved for your colleagues."),
        inputs=(("text", "text"),),
    ),
]


# Who waits for whom. YOU: the reading officer's move; OTHER: another officer's (they made
# the proposal, or the case is their own or linked); THE_APPLICANT; NOBODY.
YOU, OTHER, THE_APPLICANT, NOBODY = "you", "other", "applicant", ""


@dataclass(frozen=True)
class Wait:
    """What a case in a state waits for, when `fact` holds (None: otherwise)."""

    who: str
    words: Promise | str
    fact: Fact | None = None


@dataclass(frozen=True)
class Stage:
    """A state: what the applicant reads (where the case stands, what happens next) and
    what the case waits for, the first `Wait` whose fact holds."""

    state: str
    applicant: tuple[Promise | str, Promise | str]
    waits: tuple[Wait, ...] = field(default_factory=tuple)
    # The state's name: the model's choice label, unless the state is not one of them.
    label: Promise | str = ""


# What the applicant reads once their report is sent, until an officer marks it received.
REPORT_SENT_WORDS = (
    _("Your report is sent"),
    _("An officer reads it and marks it received; then the case is closed."),
)

STAGES: list[Stage] = [
    Stage(
        S.UNCONFIRMED,
        (
            _("Waiting for you to confirm your email address"),
            _("Confirm your address below; only then is the application sent to us."),
        ),
        (Wait(NOBODY, _("Closed")),),
    ),
    Stage(
        S.SUBMITTED,
        (
            _("Sent, waiting for an officer"),
            # %(days)s: the scheme service target (GrantScheme.decision_days), set by status.
            _(
                "An officer considers it and may ask you questions. You get a decision within "
                "%(days)s days of confirming."
            ),
        ),
        (Wait(YOU, _("New application: start the review")),),
    ),
    Stage(
        S.IN_REVIEW,
        (
            _("Being considered"),
            _("An officer decides; you get the decision by mail with a letter."),
        ),
        (
            Wait(OTHER, _("Your proposal of %(amount)s awaits a second officer"), MY_PROPOSAL),
            Wait(YOU, _("A proposal of %(amount)s awaits your confirmation"), OTHERS_PROPOSAL),
            Wait(YOU, _("The applicant answered: decide"), ANSWERED),
            Wait(YOU, _("In review: decide")),
        ),
    ),
    Stage(
        S.INFO_REQUESTED,
        (
            _("Waiting for your answer to our question"),
            _("Answer the question below; then the officer goes on with your case."),
        ),
        (Wait(THE_APPLICANT, _("Question asked: waiting for the answer")),),
    ),
    Stage(
        S.APPROVED,
        (_("Granted"), _("The money is paid to you; after the trip you report back here.")),
        (Wait(YOU, _("Granted: mark it paid")),),
    ),
    Stage(
        S.PAID,
        (_("Paid"), _("After the trip, report back here on what happened and what it cost.")),
        (
            Wait(THE_APPLICANT, _("Repayment claimed: waiting for the money"), REPAYMENT_OPEN),
            Wait(YOU, _("Report submitted: check it"), REPORT_SENT),
            Wait(THE_APPLICANT, _("Paid: the report comes after the trip")),
        ),
    ),
    Stage(
        S.REPORT_DUE,
        (_("Your report is due"), _("Report back below on what happened and what the trip cost.")),
        (
            Wait(THE_APPLICANT, _("Repayment claimed: waiting for the money"), REPAYMENT_OPEN),
            Wait(YOU, _("Report submitted: check it"), REPORT_SENT),
            Wait(THE_APPLICANT, _("Report overdue")),
        ),
    ),
    Stage(
        S.REPORT_RECEIVED,
        (
            _("Your report is received"),
            _("Thank you. The case is closed soon; nothing more is needed from you."),
        ),
        (
            Wait(THE_APPLICANT, _("Repayment claimed: waiting for the money"), REPAYMENT_OPEN),
            Wait(YOU, _("Report received: close the case")),
        ),
    ),
    Stage(
        S.REJECTED,
        (
            _("Not granted"),
            _("The decision letter gives the reason. You are welcome to apply again."),
        ),
        (Wait(NOBODY, _("Decided: closed in time by the portal")),),
    ),
    Stage(
        S.WITHDRAWN,
        (_("Withdrawn by you"), _("Nothing more happens with this application.")),
        (Wait(NOBODY, _("Decided: closed in time by the portal")),),
    ),
    Stage(
        S.CLOSED,
        (_("Closed"), _("Nothing more happens with this application.")),
        (Wait(NOBODY, _("Closed")),),
    ),
    Stage(
        S.HEARING,
        (
            _("Waiting for your comments"),
            _(
                "Before deciding, we ask for your comments on the facts below. Comment by the "
                "deadline; then the officer goes on with your case."
            ),
        ),
        (
            Wait(YOU, _("No comments by the deadline: go on and decide"), HEARING_LAPSED),
            Wait(THE_APPLICANT, _("Hearing: waiting for the applicant's comments")),
        ),
    ),
]


def action(name: str) -> Action | None:
    return next((a for a in ACTIONS if a.name == name), None)


def stage(state: str) -> Stage:
    return next(s for s in STAGES if s.state == state)


def label(state: str) -> str:
    """A state's name in the reader's language ("other (code)" for a stored state the
    workflow does not know: portal.choices)."""
    known = next((s for s in STAGES if s.state == state), None)
    return str(known.label if known and known.label else label_of(S, state))


def audit_actions() -> set[str]:
    """The audit log's name for a move into each state ("grant.<state>"), and for each
    officer's action that moves nothing ("grant.<action>": take, hand over, a note)."""
    return {f"grant.{st.state}" for st in STAGES} | {
        f"grant.{act.name}" for act in ACTIONS if act.actor == OFFICER and act.target is None
    }


def allowed_move(from_state: str, to_state: str, actor: str) -> bool:
    """Whether the workflow lets `actor` move a case from one state to the other."""
    return any(
        a.actor == actor and a.target == to_state and from_state in a.sources for a in ACTIONS
    )


def offered(case, actor: str, officer=None) -> list[str]:
    """The actions the table offers this side in the case's state, in the page's order,
    without those whose guard refuses them now."""
    return [
        a.name
        for a in ACTIONS
        if a.offered
        and a.actor == actor
        and case.state in a.sources
        and not (a.guard and a.guard(case, officer))
    ]


def refusal(case, name: str, officer=None) -> str:
    """Why the action cannot be taken on the case now, in words ("" when it can)."""
    act = action(name)
    if act is None or not act.offered:
        return gettext("This cannot be done to this case.")
    if case.state not in act.sources:
        if act.refused:
            return str(act.refused)
        if act.target is not None:
            return gettext("An application that is “%(state)s” cannot become “%(to)s”.") % {
                "state": label(case.state),
                "to": label(act.target),
            }
        return gettext("This cannot be done to this case.")
    return act.guard(case, officer) if act.guard else ""


def waiting(case, officer) -> Wait:
    """What a case waits for as the reading officer sees it: its stage's first wait whose
    fact holds."""
    for wait in stage(case.state).waits:
        if wait.fact is None or wait.fact.holds(case, officer):
            return wait
    raise ValueError(f"The stage {case.state!r} has no wait without a fact.")


def waiting_for(officer, who: str = YOU) -> Q:
    """The cases that wait for `who` as this officer sees them, as a filter: what
    `waiting` says of each, in one query."""
    condition = Q(pk__in=[])
    for st in STAGES:
        earlier = Q()
        for wait in st.waits:
            fact = wait.fact.query(officer) if wait.fact and wait.fact.query else None
            if wait.who == who and (wait.fact is None or fact is not None):
                condition |= Q(state=st.state) & earlier & (fact if fact is not None else Q())
            if fact is not None:
                earlier &= ~fact
    return condition


def check() -> list[str]:
    """What is wrong with the table (a test holds it empty): every state has a stage and
    every stage a state; each stage ends in a wait without a fact; a fact that only changes
    words (no query) never changes who waits; every offered action names a service."""
    problems = []
    states = {st.state for st in STAGES}
    problems += [f"state {s!r} has no stage" for s in set(S.values) - states]
    for st in STAGES:
        if not st.waits or st.waits[-1].fact is not None:
            problems.append(f"stage {st.state!r} does not end in a wait without a fact")
            continue
        problems += [
            f"stage {st.state!r}: a fact without a query changes who waits"
            for wait in st.waits
            if wait.fact and wait.fact.query is None and wait.who != st.waits[-1].who
        ]
    for act in ACTIONS:
        unknown = {*act.sources, *([act.target] if act.target else [])} - states
        problems += [f"action {act.name!r}: unknown state {s!r}" for s in sorted(unknown)]
        if act.offered and not act.service:
            problems.append(f"action {act.name!r} is offered but names no service")
    return problems
