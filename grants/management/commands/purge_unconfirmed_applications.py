import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from grants.drafts import purge_drafts
from grants.services import purge_unconfirmed
from portal.scoping import for_each_municipality


class Command(BaseCommand):
    help = (
        "Delete applications whose email address was not confirmed within "
        "GRANT_CONFIRMATION_HOURS, with their files, and drafts abandoned for a day "
        "(for a scheduler, e.g. hourly)."
    )

    def handle(self, *args, **options):
        before = timezone.now() - datetime.timedelta(hours=settings.GRANT_CONFIRMATION_HOURS)
        for municipality in for_each_municipality():
            purged = purge_unconfirmed(before=before)
            self.stdout.write(f"{municipality.slug}: {purged} unconfirmed application(s) deleted.")
            drafts = purge_drafts()
            self.stdout.write(f"{municipality.slug}: {drafts} abandoned draft(s) deleted.")
