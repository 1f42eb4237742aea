"""What a refused request must leave as it was: every row of the portal's tables, the files
on disk and the mail sent."""

import os

from django.conf import settings
from django.core import mail

from tests.portal.test_post_permissions import database


def files_on_disk() -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), settings.MEDIA_ROOT)
        for folder, _dirs, names in os.walk(settings.MEDIA_ROOT)
        for name in names
    )


def everything() -> tuple:
    from portal.models import SiteSettings

    SiteSettings.current()  # made on first reading, by whichever request reads it first
    return database(), files_on_disk(), len(mail.outbox)
