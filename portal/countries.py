"""A country's name in the active language, looked up once per language: a download of
100,000 trips names a country on every row, and django-countries builds it each time."""

from functools import lru_cache

from django.utils.translation import get_language
from django_countries import countries


@lru_cache(maxsize=4096)
def _name(code: str, language: str | None) -> str:
    return str(countries.name(code))


def country_name(code: str) -> str:
    return _name(code, get_language()) if code else ""


@lru_cache(maxsize=1024)
def names_everywhere(code: str) -> tuple[str, ...]:
    """A country's name in every shipped language and in English ("Tyskland", "Germany",
    "Deutschland"), for search: a reader may name it in any of them."""
    from django.conf import settings
    from django.utils.translation import override

    names = {}
    for language in [*settings.MODELTRANSLATION_LANGUAGES, "en"]:
        with override(language):
            names[str(countries.name(code))] = None
    return tuple(name for name in names if name)
