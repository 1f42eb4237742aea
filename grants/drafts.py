"""The application between the form and "check your answers": what the visitor typed, in
their session, and the files they chose, in storage under `grants/drafts/`.

A draft is one per session and per scheme; a new one replaces the old, and sending or
abandoning it removes its files (`purge_drafts` removes the abandoned ones after a day, run
by `manage.py purge_unconfirmed_applications`). Nothing here is an application: no officer
sees a draft and no mail is sent for it.

A draft is bounded before it is stored: only the form's own fields, each value at most its
field's length (GRANT_DRAFT_FIELD_MAX_CHARS where the field has none), the text together at
most GRANT_DRAFT_MAX_CHARS, and every draft on the service together (files and sessions) at
most GRANT_DRAFTS_MAX_BYTES. `manage.py expire_sessions_and_drafts` removes expired sessions
and abandoned drafts (docs/security/drafts-and-clients.md).
"""

import contextlib
import datetime
import os
import posixpath
import uuid

from django import forms
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator
from django.db.models import Sum
from django.db.models.functions import Length
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ROOT = "grants/drafts"
SESSION_KEY = "grant_draft"
# What the form sends that the draft need not keep.
NOT_KEPT = {"csrfmiddlewaretoken", "website"}


def _delete_files(draft: dict) -> None:
    for kept in draft.get("files", []):
        default_storage.delete(kept["path"])


def kept_data(form) -> dict[str, list[str]]:
    """What the draft keeps of what was sent: the form's own fields, each as the form read
    it (the last value of a field sent twice), and nothing the form does not know."""
    kept = {}
    for name, field in form.fields.items():
        if name in NOT_KEPT or isinstance(field, forms.FileField) or name not in form.data:
            continue
        if isinstance(field.widget, forms.SelectMultiple):
            kept[name] = form.data.getlist(name)
        else:
            kept[name] = [form.data[name]]
    return kept


def too_long(form) -> bool:
    """Refuse text a draft would keep beyond its bounds, with an error on the form: each
    value at most its field's max_length (GRANT_DRAFT_FIELD_MAX_CHARS for fields without one:
    a number may be typed with a megabyte of leading zeros), and all of it together at most
    GRANT_DRAFT_MAX_CHARS. True when something was refused."""
    refused = False
    total = 0
    for name, values in kept_data(form).items():
        limit = getattr(form.fields[name], "max_length", None)
        limit = limit or settings.GRANT_DRAFT_FIELD_MAX_CHARS
        for value in values:
            total += len(value)
            try:
                MaxLengthValidator(limit)(value)
            except ValidationError as error:
                form.add_error(name, error)
                refused = True
                break
    if not refused and total > settings.GRANT_DRAFT_MAX_CHARS:
        form.add_error(
            None,
            _(
                "The answers are too long together: at most %(limit)s characters. Shorten "
                "the longest ones and send the form again."
            )
            % {"limit": settings.GRANT_DRAFT_MAX_CHARS},
        )
        refused = True
    return refused


def _files_bytes(draft: dict) -> int:
    size = 0
    for kept in draft.get("files", []):
        with contextlib.suppress(OSError):
            size += default_storage.size(kept["path"])
    return size


def bytes_kept() -> int:
    """What every draft on the service holds now: the drafts' files, and the sessions (where
    a draft's text is kept; the portal's other session data is small)."""
    size = 0
    if default_storage.exists(ROOT):
        folders, _names = default_storage.listdir(ROOT)
        for folder in folders:
            path = posixpath.join(ROOT, folder)
            _sub, names = default_storage.listdir(path)
            for name in names:
                with contextlib.suppress(OSError):  # deleted meanwhile
                    size += default_storage.size(posixpath.join(path, name))
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        sessions = Session.objects.aggregate(size=Sum(Length("session_data")))["size"]
        size += sessions or 0
    return size


