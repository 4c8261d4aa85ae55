"""Which patient and which scopes a FHIR or CDS Hooks caller may read: asked of patients.access."""

from __future__ import annotations

import uuid
from typing import Any

from painwise.core.errors import NotFound
from painwise.patients.access import grant_for
from painwise.patients.models import AccessGrant, Patient


def fhir_patient_for(user: Any, patient_id: uuid.UUID | str) -> tuple[Patient, tuple[str, ...]]:
    """The patient and the scopes `user` holds on them (all for the patient themself), or NotFound."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotFound("patient")
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError as exc:
        raise NotFound("patient") from exc
    patient = Patient.objects.select_related("user").filter(id=key).first()
    if patient is None:
        raise NotFound("patient")
    if patient.user_id == user.id:
        return patient, AccessGrant.ALL_SCOPES
    grant = grant_for(user, patient)
    scopes = tuple(s for s in AccessGrant.ALL_SCOPES if grant is not None and s in grant.scopes)
    if not scopes:
        raise NotFound("patient")
    return patient, scopes
