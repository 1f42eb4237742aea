"""The audit log: who decided what, when and why. Written by services, never edited."""

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


# How an entry's details read in the reader's language: their names, and money as money.
# An entry stores plain strings (`record`); what they mean is known here, where they are read.
DETAIL_LABELS = {
    "amount": _("amount"),
    "old": _("before"),
    "new": _("after"),
    "before": _("before"),
    "after": _("after"),
    "line": _("budget line"),
    "reversal": _("reversal"),
    "proposal": _("proposal"),
    "proposed_by": _("proposed by"),
    "roles": _("roles"),
    "added": _("added"),
    "removed": _("removed"),
    "is_staff": _("staff"),
    "is_superuser": _("superuser"),
    "was_staff": _("was staff"),
    "was_superuser": _("was superuser"),
    "approved_on": _("approved on"),
    "committee": _("committee"),
    "agenda_item": _("agenda item"),
    "changed": _("changed"),
    "rows": _("rows"),
}
MONEY_DETAILS = {"amount", "old", "new"}
ROLE_DETAILS = {"added", "removed", "roles"}
NEW_VALUE = " (new)"  # the key of a setting's new value (portal.admin.SiteSettingsAdmin)
# An amount an older entry wrote into its summary as Python writes it: "-12500.00 DKK".
_RAW_AMOUNT = r"(?<![\d.,])(-?\d+(?:\.\d+)?) {currency}(?![A-Za-z])"


def readable_summary(entry: AuditEntry) -> str:
    """The entry's summary, with any amount written as the reader's language writes money."""
    from portal.money import currency, format_money

    return re.sub(
        _RAW_AMOUNT.format(currency=re.escape(currency())),
        lambda found: format_money(Decimal(found.group(1))),
        entry.summary,
    )


def readable_details(entry: AuditEntry) -> list[tuple[str, str]]:
    """The entry's details as (name, value) in the reader's language, in the order of
    DETAIL_LABELS (then by name, a setting's new value after its old): never the order the
    database keeps them in, which PostgreSQL's jsonb does not keep."""
    return [
        (_detail_label(entry, key), _detail_value(key, value))
        for key, value in sorted(entry.data.items(), key=lambda item: _detail_order(item[0]))
    ]


_DETAIL_ORDER = {name: place for place, name in enumerate(DETAIL_LABELS)}


def _detail_order(key: str) -> tuple:
    name, new, _rest = key.partition(NEW_VALUE)
    return (_DETAIL_ORDER.get(name, len(_DETAIL_ORDER)), name, bool(new))


def _detail_label(entry: AuditEntry, key: str) -> str:
    name, new, _rest = key.partition(NEW_VALUE)
    label = str(DETAIL_LABELS.get(name) or _field_label(entry.object_type, name))
    return gettext("%(name)s (new)") % {"name": label} if new else label


def _field_label(object_type: str, name: str) -> str:
    """A model field's name as its form shows it ("intro_da": "front page introduction [da]")."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        return str(apps.get_model(object_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def _detail_value(key: str, value) -> str:
    from portal.money import format_money
    from portal.roles import role_label

    name = key.partition(NEW_VALUE)[0]
    if value == "":
        return "-"
    if value in ("True", "False"):
        return gettext("yes") if value == "True" else gettext("no")
    if name in MONEY_DETAILS:
        try:
            return format_money(Decimal(value))
        except (ArithmeticError, ValueError):
            return str(value)
    if name in ROLE_DETAILS and value not in ("", "-"):
        return ", ".join(role_label(role) for role in str(value).split(", "))
    return str(value)


def record_kind(object_type: str) -> str:
    """What kind of record an entry is about, in the reader's language ("disponering"), not
    its code ("budgets.Commitment")."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
