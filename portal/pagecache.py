"""Whole public pages from the cache, for visitors who are not logged in.

A cached page is keyed by the address, the language and the query parameters the page
reads (what its view declares: `public_page(reads=(TripFilter, *LIST_PAGE_READS))`; any other
parameter is ignored, so junk query strings cannot fill the cache with copies of a page),
and by a version number that every change to the portal's data bumps (see
`portal.apps`), so a published trip or a new decision shows at once. With
several app servers the cache must be shared (CACHE_URL, Redis): a per-process
cache only learns of changes made in the same process, so PUBLIC_PAGE_CACHE_SECONDS
defaults to 0 (off) without a shared cache.
"""

import copy
import hashlib
import time
from functools import partial, wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.translation import get_language, override

from portal.db_router import reading_for_the_public, reading_public, replica_caught_up
from portal.i18n import request_language

VERSION_KEY = "public-pages:version"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "ETag")
# While one request makes a page, others get the stale copy, or, when there is none, wait
# up to WAIT_SECONDS for it before making it themselves. A maker that dies frees the page
# after MAKING_SECONDS.
MAKING_SECONDS = 30
WAIT_SECONDS = 2.0


def data_changed(**kwargs) -> None:
    """Every cached page is out of date (a signal receiver: any save or delete).

    The version moves once the change is committed, never before: a page made between a
    bump and the commit would be the old page stored under the new version. A page made
    between the commit and the bump is stored under the old version, which the bump then
    retires. A rolled-back change bumps nothing."""
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _cacheable(request, *, signed_in=None) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        # A session or messages cookie may mean a message to show on this very page (and
        # without a session cookie, nobody is signed in).
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not (signed_in if signed_in is not None else request.user.is_authenticated)
    )


class CachedPageMiddleware:
    """Cache hits before the work only a page being made needs: placed before the session,
    locale, CSRF and authentication middleware, it serves a current stored page to a
    visitor without a session at the cost of one cache read. The page's language comes
    from its address (a prefix, or none for the default language), as LocaleMiddleware
    would find it. Anything else (a miss, a stale page, a signed-in visitor) goes on to
    the view, whose `public_page` makes and stores it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _cacheable(request, signed_in=False):
            language = request_language(request)
            with override(language):  # the addresses' language prefix is the active one's
                try:
                    view = resolve(request.path_info).func
                except Resolver404:
                    return self.get_response(request)
            if not is_public_page(view):
                return self.get_response(request)
            key = _key(request, language, view)
            found = cache.get_many([VERSION_KEY, key])
            stored = found.get(key)
            if stored is not None and found.get(VERSION_KEY) == stored[0]:
                response = _served(stored, "hit")
                response["Content-Language"] = language
                patch_vary_headers(response, ["Accept-Language"])
                return response
        return self.get_response(request)


def public_page(view=None, *, reads=()):
    """Serve the view's page from the cache to anonymous visitors; store good answers.

    `reads`: the query parameters the page reads, as the FilterSet or form classes that read
    them (each of their fields' parameters) or parameter names (PAGE_PARAMETER,
    FORMAT_PARAMETER); the page's
    cache key has these and no other parameter. A page that reads none ignores them all.

    One cache round trip per hit: the page is stored with the data version it was made
    from and its ETag, and is served only while that version is current. A stale page is
    remade by one request at a time (a short-lived lock in the cache); the others get the
    stale copy meanwhile, or wait for the new one when there is none."""
    if view is None:
        return partial(public_page, reads=reads)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        _only_declared_parameters(request)
        anonymous = request.method in ("GET", "HEAD") and not request.user.is_authenticated
        with reading_for_the_public(anonymous):
            return _cached(view, request, *args, **kwargs)

    wrapper.page_reads = tuple(reads)
    return wrapper


def page_parameters(view) -> frozenset[str]:
    """The query parameters a public page's view reads: what `public_page(reads=...)`
    declares, or for an API view, DRF's format parameter and, on a list, its FilterSet's
    and its pagination's parameters."""
    return frozenset(_page_cleaners(view))


def _page_cleaners(view) -> dict:
    """Each parameter the page reads, with the form field that reads it (None: a bare name,
    such as the page's number). Worked out once per view."""
    known = getattr(view, "_page_cleaners", None)
    if known is None:
        if hasattr(view, "cls"):  # a class-based view: Django REST framework's
            known = _api_parameters(view)
        elif hasattr(view, "page_reads"):
            known = _parameters_of(view.page_reads)
        else:
            known = {}
        view._page_cleaners = known
    return known


def _parameters_of(reads) -> dict:
    import django_filters

    cleaners: dict = {}
    for item in reads:
        if isinstance(item, str):
            cleaners[item] = None
            continue
        if issubclass(item, django_filters.FilterSet):
            # A copy's field: the class's own filters are copied for each request, and
            # should not carry a field made here.
            fields = {
                name: copy.deepcopy(declared).field for name, declared in item.base_filters.items()
            }
        else:
            fields = item.base_fields
        for name, field in fields.items():
            widget = field.widget
            parts = getattr(field, "fields", None) or ()
            if hasattr(widget, "suffixes"):  # django-filter's ranges: cost_min, cost_max
                for n, suffix in enumerate(widget.suffixes):
                    part = parts[n] if n < len(parts) else None
                    cleaners[widget.suffixed(name, suffix)] = part
            elif isinstance(widget, forms.MultiWidget):
                for n, suffix in enumerate(widget.widgets_names):
                    cleaners[f"{name}{suffix}"] = parts[n] if n < len(parts) else None
            else:
                cleaners[name] = field
    return cleaners


