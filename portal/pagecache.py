"""Whole public pages from the cache, for visitors who are not logged in.

A cached page is keyed by the address, the language and the query parameters the page
reads (what its view declares: `public_page(reads=(TripFilter, *LIST_PAGE_READS))`; any other
parameter is ignored, so junk query strings cannot fill the cache with copies of a page).
It is stored with the version of each table it read while it was made, and served only
while none of them has moved: every committed write to a table moves that table's version
(seen in the SQL itself, so a queryset's update() or raw SQL counts as much as a save), so a
published trip or a new decision shows at once, while a change to a budget line leaves the
trip pages alone. Nothing declares what a page reads: the database connection sees it. With
several app servers the cache must be shared (CACHE_URL, Redis): a per-process
cache only learns of changes made in the same process, so PUBLIC_PAGE_CACHE_SECONDS
defaults to 0 (off) without a shared cache.
"""

import contextvars
import copy
import hashlib
import re
import time
from functools import lru_cache, partial, wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.translation import get_language, override

from portal.db_router import reading_for_the_public, reading_public, replica_caught_up
from portal.i18n import request_language
from portal.municipalities import default_language
from portal.scoping import EVERY, active

VERSION_KEY = "public-pages:version"  # everything: moved by data_changed()
# A stored page's key starts with this; it names the form of what is stored, so that
# workers of an earlier release, still running during an upgrade, never read a page in
# a form they do not know, and the new ones never read theirs.
PAGE_KEY = "public-pages:v2:"
TABLE_KEY = "data-version:"
# Moved by every write of a municipality (after its tables' versions): while it has not
# moved, nothing a stored page could depend on has, and a hit reads no table's version.
EPOCH_KEY = "data-epoch:"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "ETag")
# While one request makes a page, others wait up to WAIT_SECONDS for it before making it
# themselves (never the stale copy). A maker that dies frees the page after MAKING_SECONDS.
MAKING_SECONDS = 30
WAIT_SECONDS = 2.0
# The addresses whose view a worker remembers (CachedPageMiddleware; the least recently
# asked for is forgotten first).
RESOLVED_PATHS = 4096


def data_changed(**kwargs) -> None:
    """Every cached page is out of date: for writes the database connection does not see
    (a bulk load by another program). Writes through Django need nothing: see `watch_writes`.

    The version moves once the change is committed, never before: a page made between a
    bump and the commit would be the old page stored under the new version. A page made
    between the commit and the bump is stored under the old version, which the bump then
    retires. A rolled-back change bumps nothing."""
    transaction.on_commit(lambda: _bump([VERSION_KEY]), robust=True)


def _bump(keys) -> None:
    # A key never stored, or evicted, starts from a value no stored page can have been
    # made under.
    if (bump := getattr(cache, "bump", None)) is not None:  # Redis: one atomic round trip
        bump(keys, time.time_ns())
        return
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, time.time_ns(), None)


# The tables a page reads while it is made (None: no page is being made).
_reading: contextvars.ContextVar[set | None] = contextvars.ContextVar("page_reads", default=None)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_tables: frozenset[str] = frozenset()


def _known_tables() -> frozenset[str]:
    global _tables
    if not _tables:
        from django.apps import apps

        _tables = frozenset(
            model._meta.db_table for model in apps.get_models(include_auto_created=True)
        )
    return _tables


def _tables_in(sql: str) -> set[str]:
    return set(_NAME.findall(sql)) & _known_tables()


