"""A backup made by deploy/backup.sh restores with deploy/restore.sh into a new database
with every row (PostgreSQL, as a municipality runs it)."""

import io
import os
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from grants.models import GrantApplication
from travel.models import Trip

TABLES = ["travel_trip", "grants_grantapplication", "budgets_commitment", "portal_auditentry"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_every_row(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    database = connection.settings_dict
    source = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    target_name = f"{database['NAME']}_restored"
    target = source.rsplit("/", 1)[0] + "/" + target_name
    env = {**os.environ, "BACKUP_DIR": str(tmp_path), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    dump = subprocess.run(
        ["deploy/backup.sh"],
        cwd=settings.BASE_DIR,
        env={**env, "DATABASE_URL": source},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    host = ["-h", database["HOST"], "-U", database["USER"]]
    subprocess.run(["dropdb", "--if-exists", *host, target_name], check=True)
    subprocess.run(["createdb", *host, target_name], check=True)
    try:
        subprocess.run(
            ["deploy/restore.sh", dump],
            cwd=settings.BASE_DIR,
            env={**env, "DATABASE_URL": target},
            check=True,
            capture_output=True,
        )
        for table in TABLES:
            counts = []
            for name in (database["NAME"], target_name):
                result = subprocess.run(
                    ["psql", *host, "-d", name, "-tAc", f"SELECT count(*) FROM {table}"],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                counts.append(int(result.stdout))
            assert counts[0] == counts[1], table
        assert Trip.objects.count() > 0 and GrantApplication.objects.count() > 0
    finally:
        subprocess.run(["dropdb", "--if-exists", *host, target_name], check=True)
