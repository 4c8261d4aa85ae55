"""/api/v1/flags: the caller's own flags and acknowledging them (recipient only, others get 404)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from painwise.api_common import ERRORS, MAX_PAGE_SIZE, caller
from painwise.monitoring.selectors import flag_for, flags_for, flags_page, serialise_flag
from painwise.monitoring.services import flag_acknowledge

PREFIX = "/flags"  # mounted at /api/v1/flags by painwise.api

router = Router(tags=["flags"])


class FlagOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    recipient_id: uuid.UUID | None
    rule_id: str
    severity: str = Field(..., description="urgent, high or routine")
    title: str
    evidence: str
    consider: str
    source_type: str
    source_id: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: uuid.UUID | None


class FlagPage(Schema):
    items: list[FlagOut]
    count: int
    page: int
    page_size: int
    next_page: int | None


class FlagQuery(Schema):
    include_acknowledged: bool = Field(False, description="also list flags already acknowledged")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


@router.get("", response={200: FlagPage, **ERRORS}, url_name="flags_list", operation_id="flags_list")
def list_flags(request: HttpRequest, query: Query[FlagQuery]) -> dict[str, Any]:  # type: ignore[type-arg]
    """The caller's flags, unacknowledged only unless asked, urgent first then newest first."""
    flags = flags_for(caller(request), open_only=not query.include_acknowledged)
    count = flags.count()
    start = (query.page - 1) * query.page_size
    page = flags_page(caller(request), flags, start, start + query.page_size)
    return {
        "items": [serialise_flag(flag) for flag in page],
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next_page": query.page + 1 if start + query.page_size < count else None,
    }


@router.post(
    "/{flag_id}/acknowledge",
    response={200: FlagOut, **ERRORS},
    url_name="flag_acknowledge",
    operation_id="flag_acknowledge",
)
def acknowledge_flag(request: HttpRequest, flag_id: str) -> dict[str, Any]:
    """Mark one of your flags as seen. Idempotent; a flag addressed to someone else answers 404."""
    flag = flag_acknowledge(actor=caller(request), flag=flag_for(caller(request), flag_id))
    return serialise_flag(flag)
