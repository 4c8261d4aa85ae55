"""A patient's whole record in the documented export format (docs/import-format.md)."""

from __future__ import annotations

from typing import Any

from painwise.audit.services import audit_record
from painwise.diary.specs import SPECS
from painwise.exchange.sections import SECTIONS
from painwise.exchange.serialise import serialise_condition, serialise_patient, serialise_record, serialise_therapy
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy

FORMAT = "painwise.export"
VERSION = 1
SECTION_ORDER = ("conditions", "therapies", *SPECS, "lab_results")


def export_patient(patient: Patient, *, actor: Any = None, action: str = "export") -> dict[str, Any]:
    """Every live record of `patient`, ordered so that two exports of the same data are identical.

    `action` names the audit event (`research_export` when the document feeds a research export)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "synthetic": patient.synthetic,
        "patient": serialise_patient(patient),
        "conditions": [serialise_condition(c) for c in patient.conditions.live().order_by("onset_date", "id")],
        "therapies": [
            serialise_therapy(t) for t in Therapy.objects.live().filter(patient=patient).order_by("start_date", "id")
        ],
    }
    for kind, spec in SPECS.items():
        records = spec.model.objects.live().filter(patient=patient).order_by("occurred_at", "id")  # type: ignore[attr-defined]
        doc[kind] = [serialise_record(kind, r) for r in records.iterator(chunk_size=2000)]
    doc["lab_results"] = []
    for key, section in SECTIONS.items():
        doc[key] = section.export(patient)
    audit_record(actor=actor, action=action, patient_key=patient.audit_key, object_type="patient", object_id=patient.id)
    return doc
