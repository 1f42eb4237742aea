"""A list's rows, each rendered once for what it shows.

A list page that is made again (its cache went stale because one of its rows changed) need
not render its other rows again: each row is kept in the cache under what it shows (the
row's template, the language, and every value loaded into the row's record, its related
records and its prefetched lists: nothing else can reach the row's template without a
query). A row whose values did not change is the same text as before, so it is read back;
a changed row has another key and is rendered. Nothing declares what a row shows, so nothing
can forget a field: a value that changes is a new key.

Kept as long as pages are (PUBLIC_PAGE_CACHE_SECONDS, so a deploy's new templates show
within that time, as for whole pages), and only where pages are cached (a shared cache).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def row_values(record: Model) -> tuple:
    """Everything loaded into a record: its fields and annotations, its related records and
    its prefetched lists, as a value whose repr names them."""
    values = [
        (name, _value(value))
        for name, value in sorted(record.__dict__.items())
        if name not in ("_state", "_prefetched_objects_cache")
    ]
    for name, related in sorted(record._state.fields_cache.items()):
        values.append((name, row_values(related) if related is not None else None))
    for name, listed in sorted(getattr(record, "_prefetched_objects_cache", {}).items()):
        values.append((name, [row_values(item) for item in listed]))
    return (record._meta.label, tuple(values))


def _value(value):
    """A record's value as what it shows: a record or a list of records (a prefetch's
    `to_attr`) by everything loaded into them, not by their names."""
    if isinstance(value, Model):
        return row_values(value)
    if isinstance(value, list | tuple) and any(isinstance(item, Model) for item in value):
        return [_value(item) for item in value]
    return value


def _key(template_name: str, record: Model) -> str:
    shown = repr((template_name, get_language(), row_values(record)))
    return f"row:{hashlib.sha256(shown.encode()).hexdigest()}"


def rendered_rows(records, template_name: str) -> list[tuple[Model, SafeString]]:
    """Each record with its row, rendered by `template_name` (which sees it as `row`): read
    from the cache in one round trip, the missing ones rendered and stored in another."""
    records = list(records)
    template = get_template(template_name)
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return [(record, mark_safe(template.render({"row": record}))) for record in records]  # noqa: S308 (a template's output)
    keys = [_key(template_name, record) for record in records]
    found = cache.get_many(keys)
    made = {}
    rows = []
    for record, key in zip(records, keys, strict=True):
        html = found.get(key)
        if html is None:
            html = made[key] = template.render({"row": record})
        rows.append((record, mark_safe(html)))  # noqa: S308 (a template's output)
    if made:
        cache.set_many(made, seconds)
    return rows
