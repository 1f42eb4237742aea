from django.core.management.base import BaseCommand

from grants.services import send_report_reminders
from portal.scoping import for_each_municipality


class Command(BaseCommand):
    help = "Mark paid grants whose trip is over as 'report due' and remind overdue applicants."

    def handle(self, *args, **options):
        for municipality in for_each_municipality():
            sent = send_report_reminders()
            self.stdout.write(f"{municipality.slug}: {sent} reminder(s) sent.")
