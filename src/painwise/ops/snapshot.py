"""Row counts and a content checksum per table: how a backup proves it holds what the database held."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

SKIP_TABLES = {"django_session"}  # sessions churn and are not worth restoring or comparing


def table_fingerprint(cursor: Any, table: str, quote: str = '"') -> tuple[int, str]:
    cursor.execute(f"SELECT * FROM {quote}{table}{quote}")  # noqa: S608 - table names come from introspection
    rows = cursor.fetchall()
    # Sort in Python so both sides order identically whatever the collation.
    digest = hashlib.sha256()
    for row in sorted(repr(tuple(row)) for row in rows):
        digest.update(row.encode())
        digest.update(b"\n")
    return len(rows), digest.hexdigest()


def fingerprint(cursor: Any, tables: Iterable[str]) -> dict[str, tuple[int, str]]:
    return {table: table_fingerprint(cursor, table) for table in sorted(tables) if table not in SKIP_TABLES}


def differences(expected: dict[str, tuple[int, str]], actual: dict[str, tuple[int, str]]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"{table}: missing from the backup")
        elif table not in expected:
            problems.append(f"{table}: not in the database")
        elif expected[table][0] != actual[table][0]:
            problems.append(f"{table}: {expected[table][0]} rows in the database, {actual[table][0]} in the backup")
        elif expected[table][1] != actual[table][1]:
            problems.append(f"{table}: same row count but different content")
    return problems
