"""A case's whole file as one ZIP archive for the municipality's records system (ESDH):
the application (HTML), its attachments, the letters, the mails sent for the case and its
history, with a manifest (manifest.json) naming each file, its kind, its date and its
SHA-256. See docs/decisions/case-archive.md.

What is in it is chosen here and only here: the history's event kinds are listed one by
one, so a kind added later (an internal note) is never filed unless it is added to
`HISTORY_KINDS` on purpose. The archive is written while it is sent (a ZIP with data
descriptors needs no seeking), one file at a time, and refused above
GRANT_ARCHIVE_MAX_BYTES."""

import datetime
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from grants import workflow
from grants.enums import EventKind
from grants.models import GrantApplication
from portal.csvexport import csv_lines
from portal.models import OutboxMail

# The history the records system gets: every step of the case, never an internal note.
HISTORY_KINDS = (
    EventKind.MOVE,
    EventKind.PROPOSED,
    EventKind.PROPOSAL_WITHDRAWN,
    EventKind.CONFLICT,
    EventKind.CONFLICT_LIFTED,
    EventKind.REPORTED,
    EventKind.PAYMENT_REVERSED,
    EventKind.JOURNAL_NUMBER,
    EventKind.FILED,
)


class Kind:
    """A file's kind in the manifest (codes, the same in every language)."""

    APPLICATION = "application"
    ATTACHMENT = "attachment"
    LETTER = "letter"
    MAIL = "mail"
    HISTORY = "history"


@dataclass
class Entry:
    """One file of the archive: its name, kind and date, its size when known beforehand, and
    how to read it (in chunks)."""

    name: str
    kind: str
    date: datetime.datetime
    size: int
    chunks: Callable[[], Iterable[bytes]]
    missing: bool = False


def _safe_name(name: str) -> str:
    """A file name that is a name in every records system: no folders, no control
    characters, not empty."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip(" .")
    return name[:120] or "file"


def _stored(field_file, *, name, kind, date) -> Entry:
    try:
        size = field_file.size
    except (FileNotFoundError, OSError):
        return Entry(name, kind, date, 0, lambda: (), missing=True)

    def chunks():
        with field_file.open("rb") as handle:
            yield from iter(lambda: handle.read(64 * 1024), b"")

    return Entry(name, kind, date, size, chunks)


def _text(text: str, *, name, kind, date) -> Entry:
    data = text.encode()
    return Entry(name, kind, date, len(data), lambda: (data,))


def history_rows(application) -> list:
    return list(
        application.events.filter(kind__in=HISTORY_KINDS).select_related(
            "officer", "second_officer"
        )
    )


def entries(application: GrantApplication) -> list[Entry]:
    """The case file's files, in the archive's order. Reads the database now (the archive is
    written later, while it is sent); the stored files are read then."""
    now = timezone.now()
    events = history_rows(application)
    case_messages = list(application.messages.all())
    html = render_to_string(
        "grants/archive/application.html",
        {"application": application, "case_messages": case_messages, "now": now},
    )
    files = [_text(html, name="application.html", kind=Kind.APPLICATION, date=now)]
    for number, attachment in enumerate(application.attachments.all(), start=1):
        files.append(
            _stored(
                attachment.file,
                name=f"attachments/{number:02d}-{_safe_name(attachment.name)}",
                kind=Kind.ATTACHMENT,
                date=attachment.uploaded_at,
            )
        )
    if application.decision_letter:
        files.append(
            _stored(
                application.decision_letter,
                name=f"letters/decision-{application.case_number}.pdf",
                kind=Kind.LETTER,
                date=application.decided_at or now,
            )
        )
    mails = OutboxMail.objects.filter(link="grants.case_link", link_arg=str(application.pk))
    for number, mail in enumerate(mails.order_by("created_at", "pk"), start=1):
        text = render_to_string("grants/archive/mail.txt", {"mail": mail})
        files.append(
            _text(
                text,
                name=f"mails/{number:02d}-{_safe_name(mail.kind)}.txt",
                kind=Kind.MAIL,
                date=mail.sent_at or mail.created_at,
            )
        )
    files.append(_text(_history_csv(events), name="history.csv", kind=Kind.HISTORY, date=now))
    return files


def _history_csv(events) -> str:
    header = ["time", "step", "state", "officer", "second officer", "amount", "reason"]
    rows = [
        [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            event.kind,
            workflow.label(event.to_state) if event.to_state else "",
            event.officer.get_username() if event.officer else event.actor,
            event.second_officer.get_username() if event.second_officer else "",
            f"{event.amount:.2f}" if event.amount is not None else "",
            event.reason,
        ]
        for event in events
    ]
    return "".join(csv_lines(header, rows))


def size_of(files: list[Entry]) -> int:
    return sum(entry.size for entry in files)


def too_large(files: list[Entry]) -> bool:
    return size_of(files) > settings.GRANT_ARCHIVE_MAX_BYTES


def manifest(application, files: list[dict]) -> dict:
    return {
        "case": application.case_number,
        "journal_number": application.journal_number,
        "classification": application.scheme.classification,
        "scheme": application.scheme.name,
        "state": application.state,
        "created": timezone.localtime().isoformat(timespec="seconds"),
        "files": files,
    }


class _Sink:
    """What the ZIP writer writes to: the bytes are handed on instead of kept."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _zip_time(moment: datetime.datetime) -> tuple:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


def stream(application, files: list[Entry]) -> Iterator[bytes]:
    """The archive's bytes as they are written: each file, then the manifest with every
    file's SHA-256 (computed while the file is written)."""
    sink = _Sink()
    listed = []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in files:
            record = {
                "file": entry.name,
                "kind": entry.kind,
                "date": timezone.localtime(entry.date).isoformat(timespec="seconds"),
            }
            if entry.missing:
                listed.append({**record, "missing": True})
                continue
            info = zipfile.ZipInfo(entry.name, date_time=_zip_time(entry.date))
            info.compress_type = zipfile.ZIP_DEFLATED
            digest, size = hashlib.sha256(), 0
            with archive.open(info, "w") as out:
                for chunk in entry.chunks():
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                    if sink.parts:
                        yield sink.take()
            listed.append({**record, "bytes": size, "sha256": digest.hexdigest()})
            yield sink.take()
        text = json.dumps(manifest(application, listed), ensure_ascii=False, indent=2)
        info = zipfile.ZipInfo("manifest.json", date_time=_zip_time(timezone.now()))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, text)
    yield sink.take()
