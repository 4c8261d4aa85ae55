"""The keyset cursor the record timelines page with (the dashboard's diary timeline, the full history).

A page is ordered by (time, kind, id) descending, so records sharing a timestamp are neither lost nor
repeated across pages; the cursor names the last item shown as "time|kind|id".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Container

from django.db.models import Q

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


def older_than(after: Cursor, kind: str, time_field: str) -> Q:
    """Rows of `kind` that come after the cursor in the descending (time, kind, id) order."""
    when, at_kind, key = after
    older = Q(**{f"{time_field}__lt": when})
    if kind == at_kind:
        older |= Q(**{time_field: when, "id__lt": key})
    elif kind < at_kind:
        older |= Q(**{time_field: when})
    return older
