"""Who the client is: one answer for the login throttle, the API throttle and the form limits.

With TRUSTED_PROXY_COUNT = 0 the client is the connection's peer (REMOTE_ADDR). Behind n
proxies of our own, each of which appends the address it received the request from to
X-Forwarded-For, the client is the n-th address from the right: everything to its left
was written by the client and may be anything. A proxy may write the address with its port
(`203.0.113.1:1111`, `[2001:db8::1]:443`); an entry that is no address at all is refused
(`ClientAddressMiddleware` answers 400), never replaced by the proxy's own address, which
every client shares.

The limits count per client group: an IPv4 address, or the IPv6 network of
CLIENT_IPV6_PREFIX bits (a /64 by default) that one subscriber is given and can fill with
addresses at will.
"""

import hashlib
import hmac
import ipaddress
import re

from django.conf import settings
from django.shortcuts import render

# "[2001:db8::1]:443" or "[2001:db8::1]"; "203.0.113.1:1111".
_BRACKETED = re.compile(r"^\[(?P<host>[^\]]+)\](?::(?P<port>\d{1,5}))?$")
_IPV4_PORT = re.compile(r"^(?P<host>[0-9.]+):(?P<port>\d{1,5})$")


class UnknownClient(ValueError):
    """Our proxy named the client with something that is no address."""


def _parse(entry: str) -> str:
    """The address in one X-Forwarded-For entry, with or without a port."""
    for pattern in (_BRACKETED, _IPV4_PORT):
        if match := pattern.match(entry):
            entry = match["host"]
            break
    try:
        address = ipaddress.ip_address(entry)
    except ValueError:
        raise UnknownClient(entry) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # "::ffff:203.0.113.1" is that IPv4 client
    return str(address)


def client_address(request) -> str:
    """The client's address. Raises UnknownClient when our proxy wrote no address."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # not through our proxies: the peer is all we know
    return _parse(forwarded[-count])


def client_group(request) -> str:
    """What the limits count: an IPv4 address, or the network address of the client's IPv6
    network (CLIENT_IPV6_PREFIX bits), so that `2001:db8::1` and `2001:db8::2` are one."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address  # a peer that is no IP (a test client, a Unix socket): itself
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if isinstance(parsed, ipaddress.IPv6Address):
        prefix = settings.CLIENT_IPV6_PREFIX
        return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False).network_address)
    return address


def client_key(request) -> str:
    """The client's group as a keyed hash: enough to count requests, not to read it."""
    return hmac.new(
        settings.SECRET_KEY.encode(), client_group(request).encode(), hashlib.sha256
    ).hexdigest()


class ClientAddressMiddleware:
    """Refuse a request whose client our proxies named with something that is no address
    (400, in the reader's language): counting it against the proxy's address would let one
    client lock out, or use up the limits of, every other."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            client_address(request)
        except UnknownClient:
            return render(request, "portal/unknown_client.html", status=400)
        return self.get_response(request)
