"""Backups (docs/deploy.md, "Backups"): a pg_dump of the demonstration county, restored with
pg_restore into a new database, holds every record of every table, the sequences' next
values and the database's own triggers and functions."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.demo.conftest import DEMO_DAY

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="pg_dump and pg_restore back up PostgreSQL only; this runs in the PostgreSQL run of the suite",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def postgres_bin() -> Path:
    """Return PostgreSQL 15's bin folder, found as scripts/postgres.sh finds initdb."""
    initdb = shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb"
    return Path(initdb).resolve().parent


def _conninfo(name: str) -> dict[str, str]:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or "",
        "dbname": name,
    }


def _run(*args: str, env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"


def fingerprint(info: dict[str, str]) -> dict[str, object]:
    """Return each table's row count and a checksum of its rows, each sequence's last value,
    and the triggers and functions the database holds."""
    found: dict[str, object] = {}
    with psycopg.connect(**info) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cursor.fetchall():
            # Every column of every row, in a fixed order, in one checksum per table.
            rows = "coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')"
            cursor.execute(f'SELECT count(*), md5({rows}) FROM "{table}" t')
            found[f"table {table}"] = cursor.fetchone()
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        found.update({f"sequence {name}": value for name, value in cursor.fetchall()})
        cursor.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"
        )
        found["triggers"] = cursor.fetchall()
        cursor.execute(
            "SELECT proname, md5(prosrc) FROM pg_proc JOIN pg_namespace n ON n.oid = pronamespace "
            "WHERE nspname = 'public' ORDER BY 1"
        )
        found["functions"] = cursor.fetchall()
    return found


def test_a_pg_dump_restored_with_pg_restore_loses_no_record(tmp_path):
    with time_machine.travel(DEMO_DAY, tick=False), override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
    source = _conninfo(connection.settings_dict["NAME"])
    restored = _conninfo(f"{source['dbname']}_restored")
    env = {**os.environ, "PGPASSWORD": source["password"]}
    where = ["-h", source["host"], "-p", source["port"], "-U", source["user"]]
    bin_ = postgres_bin()
    dump = tmp_path / "workforce.dump"

    # The commands docs/deploy.md gives, in the same form.
    _run(str(bin_ / "pg_dump"), *where, "-Fc", "-f", str(dump), source["dbname"], env=env)
    _run(str(bin_ / "dropdb"), *where, "--if-exists", restored["dbname"], env=env)
    _run(str(bin_ / "createdb"), *where, restored["dbname"], env=env)
    try:
        _run(
            str(bin_ / "pg_restore"), *where, "--no-owner", "--exit-on-error", "-d", restored["dbname"],
            str(dump), env=env,
        )
        before, after = fingerprint(source), fingerprint(restored)
    finally:
        _run(str(bin_ / "dropdb"), *where, "--if-exists", restored["dbname"], env=env)

    tables = {key: value for key, value in before.items() if key.startswith("table ")}
    assert len(tables) > 40, "every app's tables are there"
    assert before["table workforce_post"][0] > 250, "the demonstration county was loaded"
    assert before["table leavers_leaver"][0] > 100
    assert before["table workforce_historicalassignment"][0] > 0, "the change history is backed up too"
    assert before["triggers"], "the database's own triggers (the establishment's write counters)"
    assert after == before
