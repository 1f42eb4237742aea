"""Downloads of any size: bodies written while they are sent, from rows read in chunks.

A streamed body is written after the view has returned, so it keeps the request's
language (and which database it reads, portal.db_router) itself, and it is sent in
pieces of about 64 KiB rather than a line at a time.
"""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import translation

from portal.db_router import reading_for_the_public, reading_public

# Rows read from the database at a time (prefetches included): what a download holds.
CHUNK_ROWS = 2000
PIECE_BYTES = 64 * 1024


def in_chunks(objects: Iterable) -> Iterable:
    """The rows of a queryset read CHUNK_ROWS at a time (a list or generator as it is)."""
    if isinstance(objects, QuerySet):
        return objects.iterator(chunk_size=CHUNK_ROWS)
    return objects


def streamed(texts: Iterable[str]) -> Iterator[bytes]:
    """The texts as UTF-8 pieces of about PIECE_BYTES, written in the request's language.
    The first text (a CSV's headings, a JSON array's start) is sent on its own at once, so
    the download begins while the database is still reading the rows."""
    language = translation.get_language()
    public = reading_public()

    def pieces():
        with translation.override(language), reading_for_the_public(public):
            rest = iter(texts)
            first = next(rest, None)
            if first is not None:
                yield first.encode()
            buffer, size = [], 0
            for text in rest:
                buffer.append(text)
                size += len(text)
                if size >= PIECE_BYTES:
                    yield "".join(buffer).encode()
                    buffer, size = [], 0
            if buffer:
                yield "".join(buffer).encode()

    return pieces()
