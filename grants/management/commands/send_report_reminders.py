from django.core.management.base import BaseCommand

from grants.services import send_report_reminders


class Command(BaseCommand):
    help = "Mark paid grants whose trip is over as 'report due' and remind overdue applicants."

    def handle(self, *args, **options):
        sent = send_report_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
