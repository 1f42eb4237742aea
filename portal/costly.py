"""A limit per client on what is costly to make: downloads (CSV, JSON and XLSX files of the
lists), PDFs and searches. /api/ has its own throttle (portal.api_policy); outside it, a
client could otherwise ask for a workbook of every trip as fast as it can send requests.

Each kind has its rate (settings DOWNLOAD_RATE, PDF_RATE, SEARCH_RATE),
counted per client (portal.clients.client_key) in fixed windows in the default cache, which
must be shared (Redis) when several app servers run, as for the other throttles. Beyond
it, a page in the reader's language says how long to wait (429, Retry-After).
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from portal.clients import client_key

DOWNLOAD, PDF, SEARCH = "download", "pdf", "search"
RATE_SETTINGS = {DOWNLOAD: "DOWNLOAD_RATE", PDF: "PDF_RATE", SEARCH: "SEARCH_RATE"}
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/minute" -> (30, 60): DRF's syntax, as API_THROTTLE_RATE. ValueError if not."""
    count, _slash, period = rate.partition("/")
    if not count.strip().isdigit() or period.strip() not in PERIODS:
        raise ValueError(rate)
    return int(count), PERIODS[period.strip()]


def too_many(request, kind: str):
    """None while the client is within the rate for `kind`; else the 429 page to answer
    (`request.too_many_template`, where the site has its own layout: the service's
    national pages). Each call counts one request."""
    allowed, period = parse_rate(getattr(settings, RATE_SETTINGS[kind]))
    now = time.time()
    window = int(now // period)
    key = f"costly:{kind}:{client_key(request)}:{window}"
    cache.add(key, 0, period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, period + 1)
        count = 1
    if count <= allowed:
        return None
    retry_after = max(1, math.ceil((window + 1) * period - now))
    template = getattr(request, "too_many_template", "429.html")
    response = render(request, template, {"seconds": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
