"""A streaming replica for the public pages (PostgreSQL only): a second PostgreSQL on this
machine, made with pg_basebackup from the test database's server, on a port of its own."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import pytest
from django.db import connection, connections, router
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.db_router import REPLICA, reading_for_the_public
from portal.models import SiteSettings
from tests.factories import TripFactory
from travel.models import Trip

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="streaming replication is PostgreSQL's"
    ),
]


def _bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name) or name


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=300)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def replica(transactional_db, settings):
    """A hot standby of the test database's server, as the "replica" database (added after
    the test database is set up, so that Django's test case lets it be used)."""
    primary = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="portal-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    backup = _as_postgres(
        _bin("pg_basebackup"),
        *("-h", primary["HOST"] or "127.0.0.1", "-p", str(primary["PORT"] or 5432)),
        *("-U", primary["USER"] or "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast"),
    )
    if backup.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"pg_basebackup could not copy the server: {backup.stderr.strip()}")
    config = "local all all trust\nhost all all 127.0.0.1/32 trust\n"
    _as_postgres(
        "sh", "-c", f"touch {data}/postgresql.conf; printf '{config}' > {data}/pg_hba.conf"
    )
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder}"
    started = _as_postgres(
        _bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"
    )
    assert started.returncode == 0, started.stderr + (folder / "log").read_text()
    # Configured as DATABASE_REPLICA_URL would, with a connection of its own (made here, as
    # the test database's server was set up before it existed).
    with warnings.catch_warnings():  # Django warns that DATABASES is read at start-up: the
        warnings.simplefilter("ignore")  # router reads it per query, the connection is set below
        settings.DATABASES = {**settings.DATABASES, REPLICA: {**primary, "PORT": str(port)}}
    connections[REPLICA] = DatabaseWrapper({**primary, "PORT": str(port)}, alias=REPLICA)
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        delattr(connections._connections, REPLICA)
        _as_postgres(_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _caught_up(replica) -> None:
    """Wait until the replica has replayed what the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    with replica.cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the replica did not catch up in 10 s")


@pytest.fixture
def roles(transactional_db):
    from portal.roles import ensure_roles

    ensure_roles()  # a transactional test starts from empty tables


def test_public_pages_read_the_replica_and_show_a_change_once_replicated(
    client, roles, replica, secretary
):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)  # a standby: it refuses every write
    url = reverse("travel:list")
    SiteSettings.current()  # made on first use: by a write, on the primary
    TripFactory(title="Til Wuxi", slug="til-wuxi")  # saved on the primary
    _caught_up(replica)
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        page = client.get(url)
    assert "Til Wuxi" in page.content.decode()
    assert on_replica.captured_queries  # the page was read from the replica
    assert not on_primary.captured_queries  # and not from the primary
    with CaptureQueriesContext(replica) as on_replica:
        download = client.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")
    assert "Til Wuxi" in download and on_replica.captured_queries  # the stream too

    # Writes go to the primary, also while a public page is being read.
    with reading_for_the_public():
        assert router.db_for_write(Trip) == "default"
        assert router.db_for_read(Trip) == REPLICA

    # Staff read the primary: what they have just saved is what they see.
    client.force_login(secretary)
    with CaptureQueriesContext(replica) as on_replica:
        assert "Til Wuxi" in client.get(url).content.decode()
    assert not on_replica.captured_queries


def _page_key(path: str, language: str = "da") -> str:
    import hashlib

    address = hashlib.sha256(f"http://testserver{path}".encode()).hexdigest()
    return f"public-pages:v2:{language}:{address}"


def _replay(replica, *, paused: bool) -> None:
    with replica.cursor() as cursor:
        cursor.execute(
            "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()"
        )


def test_a_page_made_from_a_lagging_replica_is_never_cached_as_current(
    client, roles, replica, secretary, settings
):
    """The cache's version moves when the take-down commits on the primary; a page made
    then from a replica that has not replayed it would be the old page stored as current,
    keeping the trip public for up to PUBLIC_PAGE_CACHE_SECONDS."""
    from django.core.cache import cache

    from portal.pagecache import is_current
    from travel.services import unpublish_trip

    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    SiteSettings.current()
    trip = TripFactory(title="Til Wuxi", slug="til-wuxi")
    _caught_up(replica)
    pages = [reverse("travel:list"), reverse("travel:trip", args=[trip.slug])]
    for page in pages:
        assert "Til Wuxi" in client.get(page).content.decode()
        assert client.get(page)["X-Cache"] == "hit"

    _replay(replica, paused=True)
    try:
        unpublish_trip(trip=trip, actor=secretary, reason="Forkerte udgifter")  # the primary
        for page in pages:
            lagging = client.get(page)  # made from the replica, which still has the trip
            assert "X-Cache" not in lagging
            stored = cache.get(_page_key(page))
            assert stored is None or not is_current(stored[0])  # nothing stale kept as current
            assert "X-Cache" not in client.get(page)  # so it is made again, not served
    finally:
        _replay(replica, paused=False)
    _caught_up(replica)

    listed = client.get(pages[0])
    assert "Til Wuxi" not in listed.content.decode()
    again = client.get(pages[0])
    assert again["X-Cache"] == "hit" and "Til Wuxi" not in again.content.decode()
    assert client.get(pages[1]).status_code == 404
    stored = cache.get(_page_key(pages[1]))  # the page from before, under its old version
    assert stored is None or not is_current(stored[0])
