"""Every write that touches money. Each checks and writes in one transaction,
with row locks on the budget lines, so two people acting at the same moment
cannot both spend the last krone."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import totals
from budgets.enums import CommitmentSource, ManualCause
from budgets.models import BudgetLine, Commitment
from budgets.selectors import bookable_amount, cause_url, chain_of
from portal import audit
from portal.choices import label_of
from portal.money import format_money


class BudgetError(Exception):
    """A rule of the budget refused the change; the message is for the user."""


def _money(value) -> Decimal:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise BudgetError(_("The amount must be a number.")) from None
    return amount


def _lock_chain(line: BudgetLine) -> tuple[list[BudgetLine], dict[int, Decimal]]:
    """Lock the line and every line its balance depends on, in year order (no deadlocks),
    and return them with their committed totals (read under the lock, so current)."""
    chain = list(
        chain_of(line)
        .select_for_update(of=("self",))
        .select_related("budget_year")
        .order_by("budget_year__year")
    )
    return chain, {member.pk: member.committed for member in chain}


def check_bookable(*, line: BudgetLine, amount) -> BudgetLine:
    """Lock the line (and the lines its balance depends on) and check it can bear `amount`.

    Returns the locked line. Call inside a transaction. Raises BudgetError.
    """
    amount = _money(amount)
    chain, committed = _lock_chain(line)
    line = next(member for member in chain if member.pk == line.pk)
    available = bookable_amount(chain, committed, line)
    if amount > available:
        raise BudgetError(
            _("%(line)s has %(available)s left; %(amount)s cannot be booked.")
            % {
                "line": line.name,
                "available": format_money(max(available, Decimal(0))),
                "amount": format_money(amount),
            }
        )
    return line


def book_commitment(
    *,
    line: BudgetLine,
    amount,
    description: str,
    source: str,
    actor,
    booked_on: datetime.date | None = None,
    reason: str = "",
    reference: str = "",
    is_spent: bool = False,
    public_description: str = "",
    trip=None,
    grant_application=None,
    manual_cause: str = "",
) -> Commitment:
    """Book an amount against a line, if the line (and its later carry-over years) can bear it.
    `trip` or `grant_application` is what it pays for, when the portal books it; `reference`
    is a manual entry's own reference (an invoice, a case number), `manual_cause` what it
    pays for (budgets.enums.ManualCause: never a trip abroad).

    Side effects: a Commitment row and an audit entry. Raises BudgetError.
    """
    amount = _money(amount)
    if amount <= 0:
        raise BudgetError(_("The amount must be more than 0."))
    _check_cause(source=source, trip=trip, manual_cause=manual_cause)
    if source == CommitmentSource.MANUAL and not reason.strip():
        raise BudgetError(_("A manual entry needs a reason."))
    with transaction.atomic():
        line = check_bookable(line=line, amount=amount)
        commitment = Commitment.objects.create(
            line=line,
            amount=amount,
            booked_on=booked_on or timezone.localdate(),
            description=description,
            source=source,
            reference=reference,
            trip=trip,
            grant_application=grant_application,
            reason=reason,
            is_spent=is_spent,
            public_description=public_description,
            manual_cause=manual_cause,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        totals.booked(commitment)
        audit.record(
            actor=actor,
            action="budget.book",
            obj=commitment,
            summary=f"{line.budget_year.year} {line.code}: {description}",
            reason=reason,
            line=line.pk,
            amount=amount,
        )
    return commitment


def _check_cause(*, source: str, trip, manual_cause: str) -> None:
    """A trip's cost reaches a line only through its trip record (so it is in the trip
    register and the overdue list), and an entry booked by hand names what it pays for from
    a list without trips abroad. Raises BudgetError."""
    if source == CommitmentSource.TRIP_ACCOUNTS and trip is None:
        raise BudgetError(
            _("A trip's cost is booked through its trip record: register it with the trip form.")
        )
    if trip is not None and source != CommitmentSource.TRIP_ACCOUNTS:
        raise BudgetError(_("A trip's cost is booked from its accounts, not by hand."))
    if source == CommitmentSource.MANUAL:
        if manual_cause not in ManualCause.values:
            raise BudgetError(
                _("Choose what the entry pays for. A trip abroad is registered with the trip form.")
            )
    elif manual_cause:
        raise BudgetError(_("Only an entry booked by hand names what it pays for."))


def _counter_entry(commitment, amount, words, *, actor, reason, **points_at) -> Commitment:
    """A row booked against `commitment` (a reversal or a repayment): the same line, cause,
    reference, public words and spent state, `amount` (negative), described by `words`, and
    pointing at it through `points_at` (`reverses=` or `reduces=`)."""
    return Commitment.objects.create(
        line=commitment.line,
        amount=amount,
        booked_on=timezone.localdate(),
        description=words % {"description": commitment.description},
        source=commitment.source,
        reference=commitment.reference,
        trip_id=commitment.trip_id,
        grant_application_id=commitment.grant_application_id,
        reason=reason,
        is_spent=commitment.is_spent,
        public_description=commitment.public_description,
        manual_cause=commitment.manual_cause,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **points_at,
    )


def reverse_commitment(*, commitment: Commitment, actor, reason: str) -> Commitment:
    """Cancel a commitment by booking its opposite. The original stays, marked as reversed.

    Side effects: a negative Commitment row and an audit entry. Raises BudgetError.
    """
    if not reason.strip():
        raise BudgetError(_("A reversal needs a reason."))
    with transaction.atomic():
        _lock_chain(commitment.line)
        commitment = Commitment.objects.select_related("line__budget_year").get(pk=commitment.pk)
        if commitment.reverses_id is not None:
            raise BudgetError(_("A reversal cannot itself be reversed."))
        if Commitment.objects.filter(reverses=commitment).exists():
            raise BudgetError(_("This commitment has already been reversed."))
        reversal = _counter_entry(
            commitment,
            -commitment.amount,
            _("Reversal: %(description)s"),
            actor=actor,
            reason=reason,
            reverses=commitment,
        )
        totals.booked(reversal)
        audit.record(
            actor=actor,
            action="budget.reverse",
            obj=commitment,
            summary=f"{commitment.line.code}: {commitment.description}",
            reason=reason,
            amount=reversal.amount,
            reversal=reversal.pk,
        )
    return reversal


def reverse_by_hand(*, commitment: Commitment, actor, reason: str) -> Commitment:
    """An administrator reverses a manual entry. A trip's or a grant's booking changes only
    through that trip or case, so the line and its cause never disagree. Raises BudgetError."""
    if commitment.source != CommitmentSource.MANUAL:
        raise BudgetError(
            _("This amount was booked by %(cause)s; change it there: %(url)s")
            % {
                "cause": label_of(CommitmentSource, commitment.source).lower(),
                "url": cause_url(commitment),
            }
        )
    return reverse_commitment(commitment=commitment, actor=actor, reason=reason)


def change_line_amount(*, line: BudgetLine, amount, actor, reason: str) -> BudgetLine:
    """Change what a line has for its year, unless that would leave a year below zero.

    Side effects: the line's amount and an audit entry. Raises BudgetError.
    """
    amount = _money(amount)
    if amount < 0:
        raise BudgetError(_("The amount cannot be negative."))
    if not reason.strip():
        raise BudgetError(_("A change of a budget line needs a reason."))
    with transaction.atomic():
        chain, committed = _lock_chain(line)
        locked = next(member for member in chain if member.pk == line.pk)
        old_amount = locked.amount
        locked.amount = amount
        if bookable_amount(chain, committed, locked) < 0:
            raise BudgetError(
                _("More than %(amount)s is already committed on this line.")
                % {"amount": format_money(amount)}
            )
        locked.save(update_fields=["amount"])
        audit.record(
            actor=actor,
            action="budget.change_amount",
            obj=locked,
            summary=f"{locked.budget_year.year} {locked.code}",
            reason=reason,
            amount=amount,
            old=old_amount,
            new=amount,
        )
    line.amount = amount
    return line


def mark_spent(*, commitment: Commitment, actor) -> Commitment:
    """Mark a commitment as paid out. Side effects: is_spent and an audit entry."""
    with transaction.atomic():
        updated = Commitment.objects.filter(pk=commitment.pk, is_spent=False).update(is_spent=True)
        if updated:
            totals.paid_out(commitment)
            audit.record(
                actor=actor,
                action="budget.spent",
                obj=commitment,
                summary=commitment.description,
                amount=commitment.amount,
            )
    commitment.is_spent = True
    return commitment


def mark_unspent(*, commitment: Commitment, actor, reason: str) -> Commitment:
    """Undo `mark_spent`: the payment was reversed, so the amount is committed again but no
    longer paid out. Side effects: is_spent, the line's kept sums and an audit entry, in the
    caller's transaction (or one of its own)."""
    with transaction.atomic():
        updated = Commitment.objects.filter(pk=commitment.pk, is_spent=True).update(is_spent=False)
        if updated:
            totals.paid_back(commitment)
            audit.record(
                actor=actor,
                action="budget.unspent",
                obj=commitment,
                summary=commitment.description,
                reason=reason,
                amount=-commitment.amount,
            )
    commitment.is_spent = False
    return commitment


