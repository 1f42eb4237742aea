"""Who works on a case, and the notes officers leave each other: neither moves the case nor
decides anything, but both follow the workflow table's rules on who may act (the officer's
role, not their own or a linked case; grants.workflow, docs/decisions/
assignment-in-the-workflow-table.md)."""

from django.db import transaction
from django.utils.translation import gettext as _

from grants.enums import EventKind
from grants.models import InternalNote
from grants.selectors import handover_candidates
from grants.services.core import (
    GrantError,
    _locked,
    _record_step,
    _require,
    check_officer_may_decide,
)

# A note is a few paragraphs, not a file: what the form and the service accept.
NOTE_MAX_LENGTH = 4000


def _assign(application, *, officer, to, action: str, kind: str):
    """Lock, check, set the assignee, record the step. Call with the action's checks done."""
    before = application.assignee
    application.assignee = to
    application.save(update_fields=["assignee"])
    _record_step(
        application,
        officer=officer,
        kind=kind,
        action=f"grant.{action}",
        reason="",
        second_officer=to,
        summary=f"#{application.pk}: {before.get_username() if before else '-'} → "
        f"{to.get_username() if to else '-'}",
        before=before.get_username() if before else "-",
        after=to.get_username() if to else "-",
    )
    return application


def take_case(*, application, officer):
    """The officer takes the case (from nobody, or from a colleague). The state does not
    change. Side effects: the assignee, an event in the history, an audit entry."""
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        _require("take", application)
        if application.assignee_id == officer.pk:
            raise GrantError(_("The case is already yours."))
        return _assign(
            application, officer=officer, to=officer, action="take", kind=EventKind.ASSIGNED
        )


def hand_over(*, application, officer, to):
    """The officer hands the case to another grant officer, one who may act on it (the role,
    not their own or a linked case). Side effects as `take_case`. Raises GrantError."""
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        _require("hand_over", application)
        if to is None or to.pk == officer.pk:
            raise GrantError(_("Choose another grant officer."), field="to")
        if to.pk not in {o.pk for o in handover_candidates(application, officer)}:
            raise GrantError(
                _("%(who)s may not take this case.") % {"who": to.get_username()}, field="to"
            )
        if application.assignee_id == to.pk:
            raise GrantError(
                _("The case is already assigned to %(who)s.") % {"who": to.get_username()},
                field="to",
            )
        return _assign(
            application, officer=officer, to=to, action="hand_over", kind=EventKind.ASSIGNED
        )


def unassign(*, application, officer):
    """Nobody works on the case any more: it goes back to the shared queue. Side effects
    as `take_case`."""
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        _require("unassign", application)
        if application.assignee_id is None:
            raise GrantError(_("Nobody is assigned to the case."))
        return _assign(
            application, officer=officer, to=None, action="unassign", kind=EventKind.UNASSIGNED
        )


def add_note(*, application, officer, text: str):
    """An internal note for colleagues on the case: never shown to the applicant, never in a
    letter, download or the API. Side effects: the note, an audit entry (without its text).
    Raises GrantError."""
    text = (text or "").strip()
    if not text:
        raise GrantError(_("Write the note."), field="text")
    if len(text) > NOTE_MAX_LENGTH:
        raise GrantError(
            _("A note has at most %(count)s characters.") % {"count": NOTE_MAX_LENGTH},
            field="text",
        )
    with transaction.atomic():
        application = _locked(application)
        check_officer_may_decide(application, officer)
        _require("note", application)
        note = InternalNote.objects.create(application=application, author=officer, text=text)
        from portal import audit

        audit.record(
            actor=officer, action="grant.note", obj=application, summary=f"#{application.pk}"
        )
    return note
