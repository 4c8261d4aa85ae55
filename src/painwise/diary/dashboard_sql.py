"""The dashboard's two hottest reads as one hand-written statement each: chart rows and a timeline page.

Why not the ORM here: these statements have a fixed shape, and for the windows patients open most
Django spent longer building them than the database spent answering. On the 90-day dashboard the
seven querysets they replace (three aggregates, four timeline slices) took ~9 ms of CPU, of which
SQLite took ~1 ms; the two statements below take ~2 ms (bench/run.py's patient). Only table names
from model metadata and constants are formatted in; every value is a query parameter.

Both read only live records of one patient, as the ORM versions did; tests/web/test_dashboard_sql.py
checks each against an ORM reading on SQLite and on PostgreSQL. Everything else stays on the ORM.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection

from painwise.core.vocabularies import DOSE_TAKEN, SessionStatus
from painwise.diary.keyset import Cursor, older_than_sql
from painwise.diary.models import DoseEvent, PainEntry, SideEffect, TherapySession
from painwise.treatment.models import Therapy

# --- chart rows ----------------------------------------------------------------------------------

# (model, extra integer column, statuses that count) for pain entries, dose ticks and sessions done.
_CHART_SOURCES: tuple[tuple[Any, str | None, tuple[str, ...]], ...] = (
    (PainEntry, "nrs", ()),
    (DoseEvent, None, tuple(status.value for status in DOSE_TAKEN)),
    (TherapySession, None, (SessionStatus.DONE.value,)),
)
# Each row crosses as fixed-width text: the UTC time to the second ('YYYY-MM-DD HH:MM:SS', the first
# 19 characters SQLite stores) and the integer column zero-padded to 5 digits (a smallint). numpy
# parses the whole text at once; SQLite's own date parsing per row cost more than the read itself.
STAMP, NUMBER = 19, 5


def _row_text(column: str | None) -> str:
    if connection.vendor == "postgresql":
        stamp = "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"  # seconds truncated
        return stamp + (f" || lpad(CAST({column} AS TEXT), {NUMBER}, '0')" if column else "")
    # %% is a literal % once Django has put in the parameters.
    if column:
        return f"printf('%%-{STAMP}.{STAMP}s%%0{NUMBER}d', occurred_at, {column})"
    return f"printf('%%-{STAMP}.{STAMP}s', occurred_at)"


def _joined(expression: str) -> str:
    """Every row's text in one value, no separator: one value crosses instead of a tuple per row."""
    if connection.vendor == "postgresql":
        return f"STRING_AGG({expression}, '')"
    return f"GROUP_CONCAT({expression}, '')"


def _uuid_param(value: uuid.UUID) -> Any:
    return PainEntry._meta.pk.get_db_prep_value(value, connection)  # type: ignore[union-attr]


