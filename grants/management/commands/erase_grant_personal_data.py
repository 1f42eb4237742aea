import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from grants.services import erase_personal_data
from portal.scoping import for_each_municipality


class Command(BaseCommand):
    help = "Erase personal data of grant cases closed longer ago than GRANT_RETENTION_DAYS."

    def handle(self, *args, **options):
        before = timezone.now() - datetime.timedelta(days=settings.GRANT_RETENTION_DAYS)
        for municipality in for_each_municipality():
            erased = erase_personal_data(before=before)
            self.stdout.write(
                f"{municipality.slug}: personal data erased from {erased} closed case(s)."
            )
