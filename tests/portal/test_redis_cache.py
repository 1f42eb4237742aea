"""The page cache in Redis (CACHE_URL), as production runs it: Django's Redis cache with one
client per connection pool (portal.cache)."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from portal.models import SiteSettings
from tests.factories import TripFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS).flushdb()
    except redis.ConnectionError:  # pragma: no cover - CI's machine runs Redis
        pytest.skip("no Redis on 127.0.0.1:6379")
    from portal.roles import ensure_roles

    ensure_roles()
    settings.CACHES = {"default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": REDIS}}
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    yield caches["default"]
    redis.Redis.from_url(REDIS).flushdb()


def test_the_redis_cache_reads_and_writes_as_djangos_with_one_client(redis_cache):
    redis_cache.set("a", {"page": "<p>ø</p>"}, 60)
    assert redis_cache.add("n", 1, None) and not redis_cache.add("n", 2, None)
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["a", "n", "missing"]) == {"a": {"page": "<p>ø</p>"}, "n": 2}
    redis_cache.delete("a")
    assert redis_cache.get("a") is None
    # One client for every call (Django makes one per call, each filling ~170 callbacks).
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)


def test_versions_move_together_in_order_and_a_missing_one_starts_afresh(redis_cache):
    """A write's keys move in one atomic round trip (the tables' versions, then the
    epochs): a reader never finds an epoch moved and a table's version not. An evicted
    key starts from the value given, never from 1, which a stored page could have been
    made under."""
    import time

    redis_cache.set("table", 41, None)
    start = time.time_ns()
    redis_cache.bump(["table", "epoch"], start)
    assert redis_cache.get_many(["table", "epoch"]) == {"table": 42, "epoch": start + 1}
    redis_cache.bump(["epoch"], time.time_ns())
    assert redis_cache.get("epoch") == start + 2


def test_pages_come_from_redis_and_a_change_is_seen_at_once(client, redis_cache):
    TripFactory(title="Til Wuxi")
    SiteSettings.current()  # made on first use, which (as any change) makes pages stale
    url = reverse("travel:list")
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    TripFactory(title="Til Nacka")
    fresh = client.get(url)
    assert "X-Cache" not in fresh and "Til Nacka" in fresh.content.decode()
    assert client.get(url)["X-Cache"] == "hit"
    # A write to a table the list does not read leaves it current: one hit compares its
    # tables and stores it again with the municipality's new epochs.
    from tests.factories import BudgetLineFactory

    BudgetLineFactory(name_da="Venskabsbyer")
    assert client.get(url)["X-Cache"] == "hit"
    assert client.get(url)["X-Cache"] == "hit"
