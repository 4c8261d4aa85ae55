"""Which patient and which scopes a FHIR or CDS Hooks caller may read: each asked of patients.access."""

from __future__ import annotations

import uuid
from typing import Any

from painwise.core.errors import NotFound
from painwise.patients.access import allows, may
from painwise.patients.models import AccessGrant, Patient


def _patient(user: Any, patient_id: uuid.UUID | str) -> Patient:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotFound("patient")
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError as exc:
        raise NotFound("patient") from exc
    patient = Patient.objects.select_related("user").filter(id=key).first()
    if patient is None:
        raise NotFound("patient")
    return patient


def fhir_patient_for(user: Any, patient_id: uuid.UUID | str, *, view: str = "fhir") -> tuple[Patient, tuple[str, ...]]:
    """The patient and every grant scope `user` may read (the policy decides each; each read is
    audited there with `view`), or NotFound when there is none."""
    patient = _patient(user, patient_id)
    scopes = tuple(scope for scope in AccessGrant.ALL_SCOPES if allows(user, patient, scope, view=view))
    if not scopes:
        raise NotFound("patient")
    return patient, scopes


def flags_patient_for(user: Any, patient_id: uuid.UUID | str) -> tuple[Patient, tuple[str, ...]]:
    """For CDS Hooks: the patient whose flags `user` may read (audited as a flags read by the policy),
    with the grant scopes the user holds (to hide flags about records outside them), or NotFound."""
    patient = _patient(user, patient_id)
    if not may(user, patient, "flags") or not allows(user, patient, "flags", view="cds"):
        raise NotFound("patient")
    return patient, tuple(scope for scope in AccessGrant.ALL_SCOPES if may(user, patient, scope))
