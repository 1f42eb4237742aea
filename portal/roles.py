"""The roles of the portal. Each is a Django group, made by a data migration.

What a role may do is expressed as Django permissions on the group, so an
administrator can see and adjust it in the admin; the checks themselves live in
each app's `permissions.py`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name in the database.
    SCHOOL_COORDINATOR = "School coordinator", _("School coordinator")
    GRANT_OFFICER = "Grant officer", _("Grant officer")
    COMMITTEE_SECRETARY = "Committee secretary", _("Committee secretary")
    ADMINISTRATOR = "Administrator", _("Administrator")
