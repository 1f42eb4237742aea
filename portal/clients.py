"""Who the client is: one answer for the login throttle, the API throttle and the form limits.

With TRUSTED_PROXY_COUNT = 0 the client is the connection's peer (REMOTE_ADDR). Behind n
proxies of our own, each of which appends the address it received the request from to
X-Forwarded-For, the client is the n-th address from the right: everything to its left
was written by the client and may be anything.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # not through our proxies: the peer is all we know
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def client_key(request) -> str:
    """The client's address as a keyed hash: enough to count requests, not to read it."""
    return hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()
