"""Text search that uses what the database offers.

On PostgreSQL: full-text search with each language's stemming ("skoler" finds "skole",
"Schulen" finds "Schule"): a text's column in one language (`purpose_de`) is read with that
language's configuration (SEARCH_CONFIGS), other texts with the default language's, and the
query in the reader's language and in the default one; the query is read as a web search
(words, "a phrase", -not). On SQLite (the demo and development): every word must appear in
one of the fields, case-insensitive for ASCII letters. Both are tested; the README says
which a deployment gets.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
)
from django.db import connections
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.i18n import language_of_column

MAX_WORDS = 10
MAX_LENGTH = 200


def clean(query: str) -> str:
    """The query without control characters (PostgreSQL refuses NUL) and extra spaces."""
    printable = "".join(character if character.isprintable() else " " for character in query)
    return " ".join(printable.split())[:MAX_LENGTH]


def is_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def config(language: str) -> str:
    """PostgreSQL's text-search configuration for a language ('simple' if it has none)."""
    return settings.SEARCH_CONFIGS.get(language[:2], "simple")


def language_of(field: str) -> str:
    """The language of a column: its suffix's (`purpose_de`), else the default language."""
    return language_of_column(field) or settings.LANGUAGE_CODE


def vector(fields: list, languages: list[str] | None = None):
    """The fields' text, each column stemmed by the rules of its language (`language_of`,
    or the `languages` given, one per field, where the fields are expressions)."""
    languages = languages or [language_of(field) for field in fields]
    vectors = [
        SearchVector(field, config=config(language))
        for field, language in zip(fields, languages, strict=True)
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def _query(query: str):
    """The query read in the reader's language and in the default language."""
    languages = dict.fromkeys([get_language() or settings.LANGUAGE_CODE, settings.LANGUAGE_CODE])
    queries = [
        SearchQuery(query, config=config(language), search_type="websearch")
        for language in languages
    ]
    combined = queries[0]
    for other in queries[1:]:
        combined = combined | other
    return combined


def matches(queryset, fields: list[str], query: str) -> Q:
    """A condition: the query matches the text of `fields` of the queryset's model."""
    if is_full_text(queryset):
        return Q(SearchVectorExact(vector(fields), _query(query)))
    condition = Q()
    for word in query.split()[:MAX_WORDS]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def ranked(queryset, fields: list[str], query: str, *fallback_order: str):
    """Order by relevance on PostgreSQL (then by `fallback_order`), by `fallback_order` else."""
    if is_full_text(queryset):
        rank = SearchRank(vector(fields), _query(query))
        return queryset.annotate(rank=rank).order_by("-rank", *fallback_order)
    return queryset.order_by(*fallback_order)


def matches_document(document: str, query: str) -> Q:
    """On PostgreSQL: the query matches a stored, indexed vector (`document`, kept by the
    services from the texts `matches` would read), so a search reads the index, not every
    row. Call only where `is_full_text`."""
    return Q(**{document: _query(query)})


def ranked_by_document(queryset, document: str, query: str, *fallback_order: str):
    rank = SearchRank(F(document), _query(query))
    return queryset.annotate(rank=rank).order_by("-rank", *fallback_order)


SNIPPET_LENGTH = 160


def snippet(texts: list[str], query: str) -> str:
    """Up to SNIPPET_LENGTH characters around the first word of the query found in `texts`,
    the query's words marked (<mark>), everything else escaped. "" when no word is found
    (full-text search may have matched another form of it: the first text's start then)."""

    words = [word.strip('"-') for word in query.split()[:MAX_WORDS]]
    words = [word for word in words if len(word) > 1]
    for text in texts:
        if not text:
            continue
        lowered = text.lower()
        hits = [lowered.find(word.lower()) for word in words]
        hits = [hit for hit in hits if hit >= 0]
        if hits:
            start = max(0, min(hits) - SNIPPET_LENGTH // 3)
            break
    else:
        text = next((text for text in texts if text), "")
        start = 0
    piece = text[start : start + SNIPPET_LENGTH]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_LENGTH < len(text) else ""
    return mark_safe(prefix + _marked(piece, words) + suffix)  # noqa: S308 - escaped in _marked


def _marked(text: str, words: list[str]) -> str:
    """The text escaped, with every occurrence of the words in <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    out, position = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[position : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)
