"""Text search that uses what the database offers.

On PostgreSQL: full-text search with Danish stemming ("skoler" finds "skole"),
the query read as a web search (words, "a phrase", -not). On SQLite (the demo
and development): every word must appear in one of the fields, case-insensitive
for ASCII letters. Both are tested; the README says which a deployment gets.
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
)
from django.db import connections
from django.db.models import Q

CONFIG = "danish"
MAX_WORDS = 10
MAX_LENGTH = 200


def clean(query: str) -> str:
    """The query without control characters (PostgreSQL refuses NUL) and extra spaces."""
    printable = "".join(character if character.isprintable() else " " for character in query)
    return " ".join(printable.split())[:MAX_LENGTH]


def is_full_text(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def matches(queryset, fields: list[str], query: str) -> Q:
    """A condition: the query matches the text of `fields` of the queryset's model."""
    if is_full_text(queryset):
        return Q(
            SearchVectorExact(
                SearchVector(*fields, config=CONFIG),
                SearchQuery(query, config=CONFIG, search_type="websearch"),
            )
        )
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
        rank = SearchRank(
            SearchVector(*fields, config=CONFIG),
            SearchQuery(query, config=CONFIG, search_type="websearch"),
        )
        return queryset.annotate(rank=rank).order_by("-rank", *fallback_order)
    return queryset.order_by(*fallback_order)
