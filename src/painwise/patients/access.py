"""Who may see or change a patient's records. Selectors and services ask here; nothing else decides.

Unauthorised access is reported as "not found" so that ids cannot be probed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from painwise.accounts.models import Role
from painwise.audit.services import audit_record
from painwise.core.errors import NotFound
from painwise.patients.models import AccessGrant, Patient


def active_grants() -> QuerySet[AccessGrant]:
    now = timezone.now()
    return AccessGrant.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def visible_patients(user: Any) -> QuerySet[Patient]:
    """Patients whose records `user` may read at all (any scope)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user)
    granted = active_grants().filter(grantee=user).values("patient_id")
    return Patient.objects.filter(id__in=granted)


def grant_for(user: Any, patient: Patient) -> AccessGrant | None:
    return active_grants().filter(grantee=user, patient=patient).order_by("-created_at").first()


def may(user: Any, patient: Patient, scope: str, *, write: bool = False) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if patient.user_id == user.id:
        return True
    grant = grant_for(user, patient)
    if grant is None or scope not in grant.scopes:
        return False
    # Clinicians may enter data only in the plan and labs scopes, and only where the grant says so.
    return not write or (grant.can_enter_data and scope in ("plan", "labs"))


def patient_for(user: Any, patient_id: uuid.UUID | str, scope: str, *, write: bool = False) -> Patient:
    """The patient `user` may access in `scope`, or NotFound. Reads by others are audited here."""
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError as exc:
        raise NotFound("patient") from exc
    patient = Patient.objects.select_related("user").filter(id=key).first()
    if patient is None or not may(user, patient, scope, write=write):
        raise NotFound("patient")
    if not write and patient.user_id != user.id:
        audit_record(actor=user, action="read", patient_key=patient.audit_key, object_type=scope, object_id=patient.id)
    return patient


def patient_by_user(user: Any) -> Patient | None:
    return Patient.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