def reduce_commitment(*, commitment: Commitment, amount, actor, reason: str) -> Commitment:
    """Book part of a commitment back (a grant's unspent part repaid): a negative row for
    `amount` on the same line, for the same cause, spent as the original was. The original
    stays as it was; a reversal of the whole remains possible only while nothing was booked
    back (`reverse_commitment` refuses a reversal of a reversal, not this).

    Side effects: a negative Commitment row, the line's kept totals, an audit entry.
    Raises BudgetError (no reason, not more than 0, more than the commitment has left)."""
    amount = _money(amount)
    if amount <= 0:
        raise BudgetError(_("The amount must be more than 0."))
    if not reason.strip():
        raise BudgetError(_("A reduction needs a reason."))
    with transaction.atomic():
        _lock_chain(commitment.line)
        commitment = Commitment.objects.select_related("line__budget_year").get(pk=commitment.pk)
        if (
            commitment.reverses_id is not None
            or Commitment.objects.filter(reverses=commitment).exists()
        ):
            raise BudgetError(_("This commitment has been reversed; nothing is left to reduce."))
        left = commitment.amount + sum(
            Commitment.objects.filter(reduces=commitment).values_list("amount", flat=True)
        )
        if amount > left:
            raise BudgetError(
                _("%(amount)s is more than the %(left)s left of this commitment.")
                % {"amount": format_money(amount), "left": format_money(left)}
            )
        reduction = _counter_entry(
            commitment,
            -amount,
            _("Repaid: %(description)s"),
            actor=actor,
            reason=reason,
            reduces=commitment,
        )
        totals.booked(reduction)
        audit.record(
            actor=actor,
            action="budget.reduce",
            obj=commitment,
            summary=f"{commitment.line.code}: {commitment.description}",
            reason=reason,
            reduction=reduction.pk,
            amount=amount,
        )
    return reduction
