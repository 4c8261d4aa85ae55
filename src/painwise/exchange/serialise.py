"""Records → plain JSON-safe dicts, shared by the API and the export format (docs/import-format.md)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models

from painwise.diary.specs import SPECS
from painwise.patients.models import PainCondition, Patient
from painwise.treatment.models import Therapy
from painwise.treatment.services import THERAPY_FIELDS


def json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Normalise so that 2.500 and 2.5 export identically.
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def serialise_record(kind: str, record: models.Model) -> dict[str, Any]:
    spec = SPECS[kind]
    out: dict[str, Any] = {
        "id": json_value(record.pk),
        "occurred_at": json_value(record.occurred_at),  # type: ignore[attr-defined]
        "entered_at": json_value(record.entered_at),  # type: ignore[attr-defined]
    }
    for name in spec.fields:
        value = getattr(record, name)
        out[name] = None if value == "" and name in ("severity",) else json_value(value)
    return out


def serialise_therapy(therapy: Therapy) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(therapy.id)}
    for name in THERAPY_FIELDS:
        out[name] = json_value(getattr(therapy, name))
    out["entered_at"] = json_value(therapy.entered_at)
    return out


def serialise_condition(condition: PainCondition, today: dt.date | None = None) -> dict[str, Any]:
    return {
        "id": str(condition.id),
        "label": condition.label,
        "icd11_category": condition.icd11_category,
        "body_sites": list(condition.body_sites),
        "onset_date": json_value(condition.onset_date),
        "end_date": json_value(condition.end_date),
        "entered_at": json_value(condition.entered_at),
    }


def serialise_patient(patient: Patient) -> dict[str, Any]:
    return {
        "id": str(patient.id),
        "username": patient.user.username,
        "date_of_birth": json_value(patient.date_of_birth),
        "sex_at_birth": patient.sex_at_birth,
        "time_zone": patient.time_zone,
        "country": patient.country,
        "created_at": json_value(patient.created_at),
    }
