"""The portal's address in absolute links (downloads, the data package, the API's pages and
document, the feed, the sitemap, robots.txt).

In production it is PORTAL_BASE_URL, never the request's Host header: a cache in front of
the portal that does not key on Host cannot be made to serve a page that points to another
site (docs/security/mail-and-links.md). When the demo runs (DEBUG) without PORTAL_BASE_URL
set, links follow the address it is served on (`make run` on another port, a phone on the
local network), which `PORTAL_BASE_URL_FROM_REQUEST` says. Mails, sent by a worker outside
any request, always use PORTAL_BASE_URL.
"""

from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

_served_at: ContextVar[str | None] = ContextVar("portal_served_at", default=None)


def base_url() -> str:
    """The address absolute links start with, without a trailing slash: the active
    municipality's first host name, with PORTAL_BASE_URL's scheme and port (a municipality
    without host names, as a deployment of one, has PORTAL_BASE_URL itself)."""
    served = _served_at.get()
    if served:
        return served
    from portal.municipalities import current

    found = current()
    host = found.primary_host if found is not None else None
    if not host:
        return settings.PORTAL_BASE_URL
    parts = urlsplit(settings.PORTAL_BASE_URL)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


class FollowTheRequestMiddleware:
    """Under PORTAL_BASE_URL_FROM_REQUEST (the demo), the request's scheme and host become
    `base_url()` for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PORTAL_BASE_URL_FROM_REQUEST:
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:  # refused further on (400), as without this middleware
            return self.get_response(request)
        token = _served_at.set(f"{request.scheme}://{host}")
        try:
            return self.get_response(request)
        finally:
            _served_at.reset(token)