def watch_writes(connection, **kwargs) -> None:
    """connection_created: the connection tells the cache which tables each statement
    touches. A committed write moves its tables' versions (after the commit, as
    `data_changed` explains; in autocommit at once, the statement being committed); a read
    made while a page is made is noted as what the page depends on."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    text = sql if isinstance(sql, str) else str(sql)
    if text.lstrip()[:8].upper().startswith(_WRITES):
        if tables := _tables_in(text):
            _written(context["connection"], tables)
    elif (reading := _reading.get()) is not None:
        reading.update(_tables_in(text))
    return result


# Each municipality's tables have their versions (portal.scoping): a change in one leaves the
# others' pages alone. A write outside any municipality (a migration, a user's password) moves
# "*", which every municipality's pages read too; every write moves "any", which the service's
# own pages across municipalities read.
OUTSIDE, ANY = "*", "any"


def _tag() -> str:
    found = active()
    return OUTSIDE if found is None or found is EVERY else str(found.pk)


def _written_keys(tag: str, tables) -> list[str]:
    return [f"{TABLE_KEY}{each}:{table}" for table in tables for each in (tag, ANY)]


def _epoch_keys(tags) -> list[str]:
    return [f"{EPOCH_KEY}{tag}" for tag in tags]


def _moved(written) -> list[str]:
    """The keys a committed write of (tag, table) pairs moves, in the order they must move:
    the tables' versions, then the epochs of their municipalities. A reader who finds an
    epoch moved then finds the versions moved too (Redis runs one client's commands in
    order, and reads a MGET's keys at one moment)."""
    tables = [key for tag, table in written for key in _written_keys(tag, [table])]
    tags = dict.fromkeys(each for tag, _table in written for each in (tag, ANY))
    return [*tables, *_epoch_keys(tags)]


def _read_tags() -> tuple[str, ...]:
    found = active()
    if found is EVERY:
        return (ANY,)
    return (OUTSIDE,) if found is None else (str(found.pk), OUTSIDE)


def _read_keys(tables) -> list[str]:
    tags = _read_tags()
    return [f"{TABLE_KEY}{each}:{table}" for table in tables for each in tags]


def table_key(table: str) -> str:
    """The key of the version of `table` that the active municipality's writes move."""
    return f"{TABLE_KEY}{_tag()}:{table}"


def _written(connection, tables: set[str]) -> None:
    tag = _tag()
    if not connection.in_atomic_block:
        _bump(_moved([(tag, table) for table in sorted(tables)]))
        return
    pending = connection.__dict__.setdefault("_pagecache_written", set())
    pending |= {(tag, table) for table in tables}
    flush = connection.__dict__.get("_pagecache_flush")
    if flush is None:

        def flush():
            if pending:
                written = sorted(pending)
                pending.clear()
                _bump(_moved(written))

        connection._pagecache_flush = flush
    # Once per statement, cheap: the first to run after the commit moves every table written
    # and the others find nothing left. A savepoint rolled back takes its callbacks with it;
    # the tables it wrote stay pending and move with the next commit, which retires more
    # pages, never fewer.
    transaction.on_commit(flush, using=connection.alias, robust=True)


class recording_reads:
    """`with recording_reads() as read:` the tables read inside, as `read` (a set)."""

    def __enter__(self) -> set:
        self.read: set = set()
        self._token = _reading.set(self.read)
        return self.read

    def __exit__(self, *exc) -> None:
        _reading.reset(self._token)


def versions(tables) -> dict:
    """The current version of everything, of the epochs of the active municipality and of
    each table, one cache round trip (two the first time a table is asked for)."""
    keys = [VERSION_KEY, *_epoch_keys(_read_tags()), *_read_keys(tables)]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), None)
        found.update(cache.get_many(missing))
    return {key: found.get(key) for key in keys}


def all_versions() -> dict:
    """Every table's version: read before a page is made, which reads only some."""
    return versions(sorted(_known_tables()))


def made_under(before: dict, read: set) -> dict:
    """What a page made after `before` was read depends on: everything's version and that
    of each table it read."""
    keys = {VERSION_KEY, *_read_keys(read)}
    return {key: value for key, value in before.items() if key in keys}


def _epochs(found: dict) -> dict | None:
    """The active municipality's epochs in `found` (read at one moment), or None if one is
    missing (never moved, or evicted: the next write or page made sets it)."""
    epochs = {key: found.get(key) for key in _epoch_keys(_read_tags())}
    return None if None in epochs.values() else epochs


def is_current(made: dict, found: dict | None = None) -> bool:
    """Whether nothing a stored page or PDF read has moved since it was made."""
    found = dict(found or {})
    missing = [key for key in made if key not in found]
    if missing:
        found.update(cache.get_many(missing))
    return all(found.get(key) == value for key, value in made.items())


def _current_page(key: str):
    """The page stored under `key` if nothing it read has moved, else None.

    One cache read while nothing was written in the municipality since the page was made
    or last checked (its epochs and everything's version are fetched with it). Once
    something was written, a second read compares the versions of the tables the page
    read; if it is still current, it is stored again with the new epochs for the time it
    had left, so that the next hits cost one read again."""
    epoch_keys = _epoch_keys(_read_tags())
    found = cache.get_many([key, VERSION_KEY, *epoch_keys])
    stored = found.get(key)
    if stored is None:
        return None
    made, content, headers, epochs, expires = stored
    unmoved = epochs and found.get(VERSION_KEY) == made.get(VERSION_KEY)
    if unmoved and all(found.get(epoch) == value for epoch, value in epochs.items()):
        return stored
    # At one moment: the tables' versions (and everything's, in `made`) and the epochs.
    now = cache.get_many([*made, *epoch_keys])
    if not is_current(made, now):
        return None
    # Stored again only for the time it had left: a page also shows what no table holds
    # (today's date, the templates), and must not outlive PUBLIC_PAGE_CACHE_SECONDS.
    left = int(expires - time.time())
    if left > 0 and (moved := _epochs(now)) is not None:
        cache.set(key, (made, content, headers, moved, expires), left)
    return stored


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
            view = _view_of(get_urlconf(), default_language(), language, request.path_info)
            if view is None or not is_public_page(view):
                return self.get_response(request)
            key = _key(request, language, view)
            if (stored := _current_page(key)) is not None:
                response = _served(stored, "hit")
                response["Content-Language"] = language
                patch_vary_headers(response, ["Accept-Language"])
                return response
        return self.get_response(request)


