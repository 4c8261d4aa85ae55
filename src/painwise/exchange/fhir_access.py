"""Which patient and which scopes a FHIR or CDS Hooks caller may read: asked of patients.access."""

from __future__ import annotations

import uuid
from typing import Any

from painwise.core.errors import NotFound
from painwise.patients.access import may
from painwise.patients.models import AccessGrant, Patient


def fhir_patient_for(user: Any, patient_id: uuid.UUID | str) -> tuple[Patient, tuple[str, ...]]:
    """The patient and the scopes `user` may read (the access policy decides each), or NotFound."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotFound("patient")
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError as exc:
        raise NotFound("patient") from exc
    patient = Patient.objects.select_related("user").filter(id=key).first()
    if patient is None:
        raise NotFound("patient")
    scopes = tuple(scope for scope in AccessGrant.ALL_SCOPES if may(user, patient, scope))
    if not scopes:
        raise NotFound("patient")
    return patient, scopes