def room_for(request, form, files, client_key: str) -> bool:
    """Whether the service may keep this draft: what one client stored in drafts over the
    last day stays within its share (GRANT_DRAFT_BYTES_PER_CLIENT_DAY, by default a twentieth
    of the whole and at least one draft's files), so that no one client can use up the room
    of everybody; and all drafts together stay within GRANT_DRAFTS_MAX_BYTES (the files
    replaced by this one no longer count). A draft given room counts against its client's
    share."""
    new = sum(len(value.encode()) for values in kept_data(form).values() for value in values)
    new += sum(uploaded.size for uploaded in files or [])
    share = settings.GRANT_DRAFT_BYTES_PER_CLIENT_DAY or max(
        settings.GRANT_DRAFTS_MAX_BYTES // 20, settings.GRANT_MAX_FILES_BYTES
    )
    key = f"grants:draft-bytes:{client_key}"
    if (cache.get(key) or 0) + new > share:
        return False
    freed = _files_bytes(request.session.get(SESSION_KEY) or {}) if files is not None else 0
    if bytes_kept() - freed + new > settings.GRANT_DRAFTS_MAX_BYTES:
        return False
    cache.add(key, 0, 24 * 3600)  # abandoned drafts live a day (purge_drafts)
    try:
        cache.incr(key, new)
    except ValueError:  # expired between the two calls
        cache.set(key, new, 24 * 3600)
    return True


def save(request, scheme, form, files=None) -> None:
    """Keep what was typed (`kept_data`) and, when new files were chosen, those files
    (replacing the draft's earlier ones). `files=None` keeps the draft's files as they are.
    The caller checks `too_long`, `allowed` and `room_for` first."""
    old = request.session.get(SESSION_KEY) or {}
    same_scheme = old.get("scheme") == scheme.slug
    kept = old.get("files", []) if same_scheme and files is None else []
    if files is not None or not same_scheme:
        _delete_files(old)
    folder = posixpath.join(ROOT, uuid.uuid4().hex)
    for uploaded in files or []:
        uploaded.seek(0)
        name = get_valid_filename(uploaded.name)[:100] or "file"
        path = default_storage.save(posixpath.join(folder, name), uploaded)
        kept.append(
            {"path": path, "name": uploaded.name[:200], "type": uploaded.content_type or ""}
        )
    request.session[SESSION_KEY] = {
        "scheme": scheme.slug,
        "data": kept_data(form),
        "files": kept,
    }


def allowed(client_key: str) -> bool:
    """Whether this client may keep another draft this hour. Drafts (a session row, and
    the files) are stored before an application's own limits apply, so they are bounded
    here (GRANT_DRAFTS_PER_ADDRESS_HOUR), or the form would fill the disk."""
    key = f"grants:drafts:{client_key}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, 3600)
        count = 1
    return count <= settings.GRANT_DRAFTS_PER_ADDRESS_HOUR


def get(request, scheme) -> dict | None:
    draft = request.session.get(SESSION_KEY)
    return draft if draft and draft.get("scheme") == scheme.slug else None


def data(draft: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in draft["data"].items():
        query.setlist(key, values)
    return query


def files(draft: dict) -> list[SimpleUploadedFile]:
    """The draft's files as uploads again, so the form checks them as it checked them first."""
    uploads = []
    for kept in draft.get("files", []):
        if not default_storage.exists(kept["path"]):
            continue  # purged: the form then asks for the files again
        with default_storage.open(kept["path"], "rb") as stored:
            uploads.append(SimpleUploadedFile(kept["name"], stored.read(), kept["type"]))
    return uploads


def file_names(draft: dict | None) -> list[str]:
    return [kept["name"] for kept in (draft or {}).get("files", [])]


def discard(request) -> None:
    draft = request.session.pop(SESSION_KEY, None)
    if draft:
        _delete_files(draft)


def purge_drafts(*, before: datetime.datetime | None = None) -> int:
    """Delete draft folders older than `before` (default: a day ago). Returns how many."""
    before = before or timezone.now() - datetime.timedelta(days=1)
    if not default_storage.exists(ROOT):
        return 0
    folders, _files = default_storage.listdir(ROOT)
    purged = 0
    for folder in folders:
        path = posixpath.join(ROOT, folder)
        _sub, names = default_storage.listdir(path)
        times = [default_storage.get_modified_time(posixpath.join(path, n)) for n in names]
        if all(time < before for time in times):
            for name in names:
                default_storage.delete(posixpath.join(path, name))
            # A storage without folders (or one that removes them itself) has none to remove.
            with contextlib.suppress(NotImplementedError, OSError):
                os.rmdir(default_storage.path(path))
            purged += 1
    return purged
