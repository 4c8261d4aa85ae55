"""The one audit path: every write and every read of a patient's records by someone else calls this."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from painwise.audit.context import current
from painwise.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    patient_key: uuid.UUID | None,
    object_type: str = "",
    object_id: object = "",
    detail: dict[str, object] | None = None,
) -> AuditEvent:
    ctx = current.get()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor_id=actor.id if is_user else None,
        # Patients appear only by their account id, which means nothing once the account is erased.
        actor_username=actor.username if is_user and getattr(actor, "role", "") != "patient" else "",
        actor_role=getattr(actor, "role", "") if is_user else "",
        action=action,
        patient_key=patient_key,
        object_type=object_type,
        object_id=str(object_id) if object_id else "",
        ip=ctx.ip,
        request_id=ctx.request_id or "",
        channel=ctx.channel,
        detail=detail or {},
    )


def soft_delete(*, actor: Any, patient_key: uuid.UUID, record: Any, object_type: str) -> None:
    """Clinical records are never removed on request: they are hidden (`deleted_at`) and the deletion is
    audited, so one mechanism serves the diary, the plan and labs alike (DESIGN.md data rules).
    Call inside the caller's transaction, with the record locked."""
    record.deleted_at = timezone.now()
    record.save(update_fields=["deleted_at"])
    audit_record(actor=actor, action="delete", patient_key=patient_key, object_type=object_type, object_id=record.pk)


def audit_update(*, actor: Any, patient_key: uuid.UUID, record: Any, object_type: str, fields: Iterable[str]) -> None:
    """An update of a clinical record is audited with the names (never the values) of the fields sent."""
    audit_record(
        actor=actor,
        action="update",
        patient_key=patient_key,
        object_type=object_type,
        object_id=record.pk,
        detail={"fields": sorted(fields)},
    )
