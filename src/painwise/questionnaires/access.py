"""Who may enter which questionnaire.

patients.access.patient_for(..., write=True) lets only the patient write in the questionnaires scope,
which is right for self-reports. COWS is the opposite: a clinician rates it at an assessment. Its write
path is `may(user, patient, "questionnaires")` (an active grant with that scope) plus
`grant.can_enter_data` on the same grant, the flag patients already use to let a clinician enter labs.
"""

from __future__ import annotations

import uuid
from typing import Any

from painwise.accounts.models import Role
from painwise.core.errors import NotFound
from painwise.patients.access import grant_for, may
from painwise.patients.models import Patient

SCOPE = "questionnaires"


def clinician_may_enter(user: Any, patient: Patient) -> bool:
    if getattr(user, "role", None) != Role.CLINICIAN or not may(user, patient, SCOPE):
        return False
    grant = grant_for(user, patient)
    return grant is not None and grant.can_enter_data


def patient_for_clinician_entry(user: Any, patient_id: uuid.UUID | str) -> Patient:
    """The patient a clinician may enter COWS for (and set schedules for), or NotFound."""
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError as exc:
        raise NotFound("patient") from exc
    patient = Patient.objects.select_related("user").filter(id=key).first()
    if patient is None or not clinician_may_enter(user, patient):
        raise NotFound("patient")
    return patient
