"""Checks for uploaded files: the content decides, not the file name."""

import io
import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

# The first bytes of each accepted format.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


def sniff_content_type(uploaded) -> str | None:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    return None


# Shown in the browser; anything else is downloaded.
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def file_response(field_file, *, filename: str, inline: bool = True):
    """Serve an uploaded file with the type its content was checked to be, never one a name
    or a browser guessed: a file that is not what it claims is a download of bytes."""
    from django.http import FileResponse, Http404

    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = sniff_content_type(handle) or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=not (inline and content_type in INLINE_TYPES),
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def validate_document(uploaded) -> None:
    """Accept a PDF, JPEG or PNG no larger than MAX_UPLOAD_BYTES."""
    limit = settings.MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is too large. The limit is %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(limit)},
        )
    if sniff_content_type(uploaded) is None:
        raise ValidationError(
            _("The file is not a PDF, JPEG or PNG. Its content was checked, not just its name."),
            code="wrong_type",
        )


# The longest file name an upload keeps (its extension included): stored under a folder such
# as grants/attachments/2026/, it must fit a FileField's 100 characters.
FILE_NAME_MAX = 60
UNNAMED = "file"


def storable_name(name: str) -> str:
    """The name an uploaded file is known by: the name it was sent with, when storage can keep
    a file under it; one too long is shortened (its extension kept), and one of no letters
    or digits ("#", "()") is called "file", rather than the whole form failing (Django's
    storage refuses such a name with an error, which answered 400 and lost what was typed)."""
    root, extension = posixpath.splitext(name or "")
    if len(extension) > 10:
        root, extension = name, ""
    shortened = root[: FILE_NAME_MAX - len(extension)] + extension
    try:
        get_valid_filename(shortened)
    except SuspiciousFileOperation:
        return UNNAMED
    return shortened


class StorableNameMixin:
    """An upload handler that gives the file a name storage can keep (`storable_name`), at
    the one place every uploaded file passes: each form and the admin get it so named."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, storable_name(file_name), *args, **kwargs)


class MemoryUploadHandler(StorableNameMixin, MemoryFileUploadHandler):
    pass


class TemporaryUploadHandler(StorableNameMixin, TemporaryFileUploadHandler):
    pass


class SizeLimitedUploadHandler(StorableNameMixin, FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes a file's bytes on to Django's own handlers until
    it passes MAX_UPLOAD_BYTES, then swallows the rest, so an oversized file never fills the
    disk. The file then arrives as an empty stand-in with its true size, which
    `validate_document` refuses with a message the user can read."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            return None  # later handlers never see it
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.MAX_UPLOAD_BYTES:
            return None  # the next handler (memory or temporary file) has it all
        return InMemoryUploadedFile(
            io.BytesIO(b""),
            self.field_name,
            self.file_name,
            self.content_type,
            self.received,
            self.charset,
            self.content_type_extra,
        )


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BYTES before reading it (413)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            response = render(
                request,
                "413.html",
                {"limit": filesizeformat(settings.MAX_REQUEST_BYTES)},
                status=413,
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


@deconstructible
class MunicipalPath:
    """`upload_to` of a file that belongs to a municipality: under its own folder
    (`ballerup/grants/letters/2026/…`), so that one municipality's files are never stored
    among, or named like, another's."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return f"{instance.municipality.slug}/{self.folder}/{timezone.now():%Y}/{filename}"

    def __eq__(self, other) -> bool:
        return isinstance(other, MunicipalPath) and other.folder == self.folder
