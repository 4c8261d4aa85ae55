"""Reads of the patient's profile records (their own pages)."""

from __future__ import annotations

import uuid

from painwise.core.errors import NotFound
from painwise.patients.models import PainCondition, Patient


def conditions_of(patient: Patient) -> list[PainCondition]:
    """Live conditions, ongoing first, then ended ones, each by onset."""
    found = list(PainCondition.objects.live().filter(patient=patient).order_by("onset_date"))
    return sorted(found, key=lambda c: c.end_date is not None)


def condition_of(patient: Patient, condition_id: uuid.UUID) -> PainCondition:
    found = PainCondition.objects.live().filter(patient=patient, id=condition_id).first()
    if found is None:
        raise NotFound("condition")
    return found
