"""Lab result writes: validation through the core, one transaction, one audit event each (DESIGN.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.audit.live import live_one
from painwise.audit.services import audit_record, audit_update, soft_delete
from painwise.labs.csv_import import parse_lab_csv
from painwise.labs.entry import FIELDS, apply, check_entry, lab_config
from painwise.labs.models import LabResult
from painwise.patients.models import Patient

OBJECT_TYPE = "lab_results"


@transaction.atomic
def lab_result_create(
    *,
    actor: Any,
    patient: Patient,
    data: dict[str, Any],
    result_id: uuid.UUID | None = None,
    entered_at: dt.datetime | None = None,
) -> LabResult:
    """Store one result as entered, with the core's interpretation. `actor` is recorded as entered_by."""
    config = lab_config()
    now = timezone.now()
    values, interpretation = check_entry(patient, dict(data), now=now, config=config)
    record = LabResult(patient=patient, entered_at=entered_at or now)
    if getattr(actor, "is_authenticated", False):
        record.entered_by = actor
    if result_id is not None:
        record.id = result_id
    apply(record, patient, values, interpretation, config)
    record.save(force_insert=True)
    audit_record(
        actor=actor,
        action="create",
        patient_key=patient.audit_key,
        object_type=OBJECT_TYPE,
        object_id=record.id,
        detail={"analyte": record.analyte},
    )
    return record


def live_result(patient: Patient, result_id: uuid.UUID | str, *, for_update: bool) -> LabResult:
    """A live result of the patient's (painwise.audit.live.live_one), locked when `for_update`."""
    results = LabResult.objects.all() if for_update else LabResult.objects.select_related("entered_by")
    return live_one(results, patient, result_id, for_update=for_update, label="lab result")


@transaction.atomic
def lab_result_update(
    *, actor: Any, patient: Patient, result_id: uuid.UUID | str, changes: dict[str, Any]
) -> LabResult:
    """Change the fields sent and interpret again (with today's thresholds); entered_by stays the enterer."""
    record = live_result(patient, result_id, for_update=True)
    merged = {name: getattr(record, name) for name in FIELDS} | {"analyte": record.analyte_entered or record.analyte}
    merged.update(changes)
    config = lab_config()
    values, interpretation = check_entry(patient, merged, now=timezone.now(), config=config)
    apply(record, patient, values, interpretation, config)
    record.save()
    audit_update(actor=actor, patient_key=patient.audit_key, record=record, object_type=OBJECT_TYPE, fields=changes)
    return record


@transaction.atomic
def lab_result_delete(*, actor: Any, patient: Patient, result_id: uuid.UUID | str) -> None:
    """Soft delete: gone from lists, charts and exports, but kept and audited."""
    record = live_result(patient, result_id, for_update=True)
    soft_delete(actor=actor, patient_key=patient.audit_key, record=record, object_type=OBJECT_TYPE)


@dataclass(frozen=True)
class CsvImport:
    created: list[LabResult]
    skipped: list[dict[str, Any]]  # [{"row": 4, "reason": "..."}]


@transaction.atomic
def lab_results_import_csv(*, actor: Any, patient: Patient, text: str) -> CsvImport:
    """All-or-nothing: every row is checked first; one bad row stores nothing (CsvImportError lists all).

    Rows repeating a stored result (same analyte, collected_at and value) are skipped, not refused, so
    re-uploading an updated report adds only the new results.
    """
    config = lab_config()
    now = timezone.now()
    parsed = parse_lab_csv(patient, text, now=now, config=config)
    entered_by = actor if getattr(actor, "is_authenticated", False) else None
    records = []
    for row in parsed.rows:
        record = LabResult(patient=patient, entered_at=now, entered_by=entered_by)
        apply(record, patient, row.values, row.interpretation, config)
        records.append(record)
    LabResult.objects.bulk_create(records)
    from painwise.monitoring.engine import evaluate_after_commit  # bulk inserts send no signals

    evaluate_after_commit(patient.pk)
    audit_record(
        actor=actor,
        action="import",
        patient_key=patient.audit_key,
        object_type=OBJECT_TYPE,
        detail={"created": len(records), "skipped_rows": [s["row"] for s in parsed.skipped], "format": "csv"},
    )
    return CsvImport(created=records, skipped=parsed.skipped)
