import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from portal.models import Municipality
from portal.outbox import send_due
from portal.scoping import municipality

logger = logging.getLogger("portal.outbox")

# The longest pause, in seconds, after the database failed again and again.
MAX_PAUSE = 300


class Command(BaseCommand):
    help = (
        "Send the mails in the outbox that are due, of every municipality (for a scheduler), "
        "or keep doing so (--loop). A mail is sent at most once "
        "(docs/security/mail-and-links.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep sending, every --every s.")
        parser.add_argument("--every", type=float, default=5.0)

    def handle(self, *args, **options):
        failures = 0
        while True:
            try:
                sent, failed = send_for_every_municipality()
            except DatabaseError as error:
                # The database is locked, restarting or gone: the loop waits and tries again
                # (longer each time), a single run says so and fails.
                failures += 1
                pause = min(options["every"] * 2**failures, MAX_PAUSE)
                logger.error("The outbox could not be read (%s); again in %s s", error, pause)
                if not options["loop"]:
                    raise CommandError(f"The outbox could not be read: {error}") from error
                close_old_connections()
                time.sleep(pause)
                continue
            failures = 0
            if sent or failed or not options["loop"]:
                self.stdout.write(f"{sent} sent, {failed} failed (will be retried)")
            if not options["loop"]:
                return
            time.sleep(options["every"])


def send_for_every_municipality() -> tuple[int, int]:
    """Each municipality's due mails, sent inside it (portal.scoping): its outbox, its
    sender, its links. The municipalities are read again each time (a new one is served)."""
    sent = failed = 0
    for record in Municipality.objects.order_by("pk"):
        with municipality(record):
            its_sent, its_failed = send_due()
        sent += its_sent
        failed += its_failed
    return sent, failed
