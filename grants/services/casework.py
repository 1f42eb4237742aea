"""What an officer does besides deciding: hear the applicant before a decision rests on facts
they have not seen, withdraw a question, send a report back for revision, claim an unspent
grant back and record it repaid."""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.selectors import open_bookings
from budgets.services import reduce_commitment
from grants.enums import Actor, ApplicationState, EventKind
from grants.models import ApplicationMessage
from grants.selectors import unspent_grant
from grants.services.conflicts import _withdraw_pending_proposal
from grants.services.core import (
    GrantError,
    _locked,
    _record_step,
    _require,
    check_officer_may_decide,
    move,
)
from grants.services.mail import _queue_mail
from portal.dates import short_date
from portal.money import format_money

S = ApplicationState


def earliest_hearing_deadline(today=None) -> datetime.date:
    """The first day an officer may set as a hearing's deadline (settings.GRANT_HEARING_DAYS
    ahead; docs/decisions/a-hearing-gives-the-applicant-at-least-14-days.md)."""
    return (today or timezone.localdate()) + datetime.timedelta(days=settings.GRANT_HEARING_DAYS)


def check_hearing_deadline(deadline) -> None:
    """Raise GrantError (at the field) for a deadline in the past or too soon."""
    if deadline is None:
        raise GrantError(_("Choose the deadline for comments."), field="deadline")
    today = timezone.localdate()
    if deadline < today:
        raise GrantError(_("The deadline cannot be in the past."), field="deadline")
    earliest = earliest_hearing_deadline(today)
    if deadline < earliest:
        raise GrantError(
            _("Give the applicant at least %(days)s days: choose %(date)s or later.")
            % {"days": settings.GRANT_HEARING_DAYS, "date": short_date(earliest)},
            field="deadline",
        )


def _locked_for(application, officer, action: str):
    """Lock the case, check the officer may act on it and the table allows the action."""
    application = _locked(application)
    check_officer_may_decide(application, officer)
    _require(action, application)
    return application


def send_hearing(*, application, officer, facts: str, deadline):
    """Put facts the applicant has not seen to them before a decision rests on them: the case
    waits for their comments until the deadline.

    Side effects: the facts as a message, the deadline, the move (history and audit, with the
    deadline), a pending proposal withdrawn, the hearing mail in the applicant's language.
    Raises GrantError (no facts, a deadline in the past or too soon)."""
    if not (facts or "").strip():
        raise GrantError(_("Write the facts the applicant is to comment on."), field="facts")
    check_hearing_deadline(deadline)
    with transaction.atomic():
        application = _locked_for(application, officer, "hearing")
        _withdraw_pending_proposal(application, officer, facts)
        application.hearing_deadline = deadline
        application.save(update_fields=["hearing_deadline"])
        move(
            application=application,
            to_state=S.HEARING,
            actor=Actor.OFFICER,
            officer=officer,
            reason=_("Comments by %(date)s: %(facts)s")
            % {"date": short_date(deadline), "facts": facts},
        )
        ApplicationMessage.objects.create(application=application, text=facts)
        _queue_mail(application, "hearing")
    return application


def end_hearing(*, application, officer):
    """The deadline passed without comments: the case is in review again, for a decision.
    Side effects: an event and an audit entry for the hearing's end, the move."""
    with transaction.atomic():
        application = _locked_for(application, officer, "hearing_over")
        _record_step(
            application,
            officer=officer,
            kind=EventKind.HEARING_ENDED,
            action="grant.hearing_ended",
            reason="",
            deadline=application.hearing_deadline.isoformat(),
        )
        move(application=application, to_state=S.IN_REVIEW, actor=Actor.OFFICER, officer=officer)
    return application


def withdraw_question(*, application, officer, note: str):
    """Take back a question (the answer came another way): the case is in review again and
    the applicant's page no longer asks for an answer.
    Side effects: an event and an audit entry with the officer's note, the move."""
    if not (note or "").strip():
        raise GrantError(_("Write why the question is withdrawn."), field="note")
    with transaction.atomic():
        application = _locked_for(application, officer, "withdraw_question")
        _record_step(
            application,
            officer=officer,
            kind=EventKind.QUESTION_WITHDRAWN,
            action="grant.question_withdrawn",
            reason=note,
        )
        move(application=application, to_state=S.IN_REVIEW, actor=Actor.OFFICER, officer=officer)
    return application


def request_revision(*, application, officer, note: str):
    """Send a report back to the applicant for revision: they can send it again (each
    submission stays in the history with its text and costs).
    Side effects: the report is open again, an event and an audit entry with the note, the
    revision mail in the applicant's language."""
    if not (note or "").strip():
        raise GrantError(_("Write what the applicant should revise."), field="note")
    with transaction.atomic():
        application = _locked_for(application, officer, "revision")
        application.report_submitted_at = None
        application.save(update_fields=["report_submitted_at"])
        _record_step(
            application,
            officer=officer,
            kind=EventKind.REVISION_REQUESTED,
            action="grant.report_revision",
            reason=note,
        )
        _queue_mail(application, "revision")
    return application


def _amount(value) -> Decimal:
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise GrantError(_("The amount must be a number."), field="amount") from None


def claim_repayment(*, application, officer, amount=None):
    """Claim the unspent part of a grant back (the scheme's `repay_unspent`, the report's
    actual costs below the grant): `amount`, by default the difference, at most the grant.
    Side effects: the claim, an event and an audit entry, the repayment mail."""
    with transaction.atomic():
        application = _locked_for(application, officer, "claim_repayment")
        difference = unspent_grant(application)
        amount = difference if amount in (None, "") else _amount(amount)
        if amount <= 0:
            raise GrantError(_("The amount must be more than 0."), field="amount")
        if amount > application.amount_granted:
            raise GrantError(
                _("At most the grant, %(amount)s, can be claimed back.")
                % {"amount": format_money(application.amount_granted)},
                field="amount",
            )
        application.repayment_claimed = amount
        application.save(update_fields=["repayment_claimed"])
        _record_step(
            application,
            officer=officer,
            kind=EventKind.REPAYMENT_CLAIMED,
            action="grant.repayment_claimed",
            reason="",
            amount=amount,
            difference=difference,
        )
        _queue_mail(application, "repayment")
    return application


def record_repayment(*, application, officer, repaid_on=None):
    """The claimed amount came back: the grant's commitment on its budget line is reduced by
    it (the line's kept totals move in this transaction).
    Side effects: the date, a negative commitment, events and audit entries. Raises
    GrantError (a date in the future) or BudgetError."""
    repaid_on = repaid_on or timezone.localdate()
    if repaid_on > timezone.localdate():
        raise GrantError(_("The date cannot be in the future."), field="repaid_on")
    with transaction.atomic():
        application = _locked_for(application, officer, "repaid")
        application.repaid_on = repaid_on
        application.save(update_fields=["repaid_on"])
        booking = open_bookings(grant_application=application).filter(amount__gt=0).first()
        if booking is not None:
            reduce_commitment(
                commitment=booking,
                amount=application.repayment_claimed,
                actor=officer,
                reason=_("Case %(number)s: unspent grant repaid on %(date)s.")
                % {"number": application.case_number, "date": short_date(repaid_on)},
            )
        _record_step(
            application,
            officer=officer,
            kind=EventKind.REPAID,
            action="grant.repaid",
            reason="",
            amount=application.repayment_claimed,
            repaid_on=repaid_on.isoformat(),
        )
    return application
