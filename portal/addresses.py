"""Addresses of pages named by a slug, built once per language and URL name.

A download of 100,000 trips gives 100,000 addresses; Django's `reverse()` costs tens of
microseconds each. The address is the same but for the slug, so it is reversed once with a
placeholder (per language, default language, script prefix and URL configuration, which
decide the prefix) and the slug put in its place. Only for `<slug:...>` patterns: a slug
needs no quoting.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLACEHOLDER = "slug-placeholder-7f3a"


@lru_cache(maxsize=512)
def _template(name: str, language, default_language, script_prefix, urlconf) -> str:
    return reverse(name, args=[PLACEHOLDER], urlconf=urlconf)


def slug_address(name: str, slug: str) -> str:
    template = _template(
        name,
        get_language(),
        settings.LANGUAGE_CODE,
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    return template.replace(PLACEHOLDER, slug, 1)