def _api_parameters(view) -> dict:
    from rest_framework.settings import api_settings

    reads = [api_settings.URL_FORMAT_OVERRIDE]
    actions = getattr(view, "actions", None)  # a viewset's route: {"get": "list"}
    if (actions or {}).get("get") == "list" or (actions is None and hasattr(view.cls, "list")):
        if filterset := getattr(view.cls, "filterset_class", None):
            reads.append(filterset)
        if pagination := getattr(view.cls, "pagination_class", None):
            reads += [pagination.page_query_param, pagination.page_size_query_param]
    return _parameters_of([item for item in reads if item])


def is_public_page(view) -> bool:
    """Whether the view's pages may come from the cache: a `public_page`, or an API view
    (whose dispatch is one)."""
    return hasattr(view, "page_reads") or hasattr(view, "cls")


def _spelling(value: str) -> str:
    """One spelling of a parameter's value, found without reading anything: a whole number
    without its leading zeros (`page=01` is `page=1`), any other value as it is."""
    value = value.strip()
    return str(int(value)) if value.isdigit() else value


def _key_query(request, view) -> str:
    """The cache key's query: the parameters the page reads, each in one spelling, sorted,
    empty ones left out."""
    cleaners = _page_cleaners(view)
    pairs = sorted(
        (name, spelling)
        for name, values in request.GET.lists()
        if name in cleaners
        for value in values
        if (spelling := _spelling(value))
    )
    return urlencode(pairs)


def _storable_query(request, view) -> bool:
    """Whether each parameter's value is one its page reads, as its field reads it (a bare
    name, such as a page's number, must be a whole number; a download's format is never
    stored): a page made for a value no field takes is served but not stored, so junk
    cannot fill the cache."""
    cleaners = _page_cleaners(view)
    for name, values in request.GET.lists():
        field = cleaners.get(name, False)
        if field is False:
            continue
        for value in values:
            if not value.strip():
                continue
            if field is None:
                if not value.strip().isdigit():
                    return False
                continue
            try:
                field.clean(value)
            except (forms.ValidationError, ValueError, TypeError):
                return False
    return True


def page_query(request, view=None) -> str | None:
    """The request's query string with only the parameters its page reads, in the order the
    visitor gave them; None for a page that is not a public page."""
    view = view or getattr(request.resolver_match, "func", None)
    if not is_public_page(view):
        return None
    allowed = page_parameters(view)
    pairs = [
        (name, value) for name, values in request.GET.lists() if name in allowed for value in values
    ]
    return urlencode(pairs)


def _only_declared_parameters(request) -> None:
    """The page sees only the parameters its key has: a page made for the cache then
    carries no visitor's other parameters (in its links, its search box), and a view cannot
    read a parameter it did not declare."""
    query = page_query(request)
    if query is not None:
        request.GET = QueryDict(query)


def _key(request, language: str, view) -> str:
    # The host is part of the address: links in a page (the API's `next`) are built
    # from it, so a page asked for under another Host header is another page.
    query = _key_query(request, view) if is_public_page(view) else None
    if query is None:
        query = request.META.get("QUERY_STRING", "")
    address = request.build_absolute_uri(request.path) + (f"?{query}" if query else "")
    return f"public-pages:{language}:{hashlib.sha256(address.encode()).hexdigest()}"


def data_version() -> int:
    """The data's version: moved by every committed change (`data_changed`)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def _cached(view, request, *args, **kwargs):
    if not _cacheable(request):
        return view(request, *args, **kwargs)
    view_func = getattr(request.resolver_match, "func", None)
    key = _key(request, get_language(), view_func)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = data_version()
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        return _served(stored, "hit")
    making = f"{key}:making"
    if not cache.add(making, 1, MAKING_SECONDS):
        # Another request is making this page: never all of them at once.
        if stored is not None:
            return _served(stored, "stale")
        if (ready := _wait_for(key, version)) is not None:
            return _served(ready, "hit")
        making = None  # it is taking too long: make it here too
    try:
        # Asked after the version was read and before the page reads anything: a page made
        # from a replica that has not yet replayed the change that moved the version would
        # be the old page stored as current (a take-down kept public). Such a page is
        # served to this request but not stored; one made once the replica caught up is.
        current = replica_caught_up() if reading_public() else True
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()  # a DRF Response, rendered by its view's negotiated renderer
        storable = response.status_code == 200 and not response.streaming
        storable = storable and (view_func is None or _storable_query(request, view_func))
        if storable and current and not response.cookies:
            _store(key, version, response)
            _public(response)
    finally:
        if making:
            cache.delete(making)
    return response


def _wait_for(key: str, version: int):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        stored = cache.get(key)
        if stored is not None and stored[0] == version:
            return stored
    return None


def _served(stored, how: str) -> HttpResponse:
    _version, content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response["X-Cache"] = how
    _public(response)
    return response


def _public(response) -> None:
    """A reverse proxy or CDN in front may keep the page for visitors without a session:
    for PUBLIC_PAGE_MAX_AGE seconds, or (0, the default) asking again each time with the
    ETag, which a cache hit here answers with a 304 at the cost of one cache read."""
    if settings.PUBLIC_PAGE_MAX_AGE > 0:
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])


def _store(key: str, version: int, response) -> None:
    if not response.has_header("ETag"):
        set_response_etag(response)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    cache.set(key, (version, response.content, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
