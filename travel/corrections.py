"""What a correction changed: the published trip as a reader sees it, before and after.

`record_of` reads a trip's public record (its facts, travellers, programme, accounts and
totals) as plain values; `changes_between` compares two records into the changes a
Correction keeps (`Correction.changes`, a list of dicts: what, the item and its words, the
kind of value, old and new as stored text); `described` writes them in the reader's language
for the trip's page and the feed. Values are stored as data, not as sentences, so each
reader reads them in their own language.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.countries import country_name
from portal.dates import short_date
from portal.i18n import in_default_language, localized
from portal.money import format_money
from portal.municipalities import default_language
from travel.enums import AccountCategory, AccountsStatus
from travel.models import Trip

# The trip's own fields a reader sees, with the kind of value each holds.
FACTS = {
    "destination_city": "text",
    "destination_country": "country",
    "partner_city": "text",
    "starts_on": "date",
    "ends_on": "date",
    "committee": "text",
    "unit": "text",
    "network": "text",
    "other_participants": "number",
    "budget_line": "text",
    "accounts_status": "choice",
}
TRANSLATED = ("title", "purpose")
TOTALS = ("total_budgeted", "total_actual")


def record_of(trip: Trip) -> dict[tuple, dict]:
    """The trip's public record, read afresh: {key: {"what", "item", "detail", "kind",
    "value"}}, the key telling rows of the same kind apart (an account line by its id)."""
    trip = (
        Trip.objects.select_related(
            "committee", "partner_city", "network", "budget_line__budget_year"
        )
        .prefetch_related("travellers__person", "programme", "account_lines")
        .get(pk=trip.pk)
    )
    record = {}

    def put(key, what, kind, value, item="", detail=""):
        record[key] = {"what": what, "item": item, "detail": detail, "kind": kind, "value": value}

    for field in TRANSLATED:
        for code in settings.MODELTRANSLATION_LANGUAGES:
            name = localized(field, code)
            put((name,), field, "text", getattr(trip, name) or "", item=code)
    for name, kind in FACTS.items():
        put((name,), name, kind, _stored(name, getattr(trip, name)))
    put(
        ("travellers",),
        "travellers",
        "text",
        "; ".join(f"{t.person.name} ({t.role})" for t in trip.travellers.all()),
    )
    for item in trip.programme.all():
        words = ", ".join(part for part in (item.what, item.where, item.with_whom) if part)
        when = f"{item.day.isoformat()} {item.time:%H:%M}" if item.time else item.day.isoformat()
        put(("programme", item.pk), "programme", "text", f"{when} {words}")
    for line in trip.account_lines.all():
        for part in ("budgeted", "actual"):
            put(
                ("account", line.pk, part),
                part,
                "amount",
                f"{getattr(line, part):.2f}",
                item=line.category,
                detail=line.description,
            )
    for name in TOTALS:
        put((name,), name, "amount", f"{getattr(trip, name):.2f}")
    return record


def _stored(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if name == "budget_line":
        return f"{value.budget_year.year} {value.code}: {in_default_language(value, 'name')}"
    if hasattr(value, "_meta"):  # a committee, partner city or network: its name
        return in_default_language(value, "name") if name == "committee" else str(value)
    return str(getattr(value, "code", value))


def changes_between(before: dict, after: dict) -> list[dict]:
    """What differs between two records, in the order of the record: a row only before was
    removed (new is ""), one only after was added (old is "")."""
    changes = []
    for key in [*before, *(key for key in after if key not in before)]:
        old, new = before.get(key), after.get(key)
        if old and new and old["value"] == new["value"]:
            continue
        if key[0] == "account" and (old or new)["value"] == "0.00" and not (old and new):
            continue  # an empty budgeted or actual amount of a row added or removed
        row = dict(new or old)
        value = row.pop("value")
        changes.append({**row, "old": old["value"] if old else "", "new": value if new else ""})
    return [change for change in changes if change["old"] != change["new"]]


def _label(change: dict) -> str:
    what, item = change["what"], change["item"]
    if what in ("budgeted", "actual"):
        label = _("Budgeted") if what == "budgeted" else _("Actual")
        row = AccountCategory(item).label if item in AccountCategory.values else item
        if change["detail"]:
            row = f"{row}: {change['detail']}"
        return f"{row}, {label.lower()}"
    labels = {"travellers": _("Travellers"), "programme": _("Programme")}
    if what in labels:
        return labels[what]
    label = capfirst(Trip._meta.get_field(what).verbose_name)
    if what in TRANSLATED and item != default_language():
        language = dict(settings.SHIPPED_LANGUAGES).get(item, item)
        return f"{label} ({language})"
    return str(label)


def _shown(kind: str, value: str) -> str:
    if not value:
        return ""
    if kind == "amount":
        return format_money(Decimal(value))
    if kind == "date":
        return short_date(datetime.date.fromisoformat(value))
    if kind == "country":
        return country_name(value)
    if kind == "choice" and value in AccountsStatus.values:
        return str(AccountsStatus(value).label)
    return value


def _language_of(change: dict) -> str:
    """The language a changed text is written in, when not the page's ("" otherwise): staff
    write in the default language, a translated field in its own."""
    if change["kind"] != "text":
        return ""
    code = change["item"] if change["what"] in TRANSLATED else default_language()
    return "" if code == (get_language() or default_language())[:2] else code


def described(changes: list[dict]) -> list[dict]:
    """The changes as a reader reads them, in the active language: what changed (a label),
    its old and new value written out ("" for a row added or removed), whether they are
    texts (quoted) and the language they are written in when not the page's."""
    return [
        {
            "label": _label(change),
            "old": _shown(change["kind"], change["old"]),
            "new": _shown(change["kind"], change["new"]),
            "quoted": change["kind"] == "text",
            "lang": _language_of(change),
        }
        for change in changes
    ]
