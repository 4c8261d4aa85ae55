"""Build a PatientSnapshot from the database in a fixed number of queries (one per record kind).

It reads every live record of one patient as plain rows (``values()``, no model instances) and hands
them to the same core constructors that read an export document, so the two snapshots are equal
(tests/foundation/test_snapshot.py proves it for the demo patient). Access is the caller's business:
call it only for a patient obtained through ``patients.access``.
"""

from __future__ import annotations

import uuid

from painwise.core.snapshot import PatientSnapshot, assemble, profile_from
from painwise.diary.specs import SPECS
from painwise.labs.entry import lab_config
from painwise.labs.models import LabResult
from painwise.patients.models import PainCondition, Patient
from painwise.questionnaires.models import QuestionnaireResponse
from painwise.treatment.models import Therapy

SNAPSHOT_QUERIES = 10  # patient, conditions, plan, five diary kinds, labs, questionnaires

CONDITION_FIELDS = ("id", "label", "icd11_category", "body_sites", "onset_date")
PLAN_FIELDS = (
    "id", "kind", "name", "start_date", "stop_date", "strain", "form", "unit", "leaf_g_per_unit",
    "mitragynine_mg_per_g", "drug_class",
)  # fmt: skip
LAB_FIELDS = ("id", "analyte", "value", "unit", "ref_low", "ref_high", "collected_at", "lab_name", "note")
QUESTIONNAIRE_FIELDS = (
    "id", "code", "answers", "completed_at", "total", "band", "subscales", "flags", "answered", "entered_by_role",
)  # fmt: skip


def _diary_rows(patient_id: uuid.UUID | str, kind: str) -> list[dict[str, object]]:
    spec = SPECS[kind]
    fields = ("id", "occurred_at", *spec.fields)
    rows = spec.model.objects.live().filter(patient_id=patient_id)  # type: ignore[attr-defined]
    return list(rows.values(*fields))


def build_snapshot(patient_id: uuid.UUID | str) -> PatientSnapshot:
    """The whole live record of one patient (raises Patient.DoesNotExist for an unknown id)."""
    row = (
        Patient.objects.filter(pk=patient_id)
        .values("id", "user__username", "date_of_birth", "sex_at_birth", "time_zone", "synthetic")
        .get()
    )
    profile = profile_from({**row, "username": row["user__username"]}, synthetic=row["synthetic"])
    return assemble(
        profile,
        conditions=PainCondition.objects.live().filter(patient_id=patient_id).values(*CONDITION_FIELDS),
        plan=Therapy.objects.live().filter(patient_id=patient_id).values(*PLAN_FIELDS),
        pain=_diary_rows(patient_id, "pain_entries"),
        check_ins=_diary_rows(patient_id, "check_ins"),
        doses=_diary_rows(patient_id, "dose_events"),
        sessions=_diary_rows(patient_id, "therapy_sessions"),
        side_effects=_diary_rows(patient_id, "side_effects"),
        labs=LabResult.objects.live().filter(patient_id=patient_id).values(*LAB_FIELDS),
        questionnaires=QuestionnaireResponse.objects.filter(patient_id=patient_id).values(*QUESTIONNAIRE_FIELDS),
        lab_config=lab_config(),
    )
