"""The application between the form and "check your answers": what the visitor typed, in
their session, and the files they chose, in storage under `grants/drafts/`.

A draft is one per session and per scheme; a new one replaces the old, and sending or
abandoning it removes its files (`purge_drafts` removes the abandoned ones after a day, run
by `manage.py purge_unconfirmed_applications`). Nothing here is an application: no officer
sees a draft and no mail is sent for it.
"""

import contextlib
import datetime
import os
import posixpath
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import get_valid_filename

ROOT = "grants/drafts"
SESSION_KEY = "grant_draft"
# What the form sends that the draft need not keep.
NOT_KEPT = {"csrfmiddlewaretoken", "website"}


def _delete_files(draft: dict) -> None:
    for kept in draft.get("files", []):
        default_storage.delete(kept["path"])


def save(request, scheme, data: QueryDict, files=None) -> None:
    """Keep what was typed and, when new files were chosen, those files (replacing the
    draft's earlier ones). `files=None` keeps the draft's files as they are."""
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
        "data": {key: values for key, values in data.lists() if key not in NOT_KEPT},
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
