"""Addresses of pages, built once per language and URL name.

A download of 100,000 trips gives 100,000 addresses, and every page's layout links to a
dozen others; Django's `reverse()` costs tens of microseconds each. A page named by a slug
has the same address but for the slug, so it is reversed once with a placeholder and the
slug put in its place (only for `<slug:...>` patterns: a slug needs no quoting); a page
without arguments is reversed once. Once per language, default language, script prefix
and URL configuration, which decide the prefix.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from portal.municipalities import default_language

PLACEHOLDER = "slug-placeholder-7f3a"


@lru_cache(maxsize=1024)
def _reversed(name: str, args: tuple, language, default_language, script_prefix, urlconf) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def _once(name: str, *args: str) -> str:
    return _reversed(
        name,
        args,
        get_language(),
        default_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )


def slug_address(name: str, slug: str) -> str:
    return _once(name, PLACEHOLDER).replace(PLACEHOLDER, slug, 1)


def address(name: str) -> str:
    """The address of a page that takes no arguments (`{% url 'home' %}`)."""
    return _once(name)
