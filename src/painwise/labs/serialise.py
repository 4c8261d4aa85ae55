"""Lab results → JSON-safe dicts: the API shape (input + interpretation) and the export-format shape."""

from __future__ import annotations

from typing import Any

from painwise.exchange.serialise import json_value
from painwise.labs.models import LabResult

# Exactly the record of docs/import-format.md; the interpretation is recomputed on import, not carried.
EXPORT_KEYS = (
    "id",
    "analyte",
    "value",
    "unit",
    "ref_low",
    "ref_high",
    "collected_at",
    "entered_at",
    "lab_name",
    "note",
)


def export_record(record: LabResult) -> dict[str, Any]:
    return {key: json_value(getattr(record, key)) for key in EXPORT_KEYS}


def entered_by(record: LabResult) -> dict[str, Any] | None:
    user = record.entered_by
    if user is None:
        return None  # imported from a file, or the account was removed
    return {"id": str(user.id), "username": user.username, "role": user.role}


def serialise_result(record: LabResult) -> dict[str, Any]:
    return {
        **export_record(record),
        "unit_ucum": record.unit_ucum,
        "loinc": record.loinc or None,
        "canonical_value": record.canonical_value,
        "canonical_unit": record.canonical_unit,
        "status": record.status,
        "category": record.category or None,
        "multiple_of_uln": record.multiple_of_uln,
        "range_used": record.range_used,
        "unusual": record.unusual,
        "critical": record.critical,
        "notes": list(record.notes),
        "entered_by": entered_by(record),
    }
