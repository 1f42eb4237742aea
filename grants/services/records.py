"""Filing a case in the municipality's records system (ESDH): its journal number there, the
case file taken as an archive, and the mark that it was filed. Steps of record keeping, not
moves: the case keeps its state; each is in the case's history and the audit log."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.enums import ApplicationState, EventKind
from grants.models import GrantApplication
from grants.services.core import GrantError, _locked, _record_step, check_officer_may_decide
from portal import audit
from portal.models import AuditEntry

S = ApplicationState
# The cases whose file is complete: decided and finished. Only these are filed.
FILEABLE = (S.CLOSED, S.REJECTED, S.WITHDRAWN)
JOURNAL_NUMBER_MAX_CHARS = GrantApplication._meta.get_field("journal_number").max_length


def set_journal_number(*, application, officer, journal_number: str):
    """Record (or correct) the case's number in the records system; "" clears it while the
    case is not filed. Side effects: the field, an event and an audit entry naming the old
    and the new number. Raises GrantError (field "journal_number")."""
    number = " ".join((journal_number or "").split())
    if len(number) > JOURNAL_NUMBER_MAX_CHARS:
        raise GrantError(
            _("The journal number may be at most %(count)s characters.")
            % {"count": JOURNAL_NUMBER_MAX_CHARS},
            field="journal_number",
        )
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        if application.filed_at and number != application.journal_number:
            raise GrantError(
                _("The case is filed under this journal number; it can no longer change."),
                field="journal_number",
            )
        if number == application.journal_number:
            return application
        old = application.journal_number
        application.journal_number = number
        application.save(update_fields=["journal_number"])
        _record_step(
            application,
            officer=officer,
            kind=EventKind.JOURNAL_NUMBER,
            action="grant.journal_number",
            reason=number,
            summary=f"#{application.pk}: {old or '-'} → {number or '-'}",
            old=old,
            new=number,
        )
    return application


def record_archive_taken(*, application, officer, files: int, size: int) -> None:
    """The case file left the portal as an archive: who took it, when, how much. Filing
    needs it first. Side effect: an audit entry (the archive holds the history up to now)."""
    audit.record(
        actor=officer,
        action="grant.archive",
        obj=application,
        summary=f"#{application.pk}: {files} files, {size} bytes",
        files=files,
        size=size,
    )


def archive_taken(application) -> AuditEntry | None:
    """The last time the case file was taken as an archive (one query)."""
    return (
        AuditEntry.objects.filter(
            action="grant.archive",
            object_type=GrantApplication._meta.label,
            object_id=str(application.pk),
        )
        .order_by("-at", "-pk")
        .first()
    )


def filing_refusal(application, *, taken=None) -> str:
    """Why the case cannot be marked filed now ("" when it can)."""
    if application.filed_at:
        return _("The case is already filed.")
    if application.state not in FILEABLE:
        return _("Only a closed, rejected or withdrawn case is filed: its file is complete.")
    if not application.journal_number:
        return _("Record the journal number in the records system first.")
    if taken is None:
        return _("Download the case file for the records system first.")
    return ""


def mark_filed(*, application, officer):
    """The case file is in the records system: when and by whom. Once, after the archive was
    taken and the journal number recorded. Side effects: filed_at and filed_by, an event and
    an audit entry. Raises GrantError."""
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        if reason := filing_refusal(application, taken=archive_taken(application)):
            raise GrantError(reason)
        application.filed_at = timezone.now()
        application.filed_by = officer
        application.save(update_fields=["filed_at", "filed_by"])
        _record_step(
            application,
            officer=officer,
            kind=EventKind.FILED,
            action="grant.filed",
            reason=application.journal_number,
            summary=f"#{application.pk}: {application.journal_number}",
            journal_number=application.journal_number,
        )
    return application


def not_yet_filed():
    """The cases whose file is complete and not yet in the records system, oldest first."""
    return GrantApplication.objects.filter(state__in=FILEABLE, filed_at__isnull=True).order_by(
        "submitted_at", "pk"
    )
