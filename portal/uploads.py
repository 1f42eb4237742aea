"""Checks for uploaded files: the content decides, not the file name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
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
