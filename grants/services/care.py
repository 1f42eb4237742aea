"""What the portal does on its own: report reminders and the erasure of personal data."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grants import workflow
from grants.enums import Actor, ApplicationState
from grants.models import (
    GrantApplication,
)
from grants.services.core import _locked, move
from grants.services.mail import _queue_mail
from portal.models import AuditEntry

S = ApplicationState


def send_report_reminders() -> int:
    """For a scheduler: paid grants without a report become 'report due' once the trip's
    return plus the scheme's `report_days` has passed (the table's guard on
    "report_overdue"), and applicants with an overdue report are reminded every
    GRANT_REMINDER_DAYS. Each reminder is in the outbox, linked to its case, so the
    officer's page lists it. Returns reminders queued."""
    now = timezone.now()
    today = timezone.localdate()
    overdue = workflow.action("report_overdue")
    paid = GrantApplication.objects.filter(
        state=S.PAID, returns_on__lt=today, report_submitted_at__isnull=True
    ).select_related("scheme")
    for application in paid:
        with transaction.atomic():
            locked = _locked(application)
            if locked.state != S.PAID or overdue.guard(application, None):
                continue
            move(application=locked, to_state=S.REPORT_DUE, actor=Actor.SYSTEM)
    since = now - datetime.timedelta(days=settings.GRANT_REMINDER_DAYS)
    due = GrantApplication.objects.filter(
        state=S.REPORT_DUE, report_submitted_at__isnull=True, personal_data_erased_at__isnull=True
    ).exclude(last_reminded_at__gt=since)
    sent = 0
    for application in due:
        with transaction.atomic():
            _queue_mail(application, "reminder")
            GrantApplication.objects.filter(pk=application.pk).update(last_reminded_at=now)
        sent += 1
    return sent


# What erasing a case's personal data writes over each field.
PERSONAL_FIELDS = {
    "applicant_name": "",
    "applicant_email": "erased@invalid",
    "applicant_phone": "",
    "applicant_address": "",
    "applicant_birth_date": None,
    "purpose": "",
    "report": "",
    "decision_reason": "",
}


def erase_personal_data(*, before) -> int:
    """Erase the personal data of cases closed before `before`; keep the amounts.

    Side effects: blanks personal fields, deletes messages, attachments and letters.
    Returns how many cases were erased.
    """
    cases = GrantApplication.objects.filter(
        state=S.CLOSED, closed_at__lt=before, personal_data_erased_at__isnull=True
    )
    erased = 0
    for application in cases:
        with transaction.atomic():
            for attachment in application.attachments.all():
                attachment.file.delete(save=False)
            application.attachments.all().delete()
            application.messages.all().delete()
            application.events.update(reason="", client_address=None)
            AuditEntry.objects.filter(
                object_type=GrantApplication._meta.label, object_id=str(application.pk)
            ).update(reason="")
            if application.decision_letter:
                application.decision_letter.delete(save=False)
            for field, value in PERSONAL_FIELDS.items():
                setattr(application, field, value)
            if not application.organisation_may_be_published:
                application.organisation = ""
                application.organisation_cvr = ""
            application.personal_data_erased_at = timezone.now()
            application.save()
        erased += 1
    return erased
