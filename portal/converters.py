"""Path converters the apps' addresses share.

`text` is Django's `str` without control characters: a NUL byte (%00) in an address would
reach the database, where PostgreSQL refuses it with an error (SQLite just finds nothing).
No code or token the portal makes has a control character, so such an address matches no
page and is a 404 before any view runs.
"""

from django.urls import register_converter
from django.urls.converters import StringConverter


class TextConverter(StringConverter):
    regex = r"[^/\x00-\x1f\x7f]+"


def register() -> None:
    register_converter(TextConverter, "text")
