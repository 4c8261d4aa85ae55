"""Flag writes: raise (one flag per clinician holding a grant), assign pending, acknowledge."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.accounts.models import Role
from painwise.audit.services import audit_record
from painwise.core.errors import NotFound
from painwise.monitoring.models import Flag
from painwise.monitoring.rules import FlagRule
from painwise.patients.access import active_grants
from painwise.patients.models import AccessGrant, Patient

log = logging.getLogger(__name__)


def clinicians_for(patient: Patient) -> list[Any]:
    """Every active clinician holding an active grant for `patient`, whatever its scopes.

    A safety flag goes to anyone the patient shares with: a grant without the questionnaires scope still
    makes that clinician part of the patient's care, and a missed positive item 9 costs more than the
    one-line disclosure in the flag (docs/questionnaires.md, "Who receives a flag").
    """
    grants = (
        active_grants()
        .filter(patient=patient, grantee__is_active=True, grantee__role=Role.CLINICIAN)
        .select_related("grantee")
        .order_by("created_at")
    )
    seen: dict[object, Any] = {}
    for grant in grants:
        seen.setdefault(grant.grantee_id, grant.grantee)
    return list(seen.values())


@transaction.atomic
def flags_raise(
    *,
    actor: Any,
    patient: Patient,
    rule: FlagRule,
    evidence: str,
    source_type: str = "",
    source_id: object = "",
) -> list[Flag]:
    """One unacknowledged flag per clinician; with none, one pending flag (recipient null).

    Runs inside the caller's transaction: the response and its flags are stored together or not at all.
    """
    recipients: list[Any] = clinicians_for(patient) or [None]
    now = timezone.now()
    flags = [
        Flag(
            patient=patient,
            recipient=recipient,
            rule_id=rule.rule_id,
            severity=rule.severity,
            title=rule.title,
            evidence=evidence,
            consider=rule.consider,
            source_type=source_type,
            source_id=str(source_id or ""),
            created_at=now,
        )
        for recipient in recipients
    ]
    Flag.objects.bulk_create(flags)
    for flag in flags:
        audit_record(
            actor=actor,
            action="flag_raise",
            patient_key=patient.audit_key,
            object_type="flag",
            object_id=flag.id,
            detail={"rule_id": flag.rule_id, "severity": flag.severity, "pending": flag.recipient_id is None},
        )
    # Operators watch the log for urgent flags; no health data goes into it, only ids and counts.
    if rule.severity == "urgent":
        ids = [str(flag.id) for flag in flags]
        transaction.on_commit(lambda: log.warning("urgent flag %s raised: %s", rule.rule_id, ", ".join(ids)))
    return flags


@transaction.atomic
def flags_assign_pending(*, actor: Any, grant: AccessGrant) -> list[Flag]:
    """Give flags raised while nobody held a grant to the clinician of a newly created grant."""
    pending = list(
        Flag.objects.select_for_update().filter(
            patient_id=grant.patient_id, recipient__isnull=True, acknowledged_at__isnull=True
        )
    )
    if not pending or getattr(grant.grantee, "role", None) != Role.CLINICIAN:
        return []
    for flag in pending:
        flag.recipient = grant.grantee
        flag.save(update_fields=["recipient"])
        audit_record(
            actor=actor,
            action="flag_assign",
            patient_key=grant.patient.audit_key,
            object_type="flag",
            object_id=flag.id,
            detail={"rule_id": flag.rule_id, "grant": str(grant.id)},
        )
    return pending


@transaction.atomic
def flag_acknowledge(*, actor: Any, flag: Flag) -> Flag:
    """Only the recipient may acknowledge; anyone else gets NotFound (flag ids cannot be probed)."""
    locked = Flag.objects.select_for_update().select_related("patient").filter(id=flag.id).first()
    if locked is None or locked.recipient_id is None or locked.recipient_id != getattr(actor, "id", None):
        raise NotFound("flag")
    if not active_grants().filter(grantee=actor, patient_id=locked.patient_id).exists():
        raise NotFound("flag")  # access ended: the flag is no longer this clinician's to handle
    if locked.acknowledged_at is None:
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(
            actor=actor,
            action="acknowledge",
            patient_key=locked.patient.audit_key,
            object_type="flag",
            object_id=locked.id,
            detail={"rule_id": locked.rule_id},
        )
    return locked
