"""Flag reads: a user only ever sees the flags addressed to them, about patients they may still see."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from painwise.core.errors import NotFound
from painwise.monitoring.models import SEVERITY_RANK, Flag
from painwise.patients.access import active_grants, readable_among


def flags_for(user: Any, *, open_only: bool = True) -> QuerySet[Flag]:
    """The user's flags, urgent first, then newest first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Flag.objects.none()
    rank = Case(
        *(When(severity=severity, then=Value(order)) for severity, order in SEVERITY_RANK.items()),
        default=Value(len(SEVERITY_RANK)),
        output_field=IntegerField(),
    )
    # Only while the patient's grant to this clinician is active: a flag names the patient and what
    # they reported, so it must stop being readable the moment access ends (expiry or revocation).
    granted = active_grants().filter(grantee=user).values("patient_id")
    flags = Flag.objects.filter(recipient=user, patient_id__in=granted).select_related(
        "patient__user", "acknowledged_by"
    )
    if open_only:
        flags = flags.filter(acknowledged_at__isnull=True)
    return flags.annotate(severity_rank=rank).order_by("severity_rank", "-created_at", "id")


def flag_for(user: Any, flag_id: uuid.UUID | str) -> Flag:
    try:
        key = uuid.UUID(str(flag_id))
    except ValueError as exc:
        raise NotFound("flag") from exc
    flag = flags_for(user, open_only=False).filter(id=key).first()
    if flag is None:
        raise NotFound("flag")
    return flag


def flags_page(user: Any, flags: QuerySet[Flag], start: int, stop: int) -> list[Flag]:
    """One page of `flags`, cleared by the access policy ("flags" scope), which audits each patient's
    read: a flag names a patient and what they reported, so reading it is a read of their record."""
    page = list(flags[start:stop])
    patients = {flag.patient_id: flag.patient for flag in page}.values()
    cleared = {p.id for p in readable_among(user, patients, "flags", view="flags")}
    return [flag for flag in page if flag.patient_id in cleared]


def serialise_flag(flag: Flag) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": str(flag.id),
        "patient_id": str(flag.patient_id),
        "recipient_id": str(flag.recipient_id) if flag.recipient_id else None,
        "rule_id": flag.rule_id,
        "severity": flag.severity,
        "title": flag.title,
        "evidence": flag.evidence,
        "consider": flag.consider,
        "source_type": flag.source_type,
        "source_id": flag.source_id,
        "created_at": when(flag.created_at),
        "acknowledged_at": when(flag.acknowledged_at),
        "acknowledged_by": str(flag.acknowledged_by_id) if flag.acknowledged_by_id else None,
    }
