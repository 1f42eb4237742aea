from portal.models import AuditEntry


def record(*, actor, action: str, obj, summary: str, reason: str = "", **data) -> AuditEntry:
    """Write one audit entry for a decision about `obj`. Call inside the decision's transaction."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        summary=summary[:300],
        reason=reason,
        data={key: str(value) for key, value in data.items()},
    )
