"""The `lab_results` section of the export format (docs/import-format.md).

Export writes each live result's input in the documented shape, ordered by collected_at then id.
Import checks every record exactly as the API does (painwise.labs.entry), keeps ids and entered_at,
and interprets it afresh for the imported patient; errors carry paths like `lab_results[2].unit`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from painwise.core.errors import DomainError
from painwise.exchange.coerce import coerce, field_for, record_shape, with_path
from painwise.exchange.sections import Section, register_section
from painwise.labs.entry import CLOCK_SKEW, apply, check_entry, lab_config
from painwise.labs.models import LabResult
from painwise.labs.serialise import EXPORT_KEYS, export_record
from painwise.patients.models import Patient

KEY = "lab_results"


def export_results(patient: Patient) -> list[dict[str, Any]]:
    live = LabResult.objects.live().filter(patient=patient).order_by("collected_at", "id")
    return [export_record(r) for r in live.iterator(chunk_size=2000)]


def _fail(code: str, message: str, path: str, status: int = 422) -> DomainError:
    return DomainError(code, message, path, status)


def _load_one(patient: Patient, raw: Any, path: str, now: dt.datetime, config: Any) -> LabResult:
    data = record_shape(raw, path, tuple(EXPORT_KEYS))
    result_id = coerce(field_for(LabResult, "id"), data["id"], f"{path}.id")
    entered_at = coerce(field_for(LabResult, "entered_at"), data["entered_at"], f"{path}.entered_at")
    collected_at = coerce(field_for(LabResult, "collected_at"), data["collected_at"], f"{path}.collected_at")
    fields = {k: data[k] for k in ("analyte", "value", "unit", "ref_low", "ref_high", "lab_name", "note")}
    try:
        values, interpretation = check_entry(patient, {**fields, "collected_at": collected_at}, now=now, config=config)
    except DomainError as exc:
        raise with_path(exc, path) from exc
    if entered_at > now + CLOCK_SKEW:
        raise _fail("import.future_time", f"{path}.entered_at is in the future", f"{path}.entered_at")
    if LabResult.objects.filter(id=result_id).exists():
        raise _fail("import.duplicate", f"{path}.id already exists", f"{path}.id", 409)
    record = LabResult(id=result_id, patient=patient, entered_at=entered_at)
    apply(record, patient, values, interpretation, config)
    return record


def load_results(patient: Patient, items: list[Any]) -> None:
    """Runs inside the importer's transaction (all-or-nothing); the importer records the audit event."""
    now, config = timezone.now(), lab_config()
    records = [_load_one(patient, raw, f"{KEY}[{i}]", now, config) for i, raw in enumerate(items)]
    LabResult.objects.bulk_create(records, batch_size=1000)


register_section(Section(key=KEY, export=export_results, load=load_results))
