"""Every move of a grant application. One function per move; each checks that the
move is allowed, writes the state and an event in one transaction, and sends its
mail after commit."""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgets.enums import CommitmentSource
from budgets.models import BudgetLine
from budgets.selectors import open_bookings
from budgets.services import book_commitment, check_bookable, mark_spent, reverse_commitment
from grants import totals, workflow
from grants.enums import Actor, ApplicationState, EventKind, ProposalState
from grants.models import (
    ApplicationEvent,
    ApplicationMessage,
    ApprovalProposal,
    Attachment,
    GrantApplication,
)
from grants.permissions import (
    conflict_reason,
    officers_who_may_act,
    same_mailbox,
)
from grants.workflow import confirmation_expired
from portal import audit, outbox
from portal.models import AuditEntry, SiteSettings
from portal.money import format_money
from portal.pdf import render_pdf

logger = logging.getLogger(__name__)
S = ApplicationState


class GrantError(Exception):
    """A rule refused the move; the message is for the user, `field` names what to correct."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def case_link(application: GrantApplication) -> str:
    return settings.PORTAL_BASE_URL + application.get_case_url()


def _locked(application: GrantApplication) -> GrantApplication:
    return GrantApplication.objects.select_for_update().get(pk=application.pk)


def move(
    *,
    application,
    to_state: str,
    actor: str,
    officer=None,
    reason: str = "",
    amount=None,
    second_officer=None,
    client_address: str = "",
):
    """Move an application to another state, if that move is allowed for this actor.
    `client_address`: where an applicant's step came from (kept in the event).

    Side effects: state, an ApplicationEvent (and an audit entry for officers).
    Call inside a transaction with the application locked. Raises GrantError.
    """
    if not workflow.allowed_move(application.state, to_state, actor):
        raise GrantError(
            _("An application that is “%(state)s” cannot become “%(to)s”.")
            % {"state": workflow.label(application.state), "to": workflow.label(to_state)}
        )
    from_state = application.state
    application.state = to_state
    if to_state == S.CLOSED:
        application.closed_at = timezone.now()
    with totals.changing(application):
        application.save(update_fields=["state", "closed_at"])
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        officer=officer,
        second_officer=second_officer,
        amount=amount,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        client_address=client_address or None,
    )
    if officer is not None:
        details = {"amount": amount} if amount is not None else {}
        if second_officer is not None:
            details["proposed_by"] = second_officer.get_username()
        audit.record(
            actor=officer,
            action=f"grant.{to_state}",
            obj=application,
            summary=f"#{application.pk} {workflow.label(from_state)} → {workflow.label(to_state)}",
            reason=reason,
            **details,
        )
    return application


def check_officer_may_decide(application: GrantApplication, officer) -> None:
    """Separation of duties: nobody acts on a case they applied for or are linked to."""
    if reason := conflict_reason(application, officer):
        raise GrantError(reason)


def _record_step(
    application, *, officer, kind, action, reason, amount=None, second_officer=None, summary="",
    **data,
) -> None:  # fmt: skip
    """A step of an officer that is not a move: in the case's history and the audit log."""
    ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=Actor.OFFICER,
        officer=officer,
        second_officer=second_officer,
        amount=amount,
        reason=reason,
    )
    amount_text = f": {format_money(amount)}" if amount is not None else ""
    audit.record(
        actor=officer,
        action=action,
        obj=application,
        summary=summary or f"#{application.pk}{amount_text}",
        reason=reason,
        amount=amount,
        **data,
    )


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
    _record_step(
        application,
        officer=officer,
        kind=EventKind.PROPOSAL_WITHDRAWN,
        action="grant.proposal_withdrawn",
        reason=reason,
        amount=proposal.amount,
        second_officer=proposal.proposed_by,
        proposal=proposal.pk,
        proposed_by=proposal.proposed_by.get_username(),
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
        if application.state == S.CLOSED:
            raise GrantError(_("The case is closed."))
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


# The applicant


class SubmissionRefused(GrantError):
    """A limit on the public form refused the application; the message is for the visitor."""


def submission_limits_error(*, email: str, client_key: str, now=None) -> str:
    """Why another application from this address and mailbox must wait, or "".

    The limits per mailbox count confirmed applications only: anybody can type a victim's
    address, only its owner can confirm, so unconfirmed ones never lock the owner out. They
    are bounded per client address here and per mailbox by `submit_application`
    (GRANT_PENDING_CONFIRMATIONS_PER_EMAIL)."""
    now = now or timezone.now()
    from_mailbox = GrantApplication.objects.filter(
        same_mailbox(email), email_confirmed_at__isnull=False
    )
    same_client = GrantApplication.objects.filter(client_key=client_key)
    hour, day = now - datetime.timedelta(hours=1), now - datetime.timedelta(days=1)
    limits = [
        (from_mailbox, hour, settings.GRANT_APPLICATIONS_PER_EMAIL_HOUR),
        (from_mailbox, day, settings.GRANT_APPLICATIONS_PER_EMAIL_DAY),
    ]
    if client_key:  # "" for applications that did not come through the form (the demo)
        limits += [
            (same_client, hour, settings.GRANT_APPLICATIONS_PER_ADDRESS_HOUR),
            (same_client, day, settings.GRANT_APPLICATIONS_PER_ADDRESS_DAY),
        ]
    for queryset, since, limit in limits:
        if queryset.filter(submitted_at__gte=since).count() >= limit:
            period = _("an hour") if since == hour else _("a day")
            return _(
                "We have received %(count)s applications from you within %(period)s, which is "
                "as many as we take. Please try again later, or write to us."
            ) % {"count": limit, "period": period}
    return ""


def submit_application(
    *, application: GrantApplication, files, language: str, submission_key: str, client_key: str
):
    """Save a new application and its attachments, and mail a link to confirm the address.

    The application is not a case (no officer sees it, no statistic counts it, no other
    mail is sent) until the applicant confirms. Submitting the same form twice returns the
    first application. Beyond GRANT_PENDING_CONFIRMATIONS_PER_EMAIL unconfirmed applications
    from one mailbox, the oldest are deleted with their files: what waits for a mailbox's
    confirmation stays bounded, and a newcomer (perhaps its owner) is never refused for it.
    Side effects: rows, files, an event, the confirmation mail in the outbox; older
    unconfirmed applications deleted. Raises SubmissionRefused when a limit is reached.
    """
    existing = GrantApplication.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    if refusal := submission_limits_error(email=application.applicant_email, client_key=client_key):
        raise SubmissionRefused(refusal)
    try:
        with transaction.atomic():
            application.language = language
            application.state = S.UNCONFIRMED
            application.submission_key = submission_key
            application.client_key = client_key
            application.save()
            for uploaded in files:
                Attachment.objects.create(
                    application=application, file=uploaded, name=uploaded.name[:200]
                )
            ApplicationEvent.objects.create(
                application=application, actor=Actor.APPLICANT, to_state=S.UNCONFIRMED
            )
            _queue_mail(application, "confirm")
            kept = settings.GRANT_PENDING_CONFIRMATIONS_PER_EMAIL - 1  # besides this one
            superseded = (
                GrantApplication.objects.filter(
                    same_mailbox(application.applicant_email), state=S.UNCONFIRMED
                )
                .exclude(pk=application.pk)
                .order_by("-submitted_at", "-pk")[max(kept, 0) :]
            )
            for older in superseded:
                _discard_unconfirmed(older)
    except IntegrityError:  # the same form, sent twice at the same moment
        existing = GrantApplication.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return application


def confirm_email(*, application, client_address: str = ""):
    """The applicant opened the mailed link and confirmed: the application becomes a case.

    The limits per mailbox are checked again here, where they count: applications waiting
    for confirmation pass them one by one when sent (none is confirmed yet), and confirmed
    together would exceed them. The mailbox's applications are locked first, so that two
    confirmations at once are counted one after the other.
    Side effects: state, an event (with the client's address), the receipt in the outbox.
    Raises GrantError (the link expired, or a limit per mailbox is reached)."""
    with transaction.atomic():
        mailbox = GrantApplication.objects.filter(same_mailbox(application.applicant_email))
        list(mailbox.select_for_update().order_by("pk").values_list("pk", flat=True))
        application = _locked(application)
        if application.state != S.UNCONFIRMED:
            return application  # confirming twice changes nothing
        if confirmation_expired(application):
            raise GrantError(_("The confirmation link has expired. Please apply again."))
        if refusal := submission_limits_error(email=application.applicant_email, client_key=""):
            raise GrantError(refusal)
        application.email_confirmed_at = timezone.now()
        application.save(update_fields=["email_confirmed_at"])
        move(
            application=application,
            to_state=S.SUBMITTED,
            actor=Actor.APPLICANT,
            client_address=client_address,
        )
        _queue_mail(application, "receipt")
    return application


def purge_unconfirmed(*, before) -> int:
    """Delete applications whose address was not confirmed before `before`, with their files.
    For a scheduler (`manage.py purge_unconfirmed_applications`). Returns how many."""
    purged = 0
    for application in GrantApplication.objects.filter(
        state=S.UNCONFIRMED, submitted_at__lt=before
    ):
        with transaction.atomic():
            _discard_unconfirmed(application)
        purged += 1
    return purged


def _discard_unconfirmed(application) -> None:
    """Delete an unconfirmed application with its files and rows. Call inside a transaction."""
    for attachment in application.attachments.all():
        attachment.file.delete(save=False)
    application.attachments.all().delete()
    application.events.all().delete()
    application.messages.all().delete()
    application.delete()


def answer(*, application, text: str, files=(), client_address: str = ""):
    """The applicant answers a question; the case goes back to the officer. Side effects: a
    message, files, an event (with the client's address), mail to the officers."""
    with transaction.atomic():
        application = _locked(application)
        _require("answer", application)
        ApplicationMessage.objects.create(application=application, from_applicant=True, text=text)
        for uploaded in files:
            Attachment.objects.create(
                application=application, file=uploaded, name=uploaded.name[:200]
            )
        move(
            application=application,
            to_state=S.IN_REVIEW,
            actor=Actor.APPLICANT,
            client_address=client_address,
        )
        asked_by = (
            application.events.filter(to_state=S.INFO_REQUESTED, officer__isnull=False)
            .order_by("-at", "-pk")
            .values_list("officer", flat=True)
            .first()
        )
        _mail_officers(application, "answered", preferred=asked_by)
    return application


def withdraw(*, application, client_address: str = ""):
    """The applicant withdraws; a granted amount goes back to the budget line. Side effects:
    state, an event (with the client's address), the commitment reversed."""
    with transaction.atomic():
        application = _locked(application)
        was_approved = application.state == S.APPROVED
        move(
            application=application,
            to_state=S.WITHDRAWN,
            actor=Actor.APPLICANT,
            client_address=client_address,
        )
        if was_approved:
            for commitment in open_bookings(grant_application=application):
                reverse_commitment(
                    commitment=commitment,
                    actor=None,
                    reason=_("The applicant withdrew the application."),
                )
    return application


def submit_report(*, application, report: str, cost, files=(), client_address: str = ""):
    """The applicant reports back after the trip. The officer then marks it received.
    Side effects: the report, files, an event (with the client's address), officers' mail."""
    with transaction.atomic():
        application = _locked(application)
        _require("report", application)
        application.report = report
        application.report_cost = cost
        application.report_submitted_at = timezone.now()
        application.save(update_fields=["report", "report_cost", "report_submitted_at"])
        for uploaded in files:
            Attachment.objects.create(
                application=application, file=uploaded, name=uploaded.name[:200], for_report=True
            )
        ApplicationEvent.objects.create(
            application=application,
            kind=EventKind.REPORTED,
            actor=Actor.APPLICANT,
            client_address=client_address or None,
        )
        _mail_officers(application, "reported", preferred=application.decided_by_id)
    return application


# The officer


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
        ApplicationMessage.objects.create(application=application, text=question)
        _queue_mail(application, "question")
    return application


def approve(*, application, officer, amount, reason: str = ""):
    """Approve with an amount, or, above the four-eyes amount, propose it for a second officer.

    The amount is checked against the scheme and the budget line's balance either way; a new
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
        if amount <= SiteSettings.current().grant_four_eyes_amount:
            _withdraw_pending_proposal(application, officer, reason)
            _grant(application, officer, amount, reason)
            return None
        check_bookable(line=paying_line(application), amount=amount)
        _withdraw_pending_proposal(application, officer, reason)
        proposal = ApprovalProposal.objects.create(
            application=application, amount=amount, reason=reason, proposed_by=officer
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
                    "The proposal has changed since you opened the case. %(who)s now proposes "
                    "%(amount)s. Read it, then confirm again."
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
        _grant(application, officer, proposal.amount, proposal.reason, proposal=proposal)
    return application


def _check_amount(application, amount) -> None:
    if amount <= 0:
        raise GrantError(_("The amount must be more than 0."), field="amount")
    if amount > application.amount_requested:
        raise GrantError(_("The amount cannot exceed what was applied for."), field="amount")
    cap = application.scheme.cap
    if cap is not None and amount > cap:
        raise GrantError(
            _("The scheme grants at most %(cap)s.") % {"cap": format_money(cap)}, field="amount"
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


def _grant(application, officer, amount, reason, proposal=None) -> None:
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
    application.decision_reason = reason
    application.decided_by = officer
    application.decided_at = timezone.now()
    application.save(
        update_fields=["amount_granted", "decision_reason", "decided_by", "decided_at"]
    )
    move(
        application=application,
        to_state=S.APPROVED,
        actor=Actor.OFFICER,
        officer=officer,
        reason=reason,
        amount=amount,
        second_officer=proposal.proposed_by if proposal else None,
    )
    _queue_mail(application, "decision")


def reject(*, application, officer, reason: str):
    if not reason.strip():
        raise GrantError(_("A rejection needs a reason for the applicant."), field="reason")
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        application.decision_reason = reason
        application.decided_by = officer
        application.decided_at = timezone.now()
        application.save(update_fields=["decision_reason", "decided_by", "decided_at"])
        move(
            application=application,
            to_state=S.REJECTED,
            actor=Actor.OFFICER,
            officer=officer,
            reason=reason,
        )
        _withdraw_pending_proposal(application, officer, reason)
        _queue_mail(application, "decision")
    return application


def mark_paid(*, application, officer):
    with transaction.atomic():
        application = _officer_move(application=application, officer=officer, to_state=S.PAID)
        for commitment in open_bookings(grant_application=application):
            mark_spent(commitment=commitment, actor=officer)
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


def _require(action: str, application) -> None:
    """Raise GrantError with the workflow's words when the case's state does not allow the
    action (grants.workflow). Call with the application locked."""
    if reason := workflow.refusal(application, action):
        raise GrantError(reason)


def perform(
    action: str, *, application, officer=None, data: dict | None = None, client_address: str = ""
):
    """Do an action of the workflow table (grants.workflow.ACTIONS): call the service it
    names with the case, the officer (for an officer's action) and what its form gave.
    The one way both sides act; the caller has checked the action is allowed (the
    services check again under the lock). `client_address`: where an applicant acted from."""
    act = workflow.action(action)
    if act is None or not act.offered:
        raise GrantError(_("This cannot be done to this case."))
    data = data or {}
    arguments = {name: data[key] for name, key in act.inputs if key in data}
    if act.actor == Actor.OFFICER:
        arguments["officer"] = officer
    else:  # the applicant, through the private link: the history keeps where from
        arguments["client_address"] = client_address
    if act.moves:
        arguments["to_state"] = act.target
    return globals()[act.service](application=application, **arguments)


# Letters and mail


def decision_letter_attachment(application_pk: str) -> list[tuple[str, bytes, str]]:
    """The decision letter for the outbox, made now if it was not made yet. A PDF failure
    never undoes the decision: the mail then goes without the letter (the outbox logs it)."""
    application = GrantApplication.objects.select_related("scheme").get(pk=application_pk)
    if application.decision_letter:
        with application.decision_letter.open("rb") as letter:
            pdf = letter.read()
    else:
        pdf = make_decision_letter(application)
    return [(f"decision-{application.pk}.pdf", pdf, "application/pdf")]


outbox.register_attacher("grants.decision_letter", decision_letter_attachment)


def make_decision_letter(application: GrantApplication) -> bytes:
    with translation.override(application.language):
        html = render_to_string(
            "grants/decision_letter.html",
            {
                "application": application,
                "site": SiteSettings.current(),
                "today": timezone.localdate(),
            },
        )
        pdf = render_pdf(html)
    application.decision_letter.save(f"decision-{application.pk}.pdf", ContentFile(pdf), save=False)
    GrantApplication.objects.filter(pk=application.pk).update(
        decision_letter=application.decision_letter.name
    )
    return pdf


def case_link_for_mail(application_pk: str) -> str:
    """The private link, made by the mail worker when it sends (never stored in the outbox,
    where staff could read it and act as the applicant)."""
    return case_link(
        GrantApplication.objects.get(pk=application_pk, personal_data_erased_at__isnull=True)
    )


outbox.register_linker("grants.case_link", case_link_for_mail)


def _queue_mail(application: GrantApplication, kind: str) -> None:
    """Write the applicant's mail to the outbox, in the caller's transaction, in the language
    they applied in. Only the confirmation goes to an address not yet confirmed, and it
    carries nothing the visitor typed. The private link is put in when the mail is sent."""
    if kind != "confirm" and application.email_confirmed_at is None:
        return
    with translation.override(application.language):
        context = {
            "application": application,
            "link": outbox.PRIVATE_LINK,
            "site": SiteSettings.current(),
        }
        subject = render_to_string(f"grants/mail/{kind}_subject.txt", context).strip()
        body = render_to_string(f"grants/mail/{kind}.txt", context)
    outbox.enqueue(
        kind=f"grants.{kind}",
        to=application.applicant_email,
        subject=subject,
        body=body,
        attach="grants.decision_letter" if kind == "decision" else "",
        attach_arg=application.pk,
        link="grants.case_link",
        link_arg=application.pk,
    )


def _mail_officers(application, kind: str, *, preferred=None, exclude=None) -> None:
    """Tell officers, through the outbox, that the case waits for them: the preferred
    officer (who asked, who decided) when they may still act, else every officer who may.
    The mail names the case's number and links to it; nothing of the applicant's."""
    officers = officers_who_may_act(application, exclude=exclude)
    chosen = [officer for officer in officers if officer.pk == preferred] or officers
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "link": settings.PORTAL_BASE_URL
            + reverse("grants:officer_case", args=[application.pk]),
            "kind": kind,
            "site": SiteSettings.current(),
        }
        subject = render_to_string("grants/mail/officer_subject.txt", context).strip()
        body = render_to_string("grants/mail/officer.txt", context)
    for officer in chosen:
        outbox.enqueue(kind=f"grants.officer.{kind}", to=officer.email, subject=subject, body=body)


def send_report_reminders() -> int:
    """For a scheduler: paid grants whose trip is over become 'report due', and applicants
    with an overdue report are reminded every GRANT_REMINDER_DAYS. Returns reminders queued."""
    now = timezone.now()
    today = timezone.localdate()
    for application in GrantApplication.objects.filter(state=S.PAID, returns_on__lt=today):
        with transaction.atomic():
            move(application=_locked(application), to_state=S.REPORT_DUE, actor=Actor.SYSTEM)
    since = now - datetime.timedelta(days=settings.GRANT_REMINDER_DAYS)
    due = GrantApplication.objects.filter(
        state=S.REPORT_DUE, report_submitted_at__isnull=True, personal_data_erased_at__isnull=True
    ).exclude(last_reminded_at__gt=since)
    sent = 0
    for application in due:
        with transaction.atomic():
            _queue_mail(application, "reminder")
            GrantApplication.objects.filter(pk=application.pk).update(last_reminded_at=now)
        sent += 1
    return sent


PERSONAL_FIELDS = {
    "applicant_name": "",
    "applicant_email": "erased@invalid",
    "applicant_phone": "",
    "applicant_address": "",
    "applicant_birth_date": None,
    "purpose": "",
    "report": "",
    "decision_reason": "",
}


def erase_personal_data(*, before) -> int:
    """Erase the personal data of cases closed before `before`; keep the amounts.

    Side effects: blanks personal fields, deletes messages, attachments and letters.
    Returns how many cases were erased.
    """
    cases = GrantApplication.objects.filter(
        state=S.CLOSED, closed_at__lt=before, personal_data_erased_at__isnull=True
    )
    erased = 0
    for application in cases:
        with transaction.atomic():
            for attachment in application.attachments.all():
                attachment.file.delete(save=False)
            application.attachments.all().delete()
            application.messages.all().delete()
            application.events.update(reason="", client_address=None)
            AuditEntry.objects.filter(
                object_type=GrantApplication._meta.label, object_id=str(application.pk)
            ).update(reason="")
            if application.decision_letter:
                application.decision_letter.delete(save=False)
            for field, value in PERSONAL_FIELDS.items():
                setattr(application, field, value)
            if not application.organisation_may_be_published:
                application.organisation = ""
            application.personal_data_erased_at = timezone.now()
            application.save()
        erased += 1
    return erased