@lru_cache(maxsize=RESOLVED_PATHS)
def _view_of(urlconf, default: str, language: str, path: str):
    """The view of a path in a language (its prefix is the active language's, none for the
    `default` language) under a URLconf (a municipality's), or None. Resolving is the
    dearest step of a hit after the cache read, and the same few addresses are asked for
    all day. Bounded, since the paths are the visitors' to choose."""
    with override(language):
        try:
            return resolve(path, urlconf).func
        except Resolver404:
            return None


def public_page(view=None, *, reads=()):
    """Serve the view's page from the cache to anonymous visitors; store good answers.

    `reads`: the query parameters the page reads, as the FilterSet or form classes that read
    them (each of their fields' parameters) or parameter names (PAGE_PARAMETER,
    FORMAT_PARAMETER); the page's
    cache key has these and no other parameter. A page that reads none ignores them all.

    One cache round trip per hit: the page is stored with the versions of the tables it
    read and its ETag, and is served only while they are current. A stale page is
    remade by one request at a time (a short-lived lock in the cache); the others wait for
    the new one (briefly: then they make it too), never served the stale copy."""
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
            # Read as the field's widget reads it: an ordering's "-cost,title" is a list.
            data = QueryDict(mutable=True)
            data.setlist(name, [value])
            try:
                field.clean(field.widget.value_from_datadict(data, {}, name))
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
    return f"{PAGE_KEY}{language}:{hashlib.sha256(address.encode()).hexdigest()}"


def _cached(view, request, *args, **kwargs):
    if not _cacheable(request):
        return view(request, *args, **kwargs)
    view_func = getattr(request.resolver_match, "func", None)
    key = _key(request, get_language(), view_func)
    if (stored := _current_page(key)) is not None:
        return _served(stored, "hit")
    making = f"{key}:making"
    if not cache.add(making, 1, MAKING_SECONDS):
        # Another request is making this page: never all of them at once. The others wait
        # for it, never served the stale copy: a reader who comes after a change sees it.
        if (ready := _wait_for(key)) is not None:
            return _served(ready, "hit")
        making = None  # it is taking too long: make it here too
    try:
        # Read before the page reads anything: a change committed while it is made leaves
        # it stored under the versions from before, which that change has moved.
        before = all_versions()
        # Asked after the versions were read and before the page reads anything: a page made
        # from a replica that has not yet replayed the change that moved a version would
        # be the old page stored as current (a take-down kept public). Such a page is
        # served to this request but not stored; one made once the replica caught up is.
        current = replica_caught_up() if reading_public() else True
        with recording_reads() as read:
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()  # a DRF Response, rendered by its view's negotiated renderer
        storable = response.status_code == 200 and not response.streaming
        storable = storable and (view_func is None or _storable_query(request, view_func))
        if storable and current and not response.cookies:
            _store(key, made_under(before, read), _epochs(before), response)
            _public(response)
    finally:
        if making:
            cache.delete(making)
    return response


def _wait_for(key: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if (stored := _current_page(key)) is not None:
            return stored
    return None


def _served(stored, how: str) -> HttpResponse:
    _made, content, headers, _epochs, _expires = stored
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


def _store(key: str, made: dict, epochs: dict | None, response) -> None:
    """Store the page with what it read (`made`) and the epochs read before it was made
    (None when one was missing: each hit then compares the tables' versions)."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    stored = (made, response.content, headers, epochs, time.time() + seconds)
    cache.set(key, stored, seconds)


def cached_made(key: str, make, seconds: int):
    """`make()`'s result, kept under `key` for `seconds` while no table has changed. For
    what its view reads partly before calling this (a public PDF): it depends on every
    table, so it never outlives what it shows."""
    stored = cache.get(key)
    if stored is not None and is_current(stored[0]):
        return stored[1]
    before = all_versions()
    made = make()
    cache.set(key, (before, made), seconds)
    return made
