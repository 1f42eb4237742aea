import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from grants.drafts import purge_drafts


class Command(BaseCommand):
    help = (
        "Delete expired sessions (Django's clearsessions: what visitors typed into the grant "
        "form is kept there) and drafts abandoned for a day, with their files. For a "
        "scheduler, hourly, or keep doing so (--loop)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep going, every --every s.")
        parser.add_argument("--every", type=float, default=3600.0)

    def handle(self, *args, **options):
        while True:
            call_command("clearsessions")
            purged = purge_drafts()
            self.stdout.write(f"Expired sessions cleared; {purged} abandoned draft(s) deleted.")
            if not options["loop"]:
                return
            time.sleep(options["every"])
