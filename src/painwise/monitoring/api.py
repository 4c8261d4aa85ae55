"""/api/v1/flags: the caller's flags and their lifecycle (recipient only; others get 404)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from painwise.accounts.auth import BearerAuth
from painwise.accounts.models import User
from painwise.api_common import ERRORS, MAX_PAGE_SIZE, caller
from painwise.monitoring.models import Status
from painwise.monitoring.selectors import flag_for, flag_read, flags_for, flags_page, serialise_flag
from painwise.monitoring.services import flag_acknowledge, flag_close

PREFIX = "/flags"  # mounted at /api/v1/flags by painwise.api

router = Router(tags=["flags"])


class FlagAccess(BearerAuth):
    """Bearer auth that refuses a flag the caller may not handle before the body is read (404)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = super().authenticate(request, token)
        match = request.resolver_match
        flag_id = match.kwargs.get("flag_id") if match else None
        if user is not None and flag_id is not None:
            flag_for(user, flag_id)  # NotFound for anyone but the recipient
        return user


class FlagOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    recipient_id: uuid.UUID | None
    rule_id: str
    severity: str = Field(..., description="urgent, high or routine")
    status: str = Field(..., description="open, acknowledged, resolved or dismissed")
    title: str
    subject: str = Field(..., description="what the flag is about within the patient (an analyte, a class, …)")
    rationale: str = Field(..., description="what was observed")
    evidence: str = Field(..., description="short citations; full references in docs/evidence.md")
    consider: str
    data: dict[str, Any] = Field(..., description="the values that triggered the flag")
    finding_date: dt.date | None
    source_type: str
    source_id: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: uuid.UUID | None
    closed_at: dt.datetime | None
    closed_by: uuid.UUID | None
    close_reason: str
    last_seen_at: dt.datetime | None
    cleared_at: dt.datetime | None = Field(None, description="set when an evaluation no longer found it")
    notified_at: dt.datetime | None


class FlagPage(Schema):
    items: list[FlagOut]
    count: int
    page: int
    page_size: int
    next_page: int | None


class FlagQuery(Schema):
    include_acknowledged: bool = Field(False, description="every status, not only open flags")
    status: Literal["open", "acknowledged", "active", "resolved", "dismissed", "all"] | None = None
    rule: str | None = Field(None, max_length=64, description="a rule id, e.g. liver.hys_law")
    severity: Literal["urgent", "high", "routine"] | None = None
    patient: uuid.UUID | None = Field(None, description="a patient id (UUID)")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


class CloseIn(Schema):
    reason: str | None = Field(None, max_length=1000, description="required to dismiss")


@router.get("", response={200: FlagPage, **ERRORS}, url_name="flags_list", operation_id="flags_list")
def list_flags(request: HttpRequest, query: Query[FlagQuery]) -> dict[str, Any]:  # type: ignore[type-arg]
    """The caller's flags, urgent first then newest first: open only unless a status is asked for."""
    flags = flags_for(
        caller(request),
        open_only=not query.include_acknowledged,
        status=query.status,
        rule=query.rule,
        severity=query.severity,
        patient_id=query.patient,
    )
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


@router.get("/{flag_id}", response={200: FlagOut, **ERRORS}, url_name="flag_detail", operation_id="flag_detail")
def get_flag(request: HttpRequest, flag_id: str) -> dict[str, Any]:
    """One of your flags, whatever its status."""
    return serialise_flag(flag_read(caller(request), flag_id))


@router.post(
    "/{flag_id}/acknowledge",
    response={200: FlagOut, **ERRORS},
    url_name="flag_acknowledge",
    operation_id="flag_acknowledge",
)
def acknowledge_flag(request: HttpRequest, flag_id: str) -> dict[str, Any]:
    """Mark one of your flags as seen (open → acknowledged). Idempotent; someone else's flag answers 404."""
    flag = flag_acknowledge(actor=caller(request), flag=flag_for(caller(request), flag_id))
    return serialise_flag(flag)


@router.post(
    "/{flag_id}/resolve",
    response={200: FlagOut, **ERRORS},
    url_name="flag_resolve",
    operation_id="flag_resolve",
    auth=FlagAccess(),
)
def resolve_flag(request: HttpRequest, flag_id: str, body: CloseIn | None = None) -> dict[str, Any]:
    """Close one of your flags as resolved (reason optional). A recurrence opens a new flag."""
    flag = flag_for(caller(request), flag_id)
    reason = body.reason if body is not None else None
    return serialise_flag(flag_close(actor=caller(request), flag=flag, status=Status.RESOLVED, reason=reason))


@router.post(
    "/{flag_id}/dismiss",
    response={200: FlagOut, **ERRORS},
    url_name="flag_dismiss",
    operation_id="flag_dismiss",
    auth=FlagAccess(),
)
def dismiss_flag(request: HttpRequest, flag_id: str, body: CloseIn) -> dict[str, Any]:
    """Close one of your flags as dismissed; a reason is required (422 without one)."""
    flag = flag_for(caller(request), flag_id)
    return serialise_flag(flag_close(actor=caller(request), flag=flag, status=Status.DISMISSED, reason=body.reason))
