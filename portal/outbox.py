"""The outbox: every mail the portal sends.

`enqueue` writes the mail in the caller's transaction, so it exists exactly when the change
that causes it does. A private link (an applicant's case) is never stored: the body holds
PRIVATE_LINK where it goes, and the row names a registered function (`register_linker`)
that makes the link when the mail is sent. Staff who read the outbox therefore cannot read
a link that acts as an applicant.

`send_due` (the worker, `manage.py send_mail`) sends what is due without holding a database
transaction while it talks to the mail server (EMAIL_TIMEOUT bounds that talk):

1. claim: one short UPDATE moves the row from "pending" to "sending" (two workers cannot
   both claim it);
2. send, outside any transaction;
3. record the result in another short write, retried with back-off if the database refuses.

A mail is sent at most once. A row left "sending" (the worker died, or could not record
that the server took the mail) is not sent again: after OUTBOX_LATE_MINUTES it becomes
"uncertain" for staff to see. A mail the server refused, or that never got to it (no
connection, no greeting), goes back to "pending" and is retried with back-off until
OUTBOX_MAX_ATTEMPTS; then it is marked failed (admin: *Outgoing mail*).
"""

import datetime
import logging
import smtplib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError
from django.db.models import Count, Max, Min
from django.utils import timezone

from portal.models import OutboxMail, SiteSettings

logger = logging.getLogger(__name__)

# Where a private link goes in a stored body; replaced by the link when the mail is sent.
PRIVATE_LINK = "[[private-link]]"

# name -> function(arg) returning [(filename, content, mimetype)], called when sending.
ATTACHERS: dict[str, Callable[[str], list[tuple[str, bytes, str]]]] = {}
# name -> function(arg) returning the private link, called when sending.
LINKERS: dict[str, Callable[[str], str]] = {}

# Seconds between the attempts to record a result the database refused (locked, gone).
RECORD_RETRY_DELAYS = (0.5, 1, 2, 4, 8)


def register_attacher(name: str, function: Callable[[str], list]) -> None:
    ATTACHERS[name] = function


def register_linker(name: str, function: Callable[[str], str]) -> None:
    LINKERS[name] = function


def enqueue(
    *, kind: str, to: str, subject: str, body: str, attach: str = "", attach_arg="", link="",
    link_arg="",
):  # fmt: skip
    """Write a mail to the outbox. Call inside the transaction of the change that causes it.
    With `link`, the body holds PRIVATE_LINK where the registered linker's link goes."""
    if link and link not in LINKERS:
        raise ValueError(f"No linker registered as {link!r}")
    return OutboxMail.objects.create(
        kind=kind,
        to=to,
        subject=subject[:200],
        body=body,
        attach=attach,
        attach_arg=str(attach_arg),
        link=link,
        link_arg=str(link_arg),
    )


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 ... minutes after each failure, at most six hours."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


class NotSent(Exception):
    """The mail certainly did not reach the mail server: it may be tried again."""


class Gone(NotSent):
    """What the mail's link points to no longer exists: trying again cannot help."""


def _sender() -> dict:
    """From the municipality the mail is for (its name on DEFAULT_FROM_EMAIL's address),
    answered to its contact address where it has one."""
    from email.headerregistry import Address
    from email.utils import parseaddr

    site = SiteSettings.current()
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    # Unencoded: Django encodes the header as it sends, and a name with "ü" stays readable.
    name = site.municipality_name
    sender = {"from_email": str(Address(display_name=name, addr_spec=address))}
    if site.contact_email:
        sender["reply_to"] = [site.contact_email]
    return sender


def _message(mail: OutboxMail) -> EmailMessage:
    body = mail.body
    if mail.link:
        try:
            body = body.replace(PRIVATE_LINK, LINKERS[mail.link](mail.link_arg))
        except ObjectDoesNotExist as error:  # the case was erased or deleted
            raise Gone(f"{type(error).__name__}: {error}") from error
        except Exception as error:  # the database, for instance: nothing was sent
            raise NotSent(f"{type(error).__name__}: {error}") from error
    message = EmailMessage(mail.subject, body, to=[mail.to], **_sender())
    if mail.attach:
        try:
            for attachment in ATTACHERS[mail.attach](mail.attach_arg):
                message.attach(*attachment)
        except Exception:  # an attachment never stops the mail itself
            logger.exception("Attachment %s for mail %s failed", mail.attach, mail.pk)
    return message


def _send(mail: OutboxMail) -> None:
    """Hand the mail to the mail server. NotSent when it certainly did not take it (no
    connection, no greeting, an answer that refuses); any other error leaves it open whether
    the server took it."""
    try:
        message = _message(mail)
        connection = get_connection()
        connection.open()
    except NotSent:
        raise
    except Exception as error:  # the message, connecting, greeting, TLS, login: nothing sent
        raise NotSent(f"{type(error).__name__}: {error}") from error
    try:
        connection.send_messages([message])
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
        raise NotSent(f"{type(error).__name__}: {error}") from error  # the server said no
    finally:
        try:
            connection.close()
        except Exception:  # closing is not sending
            logger.warning("Closing the mail connection failed", exc_info=True)


