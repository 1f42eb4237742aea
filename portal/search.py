"""Text search, the same on SQLite and PostgreSQL.

A query is read as words, "a phrase" and -not. Each word is folded (Unicode case folding,
NFKC: "KJÆR" is "kjær", "Straße" is "strasse") and stemmed by the Snowball rules of the
reader's language and of the default language ("rejser", "rejsen" and "rejse" all become
"rejs"). A word is found where its stem is found inside a word of the text, so the parts of
compound words count: "rejse" finds "udlandsrejser" and "studierejsefond". A stem shorter
than MIN_INFIX letters is found only as a whole word.

What a row is searched by:

- the large, growing tables (trips, partner cities) keep their text folded, with each word's
  stem in the language of its column and the names of their country and committee in every
  shipped language, in a stored column (`document`), kept by the services that change what
  it reads and remade by `manage.py recount --fix`; on PostgreSQL a trigram index answers
  the `LIKE '%stem%'` it is searched with;
- the small tables (networks, charters, schemes, initiatives, travellers) are folded as they
  are read (`matches`: `lower()` on PostgreSQL, Python's on SQLite, so the same on both).

Results are ordered by relevance on PostgreSQL (its full-text rank, `ranked`), by the
section's order on SQLite; what is found is the same. The snippet marks the words and
their stems.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override

from portal.i18n import language_of_column
from portal.municipalities import default_language

MAX_WORDS = 10
MAX_LENGTH = 200
# A stem shorter than this is found as a whole word only ("by" in "by og land", not in
# "venskabsby"): inside other words it would find nearly everything.
MIN_INFIX = 3

WORD = re.compile(r"\w+")


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
    return language_of_column(field) or default_language()


# Folding and stemming


def fold(text: str) -> str:
    """Text as it is stored and compared: full Unicode case folding of its NFKC form."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def lower(text: str) -> str:
    """Text as a column folded while it is read compares (PostgreSQL's `lower()`)."""
    return unicodedata.normalize("NFKC", text or "").lower()


@lru_cache(maxsize=8)
def _stemmer(language: str):
    name = settings.SEARCH_CONFIGS.get(language[:2])
    return snowballstemmer.stemmer(name) if name in snowballstemmer.algorithms() else None


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """The word's Snowball stem in the language ('rejser' -> 'rejs'); the word itself in a
    language without a stemmer."""
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer else word


def document(texts: Iterable[tuple[str, str | None]]) -> str:
    """The stored search text of a row, from its texts and each text's language (None: the
    default language's): its words folded, in order (so phrases are found), then every stem
    that differs from its word, between spaces (so a short word is found whole)."""
    words, stems = [], {}
    for text, language in texts:
        for word in WORD.findall(fold(text)):
            words.append(word)
            stemmed = stem(word, language or default_language())
            if stemmed != word:
                stems[stemmed] = None
    return " " + " ".join([*words, *stems]) + " "


def column_texts(row, fields: Iterable[str]) -> list[tuple[str, str]]:
    """A row's (or a values() dict's) texts of `fields`, each with its column's language."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name, "")
    return [(str(get(field) or ""), language_of(field)) for field in fields]


def in_every_language(*texts) -> list[tuple[str, str]]:
    """Translatable texts (what a row is: "trip", its kind) in every shipped language, so that
    "Reise" finds trips whose texts are written in Danish only."""
    out = []
    for language in settings.MODELTRANSLATION_LANGUAGES:
        with override(language):
            out += [(str(text), language) for text in texts]
    return out


# The query


@dataclass(frozen=True)
class Term:
    """A word or a phrase of the query: found where any of `forms` is found; `whole`: only
    as a whole word; `negated`: the row must not have it."""

    forms: tuple[str, ...]
    whole: bool = False
    negated: bool = False


TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


def terms(query: str, folding=fold) -> list[Term]:
    """The query's terms: each word with its stems in the reader's and the default language,
    each "phrase" as it is written; at most MAX_WORDS."""
    languages = list(dict.fromkeys([get_language() or default_language(), default_language()]))
    found = []
    for phrase_not, phrase, word_not, word in TOKEN.findall(query):
        if phrase:
            words = WORD.findall(folding(phrase))
            if words:
                found.append(Term((" ".join(words),), negated=bool(phrase_not)))
            continue
        for part in WORD.findall(folding(word)):
            forms = {part, *(stem(part, language) for language in languages)}
            long = sorted({form for form in forms if len(form) >= MIN_INFIX}, key=len)
            # A form that holds a shorter one adds nothing: whatever has it has the shorter.
            shortest = [form for form in long if not any(o in form for o in long if o != form)]
            if shortest:
                found.append(Term(tuple(shortest), negated=bool(word_not)))
            else:
                found.append(Term((part,), whole=True, negated=bool(word_not)))
    return found[:MAX_WORDS]


def _combine(conditions_of, query_terms: list[Term]) -> Q:
    """All positive terms and none of the negated ones; nothing for a query of only -not."""
    if not any(not term.negated for term in query_terms):
        return Q(pk__in=[])
    condition = Q()
    for term in query_terms:
        found = conditions_of(term)
        condition &= ~found if term.negated else found
    return condition


def matches_text(field: str, query: str) -> Q:
    """A condition: the query matches the stored search text in `field` (`document`)."""

    def found(term: Term) -> Q:
        any_form = Q()
        for form in term.forms:
            any_form |= Q(**{f"{field}__contains": f" {form} " if term.whole else form})
        return any_form

    return _combine(found, terms(query))


class Fold(Func):
    """A column folded as it is read: `lower()` on PostgreSQL (Unicode in a UTF-8 database),
    the same Python function on SQLite, whose own `lower()` folds ASCII only."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="PORTAL_LOWER", **extra_context)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created: SQLite learns PORTAL_LOWER (Fold)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "PORTAL_LOWER",
            1,
            lambda text: None if text is None else lower(text),
            deterministic=True,
        )


