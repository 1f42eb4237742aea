"""The outbox: every mail the portal sends.

`enqueue` writes the mail in the caller's transaction, so it exists exactly when the change
that causes it does. `send_due` (the worker, `manage.py send_mail`) sends what is due, one row
locked at a time so that two workers never send the same mail, and retries a failure with
back-off until OUTBOX_MAX_ATTEMPTS; then the mail is marked failed for staff to see (admin:
*Outgoing mail*).
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from portal.models import OutboxMail

logger = logging.getLogger(__name__)

# name -> function(arg) returning [(filename, content, mimetype)], called when sending.
ATTACHERS: dict[str, Callable[[str], list[tuple[str, bytes, str]]]] = {}


def register_attacher(name: str, function: Callable[[str], list]) -> None:
    ATTACHERS[name] = function


def enqueue(*, kind: str, to: str, subject: str, body: str, attach: str = "", attach_arg=""):
    """Write a mail to the outbox. Call inside the transaction of the change that causes it."""
    return OutboxMail.objects.create(
        kind=kind,
        to=to,
        subject=subject[:200],
        body=body,
        attach=attach,
        attach_arg=str(attach_arg),
    )


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 ... minutes after each failure, at most six hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _send(mail: OutboxMail) -> None:
    message = EmailMessage(mail.subject, mail.body, to=[mail.to])
    if mail.attach:
        try:
            for attachment in ATTACHERS[mail.attach](mail.attach_arg):
                message.attach(*attachment)
        except Exception:  # an attachment never stops the mail itself
            logger.exception("Attachment %s for mail %s failed", mail.attach, mail.pk)
    message.send()


def send_due(*, now: datetime.datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send the mails that are due. Returns (sent, failed attempts)."""
    now = now or timezone.now()
    sent = failed = 0
    due = OutboxMail.objects.filter(state=OutboxMail.State.PENDING, next_attempt_at__lte=now)
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            mail = (
                OutboxMail.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=OutboxMail.State.PENDING)
                .first()
            )
            if mail is None:  # another worker has it, or sent it
                continue
            try:
                _send(mail)
            except Exception as error:  # the mail server, whatever it says
                mail.attempts += 1
                mail.last_error = f"{type(error).__name__}: {error}"[:2000]
                if mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    mail.state = OutboxMail.State.FAILED
                    logger.error("Mail %s failed %s times: %s", pk, mail.attempts, error)
                mail.next_attempt_at = now + backoff(mail.attempts)
                mail.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
                failed += 1
            else:
                mail.state = OutboxMail.State.SENT
                mail.sent_at = timezone.now()
                mail.attempts += 1
                mail.save(update_fields=["state", "sent_at", "attempts"])
                sent += 1
    return sent, failed
