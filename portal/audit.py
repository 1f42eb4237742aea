"""The audit log: who decided what, when and why. Written by services, never edited."""

from collections.abc import Callable, Iterable
from decimal import Decimal

from portal.enums import AuditAction
from portal.models import AuditEntry

__all__ = ["AuditAction", "known_actions", "record"]

# Where apps declare actions of their own beyond AuditAction (a workflow's moves), each
# asked when an entry is written, so a table that grows is known at once.
_SOURCES: list[Callable[[], Iterable[str]]] = []


def known_actions(source: Callable[[], Iterable[str]]) -> None:
    """Register a function that gives the audit actions an app's own table declares."""
    _SOURCES.append(source)


def record(
    *, actor, action: str, obj, summary: str, reason: str = "", amount=None, **data
) -> AuditEntry:
    """Write one audit entry for a decision about `obj`. Call inside the decision's transaction."""
    if action not in AuditAction.values and not any(action in known() for known in _SOURCES):
        raise ValueError(f"Unknown audit action {action!r}")  # a programming error
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=str(action),
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        summary=summary[:300],
        reason=reason,
        amount=Decimal(amount) if amount is not None else None,
        data={key: str(value) for key, value in data.items()},
    )
