"""What an officer does: review, ask, approve (with four eyes above the threshold), confirm
another's proposal, reject, mark paid and the simple moves."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgets.enums import CommitmentSource
from budgets.models import BudgetLine
from budgets.selectors import open_bookings
from budgets.services import book_commitment, check_bookable, mark_spent, mark_unspent
from grants import letters, workflow
from grants.enums import Actor, ApplicationState, EventKind, ProposalState
from grants.models import (
    ApplicationMessage,
    ApprovalProposal,
    GrantApplication,
)
from grants.permissions import (
    conflict_reason,
)
from grants.services.conflicts import _withdraw_pending_proposal
from grants.services.core import (
    GrantError,
    _locked,
    _record_step,
    _require,
    check_officer_may_decide,
    move,
)
from grants.services.mail import _mail_officers, _queue_mail
from portal.dates import short_date
from portal.models import SiteSettings
from portal.money import format_money
from portal.municipalities import default_language

S = ApplicationState
PAYMENT_REFERENCE_MAX_CHARS = GrantApplication._meta.get_field("payment_reference").max_length


def _officer_move(*, application, officer, to_state: str, reason: str = ""):
    """Lock, check the officer may act on the case, and move it. Call inside a transaction."""
    application = _locked(application)
    check_officer_may_decide(application, officer)
    return move(
        application=application,
        to_state=to_state,
        actor=Actor.OFFICER,
        officer=officer,
        reason=reason,
    )


def start_review(*, application, officer):
    with transaction.atomic():
        return _officer_move(application=application, officer=officer, to_state=S.IN_REVIEW)


def request_information(*, application, officer, question: str):
    """Ask the applicant a question. Side effects: message, state, email after commit."""
    if not question.strip():
        raise GrantError(_("Write the question to the applicant."), field="question")
    with transaction.atomic():
        application = _officer_move(
            application=application, officer=officer, to_state=S.INFO_REQUESTED, reason=question
        )
        _withdraw_pending_proposal(application, officer, question)
        ApplicationMessage.objects.create(
            application=application, text=question, language=officer_language()
        )
        _queue_mail(application, "question")
    return application


def officer_language() -> str:
    """The language an officer writes in: their interface language at the time (the page's),
    kept with what they wrote so that a letter in another language can mark it."""
    return (translation.get_language() or default_language())[:2]


def _check_reasons(application, reason: str, rules) -> list[str]:
    """A decision that does not fully grant gives its reasons: the scheme's rules it rests on
    and the officer's main considerations (docs/staff/grant-officer.md). The chosen rules,
    in the table's order; raises GrantError at the field to correct."""
    rules = [str(rule) for rule in (rules or [])]
    if not rules:
        raise GrantError(
            _("Choose the rule of the scheme that the decision rests on."), field="rules"
        )
    if unknown := letters.unknown_grounds(application.scheme, rules):
        raise GrantError(
            _("These are not rules of this scheme: %(rules)s.") % {"rules": ", ".join(unknown)},
            field="rules",
        )
    if not (reason or "").strip():
        raise GrantError(
            _("Write the main considerations: they are the applicant's reasons for the decision."),
            field="reason",
        )
    return [key for key in letters.ground_keys() if key in rules]


def approve(*, application, officer, amount, reason: str = "", rules=()):
    """Approve with an amount, or, above the four-eyes amount, propose it for a second officer.

    The amount is checked against the scheme and the budget line's balance either way; less
    than was applied for needs reasons (`rules` and `reason`); a new
    proposal withdraws the pending one. Returns the new ApprovalProposal when it awaits a
    second officer, else None. Side effects: a booking, the decision, events, audit entries,
    the letter and mail after commit. Raises GrantError or BudgetError.
    """
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        _require("approve", application)
        _check_amount(application, amount)
        rules = (
            _check_reasons(application, reason, rules)
            if amount < application.amount_requested
            else []
        )
        language = officer_language()
        if amount <= SiteSettings.current().grant_four_eyes_amount:
            _withdraw_pending_proposal(application, officer, reason)
            _grant(application, officer, amount, reason, rules=rules, language=language)
            return None
        check_bookable(line=paying_line(application), amount=amount)
        _withdraw_pending_proposal(application, officer, reason)
        proposal = ApprovalProposal.objects.create(
            application=application,
            amount=amount,
            reason=reason,
            proposed_by=officer,
            rules=rules,
            language=language,
        )
        _record_step(
            application,
            officer=officer,
            kind=EventKind.PROPOSED,
            action="grant.propose",
            reason=reason,
            amount=amount,
            proposal=proposal.pk,
        )
        _mail_officers(application, "proposal", exclude=officer.pk)
    return proposal


def confirm_approval(*, application, officer, proposal_id, amount):
    """A second officer confirms the proposal they were shown: its id and amount must be the
    pending proposal's, or nothing is granted.

    Side effects: the proposal closed, a booking, the decision, events, audit entries naming
    both officers. Raises GrantError (showing the current proposal) or BudgetError.
    """
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        proposal = (
            ApprovalProposal.objects.select_for_update()
            .select_related("proposed_by")
            .filter(application=application, state=ProposalState.PENDING)
            .first()
        )
        if proposal is None:
            raise GrantError(_("There is no proposal to confirm."))
        if str(proposal.pk) != str(proposal_id) or Decimal(amount) != proposal.amount:
            raise GrantError(
                _(
                    "The proposal has changed since you opened the case: %(who)s now proposes "
                    "%(amount)s; read it, then confirm again."
                )
                % {
                    "who": proposal.proposed_by.get_username(),
                    "amount": format_money(proposal.amount),
                }
            )
        if proposal.proposed_by_id == officer.pk:
            raise GrantError(_("A second officer must confirm your own proposal."))
        if conflict_reason(application, proposal.proposed_by):
            # Their proposal fell when they were linked; never confirm a conflicted one.
            raise GrantError(
                _("The officer who proposed this may not decide the case; it needs a new proposal.")
            )
        _check_amount(application, proposal.amount)
        proposal.state = ProposalState.CONFIRMED
        proposal.closed_by = officer
        proposal.closed_at = timezone.now()
        proposal.save(update_fields=["state", "closed_by", "closed_at"])
        _grant(
            application,
            officer,
            proposal.amount,
            proposal.reason,
            proposal=proposal,
            rules=proposal.rules,
            language=proposal.language,
        )
    return application


def _check_amount(application, amount) -> None:
    if amount <= 0:
        raise GrantError(_("The amount must be more than 0."), field="amount")
    if amount > application.amount_requested:
        raise GrantError(_("The amount cannot exceed what was applied for."), field="amount")
    cap = application.scheme.cap
    if cap is not None and amount > cap:
        raise GrantError(
            _("The scheme grants at most %(cap)s per application.") % {"cap": format_money(cap)},
            field="amount",
        )


def paying_line(application) -> BudgetLine:
    year = timezone.localdate().year
    line = BudgetLine.objects.filter(
        code=application.scheme.budget_line_code, budget_year__year=year
    ).first()
    if line is None:
        raise GrantError(
            _("The scheme has no budget line %(code)s for %(year)s.")
            % {"code": application.scheme.budget_line_code, "year": year}
        )
    return line


def _grant(application, officer, amount, reason, proposal=None, rules=(), language="") -> None:
    # The booking locks the budget line: two officers can never spend its last krone twice.
    book_commitment(
        line=paying_line(application),
        amount=amount,
        actor=officer,
        source=CommitmentSource.GRANT_DECISION,
        grant_application=application,
        description=_("Grant #%(pk)s: %(scheme)s")
        % {"pk": application.pk, "scheme": application.scheme.name},
    )
    application.amount_granted = amount
    _decide(
        application,
        officer,
        S.APPROVED,
        reason,
        amount=amount,
        proposal=proposal,
        rules=rules,
        language=language,
    )


def _decide(
    application, officer, to_state, reason, *, amount=None, proposal=None, rules=(), language=""
) -> None:
    """The decision itself, granted or not: who decided, when and why (the scheme's rules it
    rests on, the considerations and the language they were written in), the move, the
    letter and its mail. Call inside the transaction, with the application locked."""
    application.decision_reason = reason
    application.decision_rules = list(rules)
    application.decision_language = language if reason else ""
    application.decided_by = officer
    application.decided_at = timezone.now()
    application.save(
        update_fields=[
            "amount_granted",
            "decision_reason",
            "decision_rules",
            "decision_language",
            "decided_by",
            "decided_at",
        ]
    )
    move(
        application=application,
        to_state=to_state,
        actor=Actor.OFFICER,
        officer=officer,
        reason=reason,
        amount=amount,
        second_officer=proposal.proposed_by if proposal else None,
    )
    _queue_mail(application, "decision")


def reject(*, application, officer, reason: str, rules=()):
    """Reject with reasons: the scheme's rules it rests on and the considerations. Side
    effects: the decision, a withdrawn proposal, an event, an audit entry, the letter and
    mail after commit. Raises GrantError (nothing changes) without reasons."""
    if not reason.strip():
        raise GrantError(_("A rejection needs a reason for the applicant."), field="reason")
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        rules = _check_reasons(application, reason, rules)
        _withdraw_pending_proposal(application, officer, reason)
        _decide(application, officer, S.REJECTED, reason, rules=rules, language=officer_language())
    return application


def mark_paid(*, application, officer, reference: str, paid_on=None):
    """Record that the finance system paid the grant: on which day (today unless given; never
    in the future nor before the decision) and under which reference (required).

    Side effects: the payment's date and reference, the move to paid, the case's booking
    marked spent (the line's kept sums move with it), event and audit entries naming the
    reference. Raises GrantError with the field to correct."""
    paid_on = paid_on or timezone.localdate()
    reference = " ".join((reference or "").split())
    if not reference:
        raise GrantError(
            _("Write the finance system's reference for the payment."), field="reference"
        )
    if len(reference) > PAYMENT_REFERENCE_MAX_CHARS:
        raise GrantError(
            _("The reference may be at most %(count)s characters.")
            % {"count": PAYMENT_REFERENCE_MAX_CHARS},
            field="reference",
        )
    if paid_on > timezone.localdate():
        raise GrantError(_("The payment date cannot be in the future."), field="paid_on")
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        _require("paid", application)
        if application.decided_at and paid_on < timezone.localtime(application.decided_at).date():
            raise GrantError(
                _("The payment date cannot be before the grant was decided (%(date)s).")
                % {"date": short_date(timezone.localtime(application.decided_at).date())},
                field="paid_on",
            )
        application.paid_on = paid_on
        application.payment_reference = reference
        application.save(update_fields=["paid_on", "payment_reference"])
        move(
            application=application,
            to_state=S.PAID,
            actor=Actor.OFFICER,
            officer=officer,
            reason=reference,
            amount=application.amount_granted,
        )
        for commitment in open_bookings(grant_application=application):
            mark_spent(commitment=commitment, actor=officer)
    return application


def reverse_payment(*, application, officer, reason: str):
    """Undo a payment recorded by mistake or returned by the bank: the case is granted and
    unpaid again, with a reason.

    Side effects: the payment's date and reference cleared (the history and the audit log
    keep them), the move back to approved, the case's booking no longer spent (the line's
    kept sums move back in the same transaction), events and audit entries."""
    reason = (reason or "").strip()
    if not reason:
        raise GrantError(_("Give the reason the payment is reversed."), field="reason")
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        _require("reverse_payment", application)
        paid_on, reference = application.paid_on, application.payment_reference
        _record_step(
            application,
            officer=officer,
            kind=EventKind.PAYMENT_REVERSED,
            action="grant.payment_reversed",
            reason=reason,
            amount=application.amount_granted,
            paid_on=paid_on or "",
            reference=reference,
        )
        application.paid_on = None
        application.payment_reference = ""
        application.save(update_fields=["paid_on", "payment_reference"])
        move(
            application=application,
            to_state=S.APPROVED,
            actor=Actor.OFFICER,
            officer=officer,
            reason=reason,
        )
        for commitment in open_bookings(grant_application=application):
            mark_unspent(commitment=commitment, actor=officer, reason=reason)
    return application


def simple_move(*, application, officer, to_state: str, reason: str = ""):
    """The table's moves with no side effects of their own (report due, report received,
    closed): the action's guard (grants.workflow) is checked under the lock."""
    with transaction.atomic():
        locked = _locked(application)
        for act in workflow.ACTIONS:
            if act.moves and act.target == to_state and locked.state in act.sources:
                _require(act.name, locked)
        return _officer_move(
            application=application, officer=officer, to_state=to_state, reason=reason
        )
