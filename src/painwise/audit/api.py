from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from painwise.api_common import ERRORS, PageQuery, caller, paginate
from painwise.audit.models import AuditEvent
from painwise.audit.selectors import events_about_me, events_search, hide_patient_ids, iter_hiding_patient_ids

router = Router(tags=["audit"])
PREFIX = ""

CSV_COLUMNS = ("at", "actor_id", "actor_username", "actor_role", "action", "patient_key", "object_type",
               "object_id", "ip", "request_id", "channel")  # fmt: skip


class AuditOut(Schema):
    at: dt.datetime
    actor: str = Field(..., description="role and name of who acted ('you' for the patient)")
    action: str
    object_type: str
    object_id: str


class AdminAuditOut(Schema):
    at: dt.datetime
    actor_id: uuid.UUID | None
    actor_username: str
    actor_role: str
    action: str
    patient_key: uuid.UUID | None
    object_type: str
    object_id: str
    ip: str | None
    request_id: str
    channel: str


class AuditFilters(PageQuery):
    actor: str | None = Field(None, max_length=150)
    action: str | None = Field(None, max_length=32)
    patient_key: uuid.UUID | None = None


def _described(event: AuditEvent, me: Any) -> dict[str, Any]:
    if event.actor_id == me.id:
        who = "you"
    elif event.actor_role:
        who = f"{event.actor_role} {event.actor_username}".strip()
    else:
        who = "system"
    return {"at": event.at, "actor": who, "action": event.action, "object_type": event.object_type,
            "object_id": event.object_id}  # fmt: skip


@router.get("/me/audit", response={200: dict[str, Any], **ERRORS}, url_name="me_audit")
def my_audit(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:  # type: ignore[type-arg]
    """Who viewed or changed my data, newest first."""
    user = caller(request)
    events = events_about_me(user)
    if query.date_from:
        events = events.filter(at__date__gte=query.date_from)
    if query.date_to:
        events = events.filter(at__date__lte=query.date_to)
    return paginate(events, query, lambda e: _described(e, user))


def _admin_row(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in CSV_COLUMNS}


def _search(request: HttpRequest, query: AuditFilters) -> Any:
    return events_search(
        caller(request),
        actor=query.actor,
        action=query.action,
        patient_key=str(query.patient_key) if query.patient_key else None,
        date_from=query.date_from,
        date_to=query.date_to,
    )


@router.get("/admin/audit", response={200: dict[str, Any], **ERRORS}, url_name="admin_audit")
def admin_audit(request: HttpRequest, query: Query[AuditFilters]) -> dict[str, Any]:  # type: ignore[type-arg]
    """Admins search the whole trail (filters: actor, action, patient_key, from, to)."""
    page = paginate(_search(request, query), query, lambda event: event)
    page["items"] = [_admin_row(event) for event in hide_patient_ids(page["items"])]
    return page


@router.get("/admin/audit.csv", response={200: str, **ERRORS}, url_name="admin_audit_csv")
def admin_audit_csv(request: HttpRequest, query: Query[AuditFilters]) -> HttpResponse:  # type: ignore[type-arg]
    """The same search as CSV (all matching rows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for event in iter_hiding_patient_ids(_search(request, query)):
        writer.writerow(["" if v is None else v for v in _admin_row(event).values()])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="painwise-audit.csv"'
    return response
