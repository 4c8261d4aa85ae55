"""The keyset cursor the record timelines page with (the dashboard's diary timeline, the full history).

A page is ordered by (time, kind, id) descending, so records sharing a timestamp are neither lost nor
repeated across pages; the cursor names the last item shown as "time|kind|id".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Container
from typing import Any

from django.db import connection
from django.db.models import Q, UUIDField

Cursor = tuple[dt.datetime, str, uuid.UUID]


def cursor_of(at: dt.datetime, kind: str, key: uuid.UUID) -> str:
    return f"{at.astimezone(dt.UTC).isoformat()}|{kind}|{key.hex}"


def parse_cursor(cursor: str | None, kinds: Container[str]) -> Cursor | None:
    """The cursor's parts, or None (the first page) for a missing or malformed one or an unknown kind."""
    if not cursor:
        return None
    try:
        moment, kind, key = cursor.split("|")
        when = dt.datetime.fromisoformat(moment)
        return (when, kind, uuid.UUID(key)) if when.tzinfo and kind in kinds else None
    except ValueError:
        return None


def _ties(after: Cursor, kind: str) -> str:
    """Which rows of `kind` at the cursor's very time come after it: "id" (the cursor's own kind: smaller
    ids), "all" (kinds ordered before the cursor's, which descending order shows later) or "none"."""
    at_kind = after[1]
    if kind == at_kind:
        return "id"
    return "all" if kind < at_kind else "none"


def older_than(after: Cursor, kind: str, time_field: str) -> Q:
    """Rows of `kind` that come after the cursor in the descending (time, kind, id) order."""
    when, _, key = after
    older = Q(**{f"{time_field}__lt": when})
    ties = _ties(after, kind)
    if ties == "id":
        older |= Q(**{time_field: when, "id__lt": key})
    elif ties == "all":
        older |= Q(**{time_field: when})
    return older


def older_than_sql(after: Cursor, kind: str, alias: str) -> tuple[str, list[Any]]:
    """older_than as SQL on `alias`.occurred_at and `alias`.id, with its parameters (for hand-written reads)."""
    when, _, key = after
    at = connection.ops.adapt_datetimefield_value(when)
    ties = _ties(after, kind)
    if ties == "id":
        key_param = UUIDField().get_db_prep_value(key, connection)
        return f"({alias}.occurred_at < %s OR ({alias}.occurred_at = %s AND {alias}.id < %s))", [at, at, key_param]
    return f"{alias}.occurred_at {'<=' if ties == 'all' else '<'} %s", [at]
