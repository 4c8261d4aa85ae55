"""The one audit path: every write and every read of a patient's records by someone else calls this."""

from __future__ import annotations

import uuid
from typing import Any

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
