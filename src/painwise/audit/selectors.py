"""Reads of the audit trail: a patient's "who viewed or changed my data", and the admin search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
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


def hide_patient_ids(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events with `object_id` blanked wherever it is the id of the patient the event is about.

    Audit rows name the patient only by the pseudonymous `patient_key`; some events (reads, exports,
    imports, account creation) also carry the patient's own id as their object, which would undo the
    pseudonym in any view that shows both. Views of the whole trail pass events through here (one
    query per batch); the rows themselves are append-only and stay as written."""
    from painwise.patients.models import Patient

    batch = list(events)
    keys = {e.patient_key for e in batch if e.patient_key and e.object_id}
    if not keys:
        return batch
    patient_ids = {str(pk) for pk in Patient.objects.filter(audit_key__in=keys).values_list("id", flat=True)}
    for event in batch:
        if event.patient_key and (event.object_type == "patient" or event.object_id in patient_ids):
            event.object_id = ""
    return batch


def iter_hiding_patient_ids(events: QuerySet[AuditEvent], chunk: int = 1000) -> Iterator[AuditEvent]:
    """hide_patient_ids over a whole queryset (the CSV downloads), a chunk at a time."""
    rows = events.iterator(chunk_size=chunk)
    while batch := list(islice(rows, chunk)):
        yield from hide_patient_ids(batch)