def _record(pk: int, **fields) -> bool:
    """Write a result in its own short statement, retried with back-off while the database
    refuses (SQLite's "database is locked", a PostgreSQL restart). False if it never could."""
    for delay in (*RECORD_RETRY_DELAYS, None):
        try:
            OutboxMail.objects.filter(pk=pk).update(**fields)
            return True
        except DatabaseError as error:
            if delay is None:
                logger.error("Could not record the result of mail %s: %s", pk, error)
                return False
            logger.warning("Recording mail %s failed (%s); again in %s s", pk, error, delay)
            time.sleep(delay)
    return False


def _claim(pk: int, now: datetime.datetime) -> OutboxMail | None:
    """The mail, read and then taken with one conditional UPDATE (no transaction, no lock
    held): None if another worker took it first. What is read cannot change meanwhile, as
    only the worker that claims a waiting mail writes it."""
    waiting = OutboxMail.objects.filter(
        pk=pk, state=OutboxMail.State.PENDING, next_attempt_at__lte=now
    )
    mail = waiting.first()
    if mail is None:
        return None
    claimed = waiting.update(state=OutboxMail.State.SENDING, claimed_at=timezone.now())
    return mail if claimed else None


def give_up_on_interrupted(*, now: datetime.datetime | None = None) -> int:
    """Rows left "sending" longer than OUTBOX_LATE_MINUTES: the worker stopped while the
    server may have taken the mail. They become "uncertain" and are never sent again."""
    now = now or timezone.now()
    before = now - datetime.timedelta(minutes=settings.OUTBOX_LATE_MINUTES)
    stale = OutboxMail.objects.filter(state=OutboxMail.State.SENDING, claimed_at__lt=before)
    count = stale.update(
        state=OutboxMail.State.UNCERTAIN,
        last_error="The worker stopped while sending; the mail server may have taken the "
        "mail, so it is not sent again.",
    )
    if count:
        logger.error("%s mails were interrupted while sending and are not sent again", count)
    return count


def send_due(*, now: datetime.datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send the mails that are due. Returns (sent, failed attempts). Never inside a
    transaction: each mail is claimed, sent and recorded in statements of their own."""
    now = now or timezone.now()
    give_up_on_interrupted(now=now)
    sent = failed = 0
    due = OutboxMail.objects.filter(state=OutboxMail.State.PENDING, next_attempt_at__lte=now)
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        mail = _claim(pk, now)
        if mail is None:  # another worker has it, or sent it
            continue
        try:
            _send(mail)
        except NotSent as error:
            attempts = mail.attempts + 1
            state = OutboxMail.State.PENDING
            if attempts >= settings.OUTBOX_MAX_ATTEMPTS or isinstance(error, Gone):
                state = OutboxMail.State.FAILED
                logger.error("Mail %s failed %s times: %s", pk, attempts, error)
            else:
                logger.warning("Mail %s not sent (attempt %s): %s", pk, attempts, error)
            _record(
                pk,
                attempts=attempts,
                last_error=str(error)[:2000],
                state=state,
                next_attempt_at=now + backoff(attempts),
            )
            failed += 1
        except Exception as error:  # cut off mid-send: perhaps sent, so never again
            logger.error("Mail %s perhaps sent, not sent again: %s", pk, error)
            _record(
                pk,
                attempts=mail.attempts + 1,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                state=OutboxMail.State.UNCERTAIN,
            )
            failed += 1
        else:
            _record(
                pk, state=OutboxMail.State.SENT, sent_at=timezone.now(), attempts=mail.attempts + 1
            )
            sent += 1
    return sent, failed


def health(*, now: datetime.datetime | None = None) -> dict:
    """When the outbox last moved, and what waits: for the staff front page and the check.
    `late` counts the mails written more than OUTBOX_LATE_MINUTES ago and still waiting (the
    worker or the mail server seems stopped); `uncertain` the mails perhaps sent, which
    staff should look at."""
    now = now or timezone.now()
    late_before = now - datetime.timedelta(minutes=settings.OUTBOX_LATE_MINUTES)
    late = OutboxMail.objects.filter(state=OutboxMail.State.PENDING, created_at__lt=late_before)
    facts = late.aggregate(count=Count("pk"), oldest=Min("created_at"))
    return {
        "last_sent_at": OutboxMail.objects.aggregate(last=Max("sent_at"))["last"],
        "late": facts["count"],
        "oldest_late_at": facts["oldest"],
        "uncertain": OutboxMail.objects.filter(state=OutboxMail.State.UNCERTAIN).count(),
        "late_minutes": settings.OUTBOX_LATE_MINUTES,
    }
