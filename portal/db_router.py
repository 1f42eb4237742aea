"""Reads for anonymous readers on a replica, everything else on the primary.

With DATABASE_REPLICA_URL set (settings), the public pages, their downloads and the API,
asked for by someone not signed in, read from the "replica" database: a PostgreSQL
streaming replica, a moment behind the primary. Staff and signed-in readers read from the
primary, so what they have just saved is what they see. Writes always go to the primary
(a replica refuses them anyway). `portal.pagecache.public_page` marks the reads.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_public_reading: ContextVar[bool] = ContextVar("public_reading", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_for_the_public(on: bool = True):
    """Within it, reads go to the replica (when there is one)."""
    token = _public_reading.set(on)
    try:
        yield
    finally:
        _public_reading.reset(token)


def reading_public() -> bool:
    return _public_reading.get()


def replica_caught_up() -> bool:
    """Whether the replica has replayed everything the primary had written when asked: a
    page read from it now shows every change committed before. The page cache asks before
    it makes a page from the replica, and stores the page only then (portal.pagecache): a
    page made from a replica that lags behind a take-down would otherwise be kept as
    current. True without a replica, or when "replica" is the primary itself (tests)."""
    from django.db import connections

    if not replica_configured() or connections[REPLICA].vendor != "postgresql":
        return True
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
            [written],
        )
        (caught_up,) = cursor.fetchone()
    return bool(caught_up)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
