"""Django's Redis cache, with one client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache operation,
and redis-py fills each new client's table of about 170 response callbacks: 0.15 ms of
every cache read, more than a cached page's Redis round trip itself (measured by
`make bench`: a cache hit cost 2.5 times the bare "ok" view). A client holds no
connection of its own (its pool does, and the pool is safe across threads and forks), so
one per pool serves every call."""

from django.core.cache.backends import redis


class _KeptClients(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClients

    def validate_key(self, key):
        """Nothing to warn of: Django checks every character of every key for memcached's
        limits, which Redis does not have (10 µs a key; a cached page reads a key for each
        table it depends on)."""

    def bump(self, keys, start: int) -> None:
        """Move each key by one, in order, in one atomic round trip (MULTI): a key that is
        missing (never stored, or evicted) starts from `start`. A reader never sees a later
        key moved and an earlier one not (portal.pagecache: the tables' versions, then
        the epochs), even if the connection fails half-way."""
        pipeline = self._cache.get_client(write=True).pipeline(transaction=True)
        for key in keys:
            made = self.make_and_validate_key(key)
            pipeline.set(made, start, nx=True)
            pipeline.incr(made)
        pipeline.execute()
