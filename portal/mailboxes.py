"""Email addresses as mailboxes: the one normalisation every comparison of addresses uses,
and the plain addresses the portal takes from people.

Mail servers deliver `"mads"@kommune.dk`, `MADS+rejse@Kommune.DK` and `mads@KOMMUNE.dk.` to
the same mailbox, and `bücher.dk` is `xn--bcher-kva.dk`. A rule that compares addresses (an
officer's own case, the applications per mailbox) compares `normalise_email` of both sides,
never the strings.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

_QUOTED_PAIR = re.compile(r"\\(.)")

NOT_PLAIN = _(
    "Write an ordinary address such as name@example.dk: an address with quotation marks or "
    "with a server address in square brackets is not accepted."
)


def _ascii_domain(domain: str) -> str:
    domain = domain.rstrip(".").lower()
    if domain.startswith("["):
        return domain  # an address literal: refused at every form, compared as it is
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def normalise_email(address: str) -> str:
    """The mailbox an address reaches, as one key: surrounding space dropped, a quoted local
    part unquoted, a `+tag` dropped, case folded, the domain in its ASCII (IDNA) form without
    a trailing dot. Two addresses reach the same mailbox when their keys are equal."""
    address = (address or "").strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return address.lower()
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = _QUOTED_PAIR.sub(r"\1", local[1:-1])
    local = local.split("+", 1)[0].lower()
    return f"{local}@{_ascii_domain(domain)}"


def is_plain_address(address: str) -> bool:
    """A valid address without a quoted local part or an address literal: what the portal
    takes from applicants and staff. Its local part is ASCII: Django's check lets `ſ` (long
    s) and `K` (Kelvin sign) through as letters, and a server that folds case by Unicode
    delivers `madſ@` to `mads@`, which `normalise_email` would not see as one mailbox."""
    address = (address or "").strip()
    local, at, domain = address.rpartition("@")
    if not at or '"' in local or "\\" in local or domain.startswith("["):
        return False
    if not local.isascii():
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def validate_plain_address(address: str) -> None:
    """For forms: refuse an address `is_plain_address` refuses, in the reader's language."""
    if address and not is_plain_address(address):
        raise ValidationError(NOT_PLAIN, code="not_plain")