def matches(queryset, fields: list[str], query: str) -> Q:
    """A condition: every word of the query is in one of `fields` of the queryset's model
    (folded as they are read; see the module's docstring)."""

    def found(term: Term) -> Q:
        any_field = Q()
        for field in fields:
            for form in term.forms:
                any_field |= Q(Contains(Fold(F(field)), Value(form)))
        return any_field

    return _combine(found, terms(query, folding=lower))


# Relevance (PostgreSQL)


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
    """The query read in the reader's language and in the default language, for ranking."""
    languages = dict.fromkeys([get_language() or default_language(), default_language()])
    queries = [
        SearchQuery(query, config=config(language), search_type="websearch")
        for language in languages
    ]
    combined = queries[0]
    for other in queries[1:]:
        combined = combined | other
    return combined


# Results shown per section of the search page; one more is read to know there are more.
SHOWN = 20
# A section ranks at most its first RANKED_AT_MOST matches in its own order (the candidates),
# as a list reads at most its page: a word every row has ("skole" in every trip's purpose)
# would otherwise rank the whole table, and a page's cost would grow with history. Only the
# shown ones (SHOWN + 1) are then read whole.
RANKED_AT_MOST = 500


def ranked(queryset, fields: list[str], query: str, *fallback_order: str):
    """The queryset's matches among its first RANKED_AT_MOST in `fallback_order`, ordered
    by relevance on PostgreSQL (then by `fallback_order`), by `fallback_order` else."""
    if is_full_text(queryset):
        return _best(queryset, queryset, SearchRank(vector(fields), _query(query)), fallback_order)
    return _first(queryset, queryset, fallback_order)


def ranked_by_document(found, shown, document: str, query: str, *fallback_order: str):
    """The rows of `shown` among the first RANKED_AT_MOST of `found` (the matches) in
    `fallback_order`: ordered by relevance on PostgreSQL, read from a stored, indexed vector
    (`document`), then by `fallback_order`; by `fallback_order` else."""
    if is_full_text(found):
        return _best(found, shown, SearchRank(F(document), _query(query)), fallback_order)
    return _first(found, shown, fallback_order)


def _candidates(found, fallback_order):
    """The keys of the first RANKED_AT_MOST matches in the section's order (an index's)."""
    return found.order_by(*fallback_order).values("pk")[:RANKED_AT_MOST]


def _first(found, shown, fallback_order):
    return shown.filter(pk__in=_candidates(found, fallback_order)).order_by(*fallback_order)


def _best(found, shown, rank, fallback_order):
    """The SHOWN + 1 best ranked candidates, read whole (only they are): the ranking reads
    each candidate's key and text alone."""
    candidates = found.model._base_manager.filter(pk__in=_candidates(found, fallback_order))
    best = candidates.annotate(rank=rank).order_by("-rank", *fallback_order).values("pk")
    page = shown.filter(pk__in=best[: SHOWN + 1]).annotate(rank=rank)
    return page.order_by("-rank", *fallback_order)


# Snippets

SNIPPET_LENGTH = 160


def snippet(texts: list[str], query: str) -> str:
    """Up to SNIPPET_LENGTH characters around the first word of the query (or its stem)
    found in `texts`, those marked (<mark>), everything else escaped. The first text's start
    when none is found."""
    words = [word.strip('"-') for word in query.split()[:MAX_WORDS]]
    words = [word for word in words if len(word) > 1]
    forms = [*words, *(form for term in terms(query) for form in term.forms if not term.negated)]
    forms = sorted(dict.fromkeys(form for form in forms if len(form) > 1), key=len, reverse=True)
    pattern = _pattern(forms)
    for text in texts:
        if not text:
            continue
        hit = pattern.search(text) if pattern else None
        if hit:
            start = max(0, hit.start() - SNIPPET_LENGTH // 3)
            break
    else:
        text = next((text for text in texts if text), "")
        start = 0
    piece = text[start : start + SNIPPET_LENGTH]
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_LENGTH < len(text) else ""
    return mark_safe(prefix + _marked(piece, pattern) + suffix)  # noqa: S308 - escaped in _marked


def _pattern(forms: list[str]):
    """The forms, longest first, case-insensitive (Unicode), or None."""
    if not forms:
        return None
    return re.compile("|".join(re.escape(form) for form in forms), re.IGNORECASE)


def _marked(text: str, pattern) -> str:
    """The text escaped, with every match of the pattern in <mark>."""
    if pattern is None:
        return escape(text)
    out, position = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[position : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)
