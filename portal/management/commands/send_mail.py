import time

from django.core.management.base import BaseCommand

from portal.outbox import send_due


class Command(BaseCommand):
    help = "Send the mails in the outbox that are due (for a scheduler), or keep doing so (--loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep sending, every --every s.")
        parser.add_argument("--every", type=float, default=5.0)

    def handle(self, *args, **options):
        while True:
            sent, failed = send_due()
            if sent or failed or not options["loop"]:
                self.stdout.write(f"{sent} sent, {failed} failed (will be retried)")
            if not options["loop"]:
                return
            time.sleep(options["every"])
