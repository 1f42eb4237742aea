"""The Danish business register's number (CVR): eight digits whose weighted sum is a
multiple of 11 (weights 2, 7, 6, 5, 4, 3, 2, 1), so that a mistyped digit is caught at the
field instead of in the finance system."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def normalise_cvr(value: str) -> str:
    """The number as typed without spaces ("DK 5827 1713" → "58271713")."""
    text = "".join((value or "").split())
    return text[2:] if text[:2].upper() == "DK" else text


def validate_cvr(value: str) -> None:
    if not value:
        return
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("A CVR number is 8 digits."), code="cvr_digits")
    if value[0] == "0" or sum(int(d) * w for d, w in zip(value, WEIGHTS, strict=True)) % 11:
        raise ValidationError(
            _("This is not a valid CVR number; check the digits."), code="cvr_check"
        )
