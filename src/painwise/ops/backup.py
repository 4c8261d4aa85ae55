"""Online, verified backups and restores (SQLite backup API; pg_dump/pg_restore for PostgreSQL).

A backup is verified after writing by reopening it and comparing the row count and a content
checksum of every table with the database as it was when the backup was taken.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from painwise.core.errors import DomainError
from painwise.ops.snapshot import differences, fingerprint

DJANGO_SQLITE_TYPES = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES


@dataclass(frozen=True)
class BackupReport:
    path: Path
    engine: str
    tables: dict[str, tuple[int, str]]

    @property
    def rows(self) -> int:
        return sum(count for count, _ in self.tables.values())


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise DomainError("backup.exists", f"{path} exists already; choose a new file", "FILE")


def backup(path: Path) -> BackupReport:
    _refuse_existing(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _backup_sqlite(path) if _engine() == "sqlite" else _backup_postgres(path)
    except Exception:
        if path.exists():
            path.unlink()
        raise


def _backup_sqlite(path: Path) -> BackupReport:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    # A read transaction on a connection of its own: Django's connections open IMMEDIATE (write)
    # transactions (settings.py), and SQLite's backup refuses to copy from a connection that holds the
    # write lock. Fingerprint and copy both read this transaction's snapshot (WAL), so they see the
    # same database while writers go on committing.
    source = sqlite3.connect(connection.settings_dict["NAME"], detect_types=DJANGO_SQLITE_TYPES, isolation_level=None)
    try:
        source.execute("BEGIN DEFERRED")
        expected = fingerprint(source.cursor(), tables)
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
        source.execute("COMMIT")
    finally:
        source.close()
    # Django registers its type converters globally; decode the copy the way the live side was read.
    verify = sqlite3.connect(f"file:{path}?mode=ro", uri=True, detect_types=DJANGO_SQLITE_TYPES)
    try:
        actual = fingerprint(verify.cursor(), [t for t in expected])
    finally:
        verify.close()
    _check(expected, actual, path)
    return BackupReport(path, "sqlite", expected)


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = {**os.environ, "PGHOST": settings.get("HOST") or "", "PGPORT": str(settings.get("PORT") or "")}
    env["PGUSER"] = settings.get("USER") or ""
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise DomainError(
            "backup.missing_tool", f"{name} is not installed (Debian package postgresql-client)", None, status=500
        )
    return tool


def _backup_postgres(path: Path) -> BackupReport:
    import psycopg

    settings = connection.settings_dict
    conninfo = {k: v for k, v in _pg_env().items() if k.startswith("PG")}
    with psycopg.connect(dbname=settings["NAME"], host=conninfo["PGHOST"] or None, port=conninfo["PGPORT"] or None,
                         user=conninfo["PGUSER"] or None, password=conninfo.get("PGPASSWORD")) as source:  # fmt: skip
        source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_id = source.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        tables = [r[0] for r in source.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        expected = fingerprint(source.cursor(), tables)
        # pg_dump reads the very snapshot we fingerprinted.
        subprocess.run(  # noqa: S603
            [_pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", "--no-owner", "-f", str(path),
             settings["NAME"]],
            env=_pg_env(), check=True, capture_output=True,
        )  # fmt: skip
        source.execute("COMMIT")
    scratch = f"painwise_verify_{uuid.uuid4().hex[:12]}"
    actual = _restore_into_scratch(path, scratch, tables)
    _check(expected, actual, path)
    return BackupReport(path, "postgresql", expected)


def _admin_connection() -> Any:
    import psycopg

    env = _pg_env()
    return psycopg.connect(
        dbname="postgres",
        host=env["PGHOST"] or None,
        port=env["PGPORT"] or None,
        user=env["PGUSER"] or None,
        password=env.get("PGPASSWORD"),
        autocommit=True,
    )


def _restore_into_scratch(path: Path, scratch: str, tables: list[str]) -> dict[str, tuple[int, str]]:
    import psycopg

    with _admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(  # noqa: S603
            [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", scratch, str(path)],
            env=_pg_env(), check=True, capture_output=True,
        )  # fmt: skip
        env = _pg_env()
        with psycopg.connect(dbname=scratch, host=env["PGHOST"] or None, port=env["PGPORT"] or None,
                             user=env["PGUSER"] or None, password=env.get("PGPASSWORD")) as check:  # fmt: skip
            return fingerprint(check.cursor(), tables)
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def _check(expected: dict[str, tuple[int, str]], actual: dict[str, tuple[int, str]], path: Path) -> None:
    problems = differences(expected, actual)
    if problems:
        path.unlink(missing_ok=True)
        raise DomainError("backup.verify_failed", "backup did not verify: " + "; ".join(problems[:5]), None, 500)


def restore(path: Path) -> BackupReport:
    """Restore a backup into the configured database, which must be empty (no tables)."""
    if not path.is_file():
        raise DomainError("restore.missing", f"{path} does not exist", "FILE")
    with connection.cursor() as cursor:
        existing = [t for t in connection.introspection.table_names(cursor)]
    if existing:
        raise DomainError(
            "restore.not_empty",
            f"the target database is not empty ({len(existing)} tables); restore needs an empty one",
            None,
        )
    if _engine() == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, detect_types=DJANGO_SQLITE_TYPES)
        try:
            source.backup(connection.connection)  # type: ignore[arg-type]
            names = source.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            tables = fingerprint(source.cursor(), [row[0] for row in names])
        finally:
            source.close()
        return BackupReport(path, "sqlite", tables)
    subprocess.run(  # noqa: S603
        [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "-d", connection.settings_dict["NAME"], str(path)],
        env=_pg_env(), check=True, capture_output=True,
    )  # fmt: skip
    connection.close()
    with connection.cursor() as cursor:
        return BackupReport(path, "postgresql", fingerprint(cursor, connection.introspection.table_names(cursor)))
