"""The audit log: who decided what, when and why. Written by services, never edited."""

from decimal import Decimal

from portal.enums import AuditAction
from portal.models import AuditEntry

__all__ = ["AuditAction", "record"]


def record(
    *, actor, action: str, obj, summary: str, reason: str = "", amount=None, **data
) -> AuditEntry:
    """Write one audit entry for a decision about `obj`. Call inside the decision's transaction."""
    action = AuditAction(action)  # an unknown action is a programming error
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action.value,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        summary=summary[:300],
        reason=reason,
        amount=Decimal(amount) if amount is not None else None,
        data={key: str(value) for key, value in data.items()},
    )
