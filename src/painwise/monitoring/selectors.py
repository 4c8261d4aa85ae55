"""Flag reads: a user only ever sees the flags addressed to them, about patients they may still see."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from painwise.core.errors import DomainError, NotFound
from painwise.monitoring.models import ACTIVE, SEVERITY_RANK, Flag, Severity, Status
from painwise.patients.access import active_grants, readable_among

STATUS_FILTERS = {
    "open": (Status.OPEN,),
    "acknowledged": (Status.ACKNOWLEDGED,),
    "active": ACTIVE,
    "resolved": (Status.RESOLVED,),
    "dismissed": (Status.DISMISSED,),
    "all": tuple(Status),
}


def flags_for(
    user: Any,
    *,
    open_only: bool = True,
    status: str | None = None,
    rule: str | None = None,
    severity: str | None = None,
    patient_id: uuid.UUID | str | None = None,
) -> QuerySet[Flag]:
    """The user's flags, urgent first, then newest first. ``status`` (open, acknowledged, active,
    resolved, dismissed, all) wins over ``open_only`` (open flags only, else every status)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Flag.objects.none()
    rank = Case(
        *(When(severity=level, then=Value(order)) for level, order in SEVERITY_RANK.items()),
        default=Value(len(SEVERITY_RANK)),
        output_field=IntegerField(),
    )
    # Only while the patient's grant to this clinician is active: a flag names the patient and what
    # they reported, so it must stop being readable the moment access ends (expiry or revocation).
    granted = active_grants().filter(grantee=user).values("patient_id")
    flags = Flag.objects.filter(recipient=user, patient_id__in=granted).select_related(
        "patient__user", "acknowledged_by", "closed_by"
    )
    if status is not None:
        if status not in STATUS_FILTERS:
            raise DomainError(
                "monitoring.invalid_status", f"status must be one of {', '.join(STATUS_FILTERS)}", "status"
            )
        flags = flags.filter(status__in=STATUS_FILTERS[status])
    elif open_only:
        flags = flags.filter(status=Status.OPEN)
    if rule:
        flags = flags.filter(rule_id=rule)
    if severity:
        if severity not in Severity.values:
            raise DomainError("monitoring.invalid_severity", "severity must be urgent, high or routine", "severity")
        flags = flags.filter(severity=severity)
    if patient_id:
        try:
            flags = flags.filter(patient_id=uuid.UUID(str(patient_id)))
        except ValueError as exc:
            raise DomainError("monitoring.invalid_patient", "patient must be a patient id (UUID)", "patient") from exc
    return flags.annotate(severity_rank=rank).order_by("severity_rank", "-created_at", "id")


def flag_for(user: Any, flag_id: uuid.UUID | str) -> Flag:
    try:
        key = uuid.UUID(str(flag_id))
    except ValueError as exc:
        raise NotFound("flag") from exc
    flag = flags_for(user, status="all").filter(id=key).first()
    if flag is None:
        raise NotFound("flag")
    return flag


def active_counts(user: Any) -> dict[str, int]:
    """Open and acknowledged flags of the user by severity, for the badge and the Worklist tab
    (counts only: no patient data, no read to audit)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "clinician":
        return {}
    rows = flags_for(user, status="active").order_by().values("severity", "status").annotate(n=Count("id"))
    counts = {"total": 0, "urgent": 0, "high": 0, "routine": 0, "open_urgent": 0}
    for row in rows:  # one query: at most six (severity, status) groups
        counts["total"] += row["n"]
        counts[row["severity"]] = counts.get(row["severity"], 0) + row["n"]
        if row["severity"] == "urgent" and row["status"] == Status.OPEN:
            counts["open_urgent"] += row["n"]
    return counts


def patients_with_active_flags(user: Any, patient_ids: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """For the patient list: per patient, the number of active flags and whether one is urgent."""
    rows = (
        flags_for(user, status="active")
        .filter(patient_id__in=list(patient_ids))
        .order_by()
        .values("patient_id")
        .annotate(n=Count("id"), urgent=Count("id", filter=Q(severity="urgent")))
    )
    return {str(row["patient_id"]): {"count": row["n"], "urgent": row["urgent"] > 0} for row in rows}


def flags_page(user: Any, flags: QuerySet[Flag], start: int, stop: int) -> list[Flag]:
    """One page of `flags`, cleared by the access policy ("flags" scope), which audits each patient's
    read: a flag names a patient and what they reported, so reading it is a read of their record."""
    page = list(flags[start:stop])
    patients = {flag.patient_id: flag.patient for flag in page}.values()
    cleared = {p.id for p in readable_among(user, patients, "flags", view="flags")}
    return [flag for flag in page if flag.patient_id in cleared]


def flag_read(user: Any, flag_id: uuid.UUID | str) -> Flag:
    """One of the user's flags, cleared (and its read audited) by the access policy, or NotFound."""
    flag = flag_for(user, flag_id)
    if not readable_among(user, [flag.patient], "flags", view="flag"):
        raise NotFound("flag")
    return flag


def serialise_flag(flag: Flag) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": str(flag.id),
        "patient_id": str(flag.patient_id),
        "recipient_id": str(flag.recipient_id) if flag.recipient_id else None,
        "rule_id": flag.rule_id,
        "severity": flag.severity,
        "status": flag.status,
        "title": flag.title,
        "subject": flag.subject,
        "rationale": flag.rationale,
        "evidence": flag.evidence,
        "consider": flag.consider,
        "data": flag.data,
        "finding_date": when(flag.finding_date),
        "source_type": flag.source_type,
        "source_id": flag.source_id,
        "created_at": when(flag.created_at),
        "acknowledged_at": when(flag.acknowledged_at),
        "acknowledged_by": str(flag.acknowledged_by_id) if flag.acknowledged_by_id else None,
        "closed_at": when(flag.closed_at),
        "closed_by": str(flag.closed_by_id) if flag.closed_by_id else None,
        "close_reason": flag.close_reason,
        "last_seen_at": when(flag.last_seen_at),
        "cleared_at": when(flag.cleared_at),
        "notified_at": when(flag.notified_at),
    }
