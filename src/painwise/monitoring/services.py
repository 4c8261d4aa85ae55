"""Flag writes: the one raise path (deduplicated, one flag per clinician holding a grant), clearing,
assigning pending flags, and the lifecycle open → acknowledged → resolved or dismissed. Each step is
audited. Urgent flags are pushed by email after commit (painwise.monitoring.notify)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from painwise.accounts.models import Role
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError, NotFound
from painwise.core.rules import Finding
from painwise.monitoring.models import ACTIVE, Flag, Status
from painwise.patients.access import active_grants, may
from painwise.patients.models import AccessGrant, Patient

log = logging.getLogger(__name__)
MAX_REASON = 1000


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


def _content(finding: Finding) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "title": finding.title[:200],
        "evidence": finding.evidence,
        "consider": finding.consider,
        "rationale": finding.rationale,
        "data": finding.data,
        "finding_date": finding.date,
        "patient_note": finding.patient_note,
        "occurrence": finding.occurrence[:500],
    }


@transaction.atomic
def flags_raise(
    *,
    actor: Any,
    patient: Patient,
    finding: Finding,
    source_type: str = "",
    source_id: object = "",
    recipients: list[Any] | None = None,
) -> list[Flag]:
    """Raise `finding` for each clinician holding a grant (none: one pending flag, recipient null).

    Deduplicated: where the recipient already has an active flag for this rule and subject, that flag is
    kept (its data refreshed); where the last flag was resolved or dismissed and the same occurrence is
    still present without having cleared in between, nothing is raised; otherwise a new flag opens.
    Returns the flags created. Runs inside the caller's transaction; an insert that loses a race with a
    concurrent run hits the unique constraint and counts as kept.
    """
    now = timezone.now()
    created: list[Flag] = []
    for recipient in recipients if recipients is not None else (clinicians_for(patient) or [None]):
        same = Flag.objects.filter(patient=patient, recipient=recipient, rule_id=finding.rule, subject=finding.subject)
        active = same.filter(status__in=ACTIVE).select_for_update().first()
        if active is not None:
            _refresh(active, finding, now)
            continue
        last = same.order_by("-created_at").first()
        if last is not None and last.occurrence == finding.occurrence and last.cleared_at is None:
            continue  # resolved or dismissed, and the condition has not gone away since
        flag = Flag(
            patient=patient,
            recipient=recipient,
            rule_id=finding.rule,
            subject=finding.subject[:64],
            source_type=source_type,
            source_id=str(source_id or ""),
            created_at=now,
            last_seen_at=now,
            **_content(finding),
        )
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
                flag.save(force_insert=True)
        except IntegrityError:
            continue  # a concurrent run opened the same flag first
        audit_record(
            actor=actor,
            action="flag_raise",
            patient_key=patient.audit_key,
            object_type="flag",
            object_id=flag.id,
            detail={"rule_id": flag.rule_id, "severity": flag.severity, "pending": flag.recipient_id is None},
        )
        created.append(flag)
    urgent = [flag for flag in created if flag.severity == "urgent"]
    if urgent:
        ids = [str(flag.id) for flag in urgent]
        # Operators watch the log for urgent flags; no health data goes into it, only ids.
        transaction.on_commit(lambda: log.warning("urgent flag %s raised: %s", finding.rule, ", ".join(ids)))
        transaction.on_commit(lambda: _notify(ids))
    return created


def _notify(flag_ids: list[str]) -> None:
    from painwise.monitoring.notify import notify_urgent

    try:
        notify_urgent(flag_ids)
    except Exception:  # a mail server outage must not turn a saved record into an error page
        log.exception("could not send urgent flag notifications for %s", ", ".join(flag_ids))


def _refresh(flag: Flag, finding: Finding, now: Any) -> None:
    content = _content(finding)
    content.pop("severity")
    changed = [name for name, value in content.items() if getattr(flag, name) != value]
    for name in changed:
        setattr(flag, name, content[name])
    flag.last_seen_at, flag.cleared_at = now, None
    flag.save(update_fields=[*changed, "last_seen_at", "cleared_at"])


def flags_clear(*, patient: Patient, found: Iterable[tuple[str, str]], rules: Iterable[str]) -> int:
    """Mark flags of `rules` whose (rule, subject) an evaluation no longer found as cleared, so the
    condition recurring later opens a new flag even for a record seen before. Lifecycle unchanged."""
    keys = set(found)
    stale = [
        flag.pk
        for flag in Flag.objects.filter(patient=patient, rule_id__in=list(rules), cleared_at__isnull=True).only(
            "pk", "rule_id", "subject"
        )
        if (flag.rule_id, flag.subject) not in keys
    ]
    if stale:
        Flag.objects.filter(pk__in=stale).update(cleared_at=timezone.now())
    return len(stale)


@transaction.atomic
def flags_assign_pending(*, actor: Any, grant: AccessGrant) -> list[Flag]:
    """Give flags raised while nobody held a grant to the clinician of a newly created grant."""
    pending = list(
        Flag.objects.select_for_update().filter(patient_id=grant.patient_id, recipient__isnull=True, status__in=ACTIVE)
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
    urgent = [str(flag.id) for flag in pending if flag.severity == "urgent"]
    if urgent:
        transaction.on_commit(lambda: _notify(urgent))
    return pending


def _locked(actor: Any, flag: Flag) -> Flag:
    """The flag locked for a lifecycle step; only its recipient, while their grant is active."""
    locked = Flag.objects.select_for_update().select_related("patient").filter(id=flag.id).first()
    if locked is None or locked.recipient_id is None or locked.recipient_id != getattr(actor, "id", None):
        raise NotFound("flag")
    if not may(actor, locked.patient, "flags", write=True):
        raise NotFound("flag")  # access ended: the flag is no longer this clinician's to handle
    return locked


def _audit(actor: Any, flag: Flag, action: str, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        patient_key=flag.patient.audit_key,
        object_type="flag",
        object_id=flag.id,
        detail={"rule_id": flag.rule_id, **detail},
    )


@transaction.atomic
def flag_acknowledge(*, actor: Any, flag: Flag) -> Flag:
    """open → acknowledged. Idempotent; anyone but the recipient gets NotFound (ids cannot be probed)."""
    locked = _locked(actor, flag)
    if locked.status == Status.OPEN:
        locked.status = Status.ACKNOWLEDGED
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        _audit(actor, locked, "acknowledge")
    return locked


def _reason(reason: object, required: bool) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if reason is not None and not isinstance(reason, str):
        raise DomainError("monitoring.invalid_reason", "reason must be text", "reason")
    if required and not text:
        raise DomainError("monitoring.missing_reason", "give a reason for dismissing the flag", "reason")
    if len(text) > MAX_REASON:
        raise DomainError("monitoring.invalid_reason", f"reason is longer than {MAX_REASON} characters", "reason")
    return text


@transaction.atomic
def flag_close(*, actor: Any, flag: Flag, status: str, reason: object = None) -> Flag:
    """open or acknowledged → resolved (reason optional) or dismissed (reason required). Closing a
    closed flag again changes nothing. A recurrence after closing opens a new flag."""
    if status not in (Status.RESOLVED, Status.DISMISSED):
        raise DomainError("monitoring.invalid_status", "status must be resolved or dismissed", "status")
    text = _reason(reason, required=status == Status.DISMISSED)
    locked = _locked(actor, flag)
    if locked.status in ACTIVE:
        now = timezone.now()
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = now, actor
        locked.status, locked.closed_at, locked.closed_by, locked.close_reason = status, now, actor, text
        locked.save(
            update_fields=["status", "closed_at", "closed_by", "close_reason", "acknowledged_at", "acknowledged_by"]
        )
        _audit(actor, locked, "resolve" if status == Status.RESOLVED else "dismiss", reason=text)
    return locked
