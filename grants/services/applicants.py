"""What an applicant does: apply (within the limits), confirm the address, answer,
comment on facts put to them (a hearing), withdraw and report back."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.selectors import open_bookings
from budgets.services import reverse_commitment
from grants.enums import Actor, ApplicationState, EventKind
from grants.models import (
    ApplicationEvent,
    ApplicationMessage,
    Attachment,
    GrantApplication,
)
from grants.permissions import (
    same_mailbox,
)
from grants.services.core import GrantError, _locked, _require, move
from grants.services.mail import _mail_officers, _queue_mail
from grants.workflow import confirmation_expired
from portal.dates import short_date

S = ApplicationState


class SubmissionRefused(GrantError):
    """A limit on the public form refused the application; the message is for the visitor."""


def submission_limits_error(*, email: str, client_key: str, now=None) -> str:
    """Why another application from this address and mailbox must wait, or "".

    The limits per mailbox count confirmed applications only: anybody can type a victim's
    address, only its owner can confirm, so unconfirmed ones never lock the owner out. They
    are bounded per client address here, and the confirmation counts them again."""
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
    first application. An application never refuses or removes another waiting for the same
    mailbox's confirmation: anybody can type a victim's address, so what waits is bounded per
    client address and purged after GRANT_CONFIRMATION_HOURS instead.
    Side effects: rows, files, an event, the confirmation mail in the outbox. Raises
    SubmissionRefused when a limit is reached.
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


def _reply(application, *, action, asked_in, mail_kind, text, files, client_address):
    """The applicant's reply to what an officer put to them (a question, the facts of a
    hearing): a message, files, the case back in review, and mail to the officer who asked
    (the last to move the case into `asked_in`), in one transaction."""
    with transaction.atomic():
        application = _locked(application)
        _require(action, application)
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
            application.events.filter(to_state=asked_in, officer__isnull=False)
            .order_by("-at", "-pk")
            .values_list("officer", flat=True)
            .first()
        )
        _mail_officers(application, mail_kind, preferred=asked_by)
    return application


def answer(*, application, text: str, files=(), client_address: str = ""):
    """The applicant answers a question; the case goes back to the officer. Side effects: a
    message, files, an event (with the client's address), mail to the officers."""
    return _reply(
        application,
        action="answer",
        asked_in=S.INFO_REQUESTED,
        mail_kind="answered",
        text=text,
        files=files,
        client_address=client_address,
    )


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


def comment_on_hearing(*, application, text: str, files=(), client_address: str = ""):
    """The applicant comments on the facts put to them (a hearing): the case goes back to
    the officer who sent them. Side effects: a message, files, an event (with the client's
    address), mail to the officers."""
    return _reply(
        application,
        action="comment",
        asked_in=S.HEARING,
        mail_kind="commented",
        text=text,
        files=files,
        client_address=client_address,
    )


def report_warning(application, today=None) -> str:
    """Why a report now needs the applicant's word that the trip has taken place ("" when
    the trip's return date has passed)."""
    today = today or timezone.localdate()
    if today >= application.returns_on:
        return ""
    return _(
        "Your trip returns on %(date)s, which has not come yet. Send the report only if the "
        "trip has taken place, and tick the box to say so."
    ) % {"date": short_date(application.returns_on)}


def submit_report(
    *,
    application,
    report: str,
    participants: int,
    cost_travel,
    cost_accommodation,
    cost_other,
    taken_place: bool = False,
    files=(),
    client_address: str = "",
):
    """The applicant reports back after the trip: what happened, how many took part and the
    actual costs per category of the application. Before the trip's return date only with
    `taken_place` (their word that it has happened). Sent again after the officer asked
    for a revision; each submission stays in the history (the event keeps its text and
    total). Side effects: the report, files, an event (with the client's address),
    officers' mail. Raises GrantError (field "taken_place")."""
    if report_warning(application) and not taken_place:
        raise GrantError(report_warning(application), field="taken_place")
    costs = [Decimal(cost_travel), Decimal(cost_accommodation), Decimal(cost_other)]
    with transaction.atomic():
        application = _locked(application)
        _require("report", application)
        application.report = report
        application.report_participants = participants
        (
            application.report_cost_travel,
            application.report_cost_accommodation,
            application.report_cost_other,
        ) = costs
        application.report_cost = sum(costs)
        application.report_submitted_at = timezone.now()
        application.save(
            update_fields=[
                "report",
                "report_participants",
                "report_cost_travel",
                "report_cost_accommodation",
                "report_cost_other",
                "report_cost",
                "report_submitted_at",
            ]
        )
        for uploaded in files:
            Attachment.objects.create(
                application=application, file=uploaded, name=uploaded.name[:200], for_report=True
            )
        ApplicationEvent.objects.create(
            application=application,
            kind=EventKind.REPORTED,
            actor=Actor.APPLICANT,
            amount=application.report_cost,
            reason=report,
            client_address=client_address or None,
        )
        _mail_officers(application, "reported", preferred=application.decided_by_id)
    return application