def chart_rows(patient_id: uuid.UUID, since: dt.datetime | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(epoch seconds, NRS) of pain entries, and epoch seconds of dose ticks and of sessions done.

    One statement: three aggregates joined by UNION ALL, each parsed by numpy into an int64 array.
    Seconds are whole and floored (the fraction is cut, never rounded, so no time moves to the next day).
    """
    parts, params = [], []
    for tag, (model, column, statuses) in enumerate(_CHART_SOURCES):
        where = "patient_id = %s AND deleted_at IS NULL"
        params.append(_uuid_param(patient_id))
        if since is not None:
            where += " AND occurred_at >= %s"
            params.append(connection.ops.adapt_datetimefield_value(since))
        if statuses:
            where += f" AND status IN ({', '.join(['%s'] * len(statuses))})"
            params += statuses
        table = model._meta.db_table
        parts.append(f"SELECT {tag} AS source, {_joined(_row_text(column))} AS rows FROM {table} WHERE {where}")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        texts = dict(cursor.fetchall())
    pain, doses, sessions = (
        fixed_width_rows(texts.get(tag), with_number=column is not None)
        for tag, (_, column, _) in enumerate(_CHART_SOURCES)
    )
    return pain, doses, sessions


def fixed_width_rows(text: str | None, *, with_number: bool) -> np.ndarray:
    """The joined row texts as an int64 array: epoch seconds (and the number) per row."""
    width = STAMP + (NUMBER if with_number else 0)
    if not text:
        return np.empty((0, 1 + with_number), dtype=np.int64)
    if len(text) % width:
        raise ValueError(f"chart rows are not {width} characters each ({len(text)} in all)")
    fields = [("stamp", f"S{STAMP}")] + ([("number", f"S{NUMBER}")] if with_number else [])
    rows = np.frombuffer(text.encode("ascii"), dtype=fields)
    seconds = rows["stamp"].astype("datetime64[s]").astype(np.int64)
    if not with_number:
        return seconds.reshape(-1, 1)
    return np.column_stack((seconds, rows["number"].astype(np.int64)))


# --- a timeline page -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


# Per kind: its model and up to four columns, each (name the describer reads, SQL giving text, parser).
# Text in every branch keeps the UNION's column types the same on PostgreSQL.
Column = tuple[str, str, Callable[[Any], Any]]
TIMELINE_SOURCES: dict[str, tuple[Any, tuple[Column, ...]]] = {
    "pain_entries": (PainEntry, (
        ("body_site", "t.body_site", _text), ("nrs", "CAST(t.nrs AS TEXT)", int), ("note", "t.note", _text),
    )),
    "dose_events": (DoseEvent, (
        ("amount", "CAST(t.amount AS TEXT)", Decimal), ("unit", "t.unit", _text), ("status", "t.status", _text),
        ("product__name", "p.name", _text),
    )),
    "therapy_sessions": (TherapySession, (
        ("minutes", "CAST(t.minutes AS TEXT)", _optional_int),
        ("home_practice", "CASE WHEN t.home_practice THEN '1' ELSE '0' END", lambda v: v == "1"),
        ("modality", "t.modality", _text), ("status", "t.status", _text),
    )),
    "side_effects": (SideEffect, (
        ("ctcae_grade", "CAST(t.ctcae_grade AS TEXT)", _optional_int), ("severity", "t.severity", _text),
        ("free_text", "t.free_text", _text), ("kind", "t.kind", _text),
    )),
}  # fmt: skip
WIDTH = 4
# The page order is (time, kind, id) descending with kinds compared as Python strings; a number per
# kind keeps the database's collation out of it.
KIND_RANK = {kind: rank for rank, kind in enumerate(sorted(TIMELINE_SOURCES))}


def timeline_rows(
    patient_id: uuid.UUID, after: Cursor | None, limit: int
) -> list[tuple[str, uuid.UUID, dt.datetime, dict[str, Any]]]:
    """The next `limit` live records of every timeline kind after the cursor, in page order.

    Each row is (kind, id, occurred_at in UTC, the kind's columns by name). Each branch takes at most
    `limit` rows through the (patient, time) index before the union is ordered.
    """
    branches, params = [], []
    for kind, (model, columns) in TIMELINE_SOURCES.items():
        values = [sql for _, sql, _ in columns] + ["NULL"] * (WIDTH - len(columns))
        join = f" JOIN {Therapy._meta.db_table} p ON p.id = t.product_id" if model is DoseEvent else ""
        cursor_sql, cursor_params = ("", []) if after is None else older_than_sql(after, kind, "t")
        selected = ", ".join(f"{v} AS c{i}" for i, v in enumerate(values))
        rank, table = KIND_RANK[kind], model._meta.db_table
        where = "t.patient_id = %s AND t.deleted_at IS NULL" + (f" AND {cursor_sql}" if cursor_sql else "")
        newest = "ORDER BY t.occurred_at DESC, t.id DESC LIMIT %s"
        columns_sql = f"{rank} AS rank, t.id AS id, t.occurred_at AS occurred_at, {selected}"
        branch = f"SELECT {columns_sql} FROM {table} t{join}"  # noqa: S608
        branches.append(f"SELECT * FROM ({branch} WHERE {where} {newest}) AS k{rank}")  # noqa: S608
        params += [_uuid_param(patient_id), *cursor_params, limit]
    sql = " UNION ALL ".join(branches) + " ORDER BY occurred_at DESC, rank DESC, id DESC LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [_parsed(row) for row in cursor.fetchall()]


KIND_OF_RANK = {rank: kind for kind, rank in KIND_RANK.items()}


def _parsed(row: Sequence[Any]) -> tuple[str, uuid.UUID, dt.datetime, dict[str, Any]]:
    rank, key, occurred_at, *texts = row
    kind = KIND_OF_RANK[rank]
    columns = TIMELINE_SOURCES[kind][1]
    fields = {name: parse(texts[i]) for i, (name, _, parse) in enumerate(columns)}
    return kind, _as_uuid(key), _as_utc(occurred_at), fields


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)


def _as_utc(value: Any) -> dt.datetime:
    """PostgreSQL gives an aware datetime; SQLite the stored UTC text ('YYYY-MM-DD HH:MM:SS[.ffffff]')."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
