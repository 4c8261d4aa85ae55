"""Reads of the audit trail: a patient's "who viewed or changed my data", and the admin search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from painwise.accounts.models import Role
from painwise.audit.models import AuditEvent
from painwise.core.errors import NotFound


def events_about_me(user: Any) -> QuerySet[AuditEvent]:
    patient = getattr(user, "patient", None)
    if patient is None:
        raise NotFound("patient")
    return AuditEvent.objects.filter(patient_key=patient.audit_key).order_by("-at")


def events_search(
    user: Any,
    *,
    actor: str | None = None,
    action: str | None = None,
    patient_key: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    if getattr(user, "role", None) != Role.ADMIN:
        raise NotFound("audit trail")
    events = AuditEvent.objects.all()
    if actor:
        events = events.filter(actor_username=actor)
    if action:
        events = events.filter(action=action)
    if patient_key:
        events = events.filter(patient_key=patient_key)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.order_by("-at")
