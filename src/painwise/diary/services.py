"""Diary writes: one transaction, validation, one audit event each (DESIGN.md: services)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from painwise.audit.live import live_one
from painwise.audit.services import audit_record, audit_update, soft_delete
from painwise.core.errors import DomainError
from painwise.diary.specs import SPECS, RecordSpec, spec_for
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy, TherapyKind

REFERENCING_KINDS = frozenset({"dose_events", "therapy_sessions"})


def therapy_index(patient: Patient) -> dict[uuid.UUID, Therapy]:
    return {t.id: t for t in Therapy.objects.live().filter(patient=patient)}


def check_references(spec: RecordSpec, data: dict[str, Any], therapies: dict[uuid.UUID, Therapy]) -> None:
    """Dose products and session therapies must be the same patient's live plan items."""
    if spec.kind == "dose_events":
        product = therapies.get(data.get("product_id"))  # type: ignore[arg-type]
        if product is None or product.kind != TherapyKind.KRATOM:
            raise DomainError(
                "diary.unknown_product", "product_id is not one of this patient's kratom products", "product_id"
            )
        if product.unit and data.get("unit") not in (product.unit, "g", "mg"):
            raise DomainError(
                "diary.unit_mismatch", f"this product is counted in {product.unit}; got {data.get('unit')}", "unit"
            )
    if spec.kind == "therapy_sessions" and data.get("therapy_id") is not None and data["therapy_id"] not in therapies:
        raise DomainError("diary.unknown_therapy", "therapy_id is not one of this patient's therapies", "therapy_id")


def _validated(patient: Patient, spec: RecordSpec, data: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    unknown = set(data) - set(spec.fields) - {"occurred_at"}
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError("diary.unknown_field", f"{field} is not a field of a {spec.label}", field)
    if not isinstance(data.get("occurred_at"), dt.datetime):
        raise DomainError("diary.missing", "occurred_at is required (ISO 8601 with offset)", "occurred_at")
    spec.validate(data, now)
    if spec.kind in REFERENCING_KINDS:  # the others name no plan item: spare the query
        check_references(spec, data, therapy_index(patient))
    return _blank_text(spec, data)


def _blank_text(spec: RecordSpec, data: dict[str, Any]) -> dict[str, Any]:
    """Text columns are NOT NULL (Django convention): an omitted optional text is stored as ""."""
    text = {
        name
        for name in data
        if isinstance(spec.model._meta.get_field(name.removesuffix("_id")), models.CharField | models.TextField)
    }
    return {name: ("" if name in text and value is None else value) for name, value in data.items()}


@transaction.atomic
def diary_record_create(
    *,
    actor: Any,
    patient: Patient,
    kind: str,
    data: dict[str, Any],
    record_id: uuid.UUID | None = None,
    entered_at: dt.datetime | None = None,
) -> models.Model:
    spec = spec_for(kind)
    now = timezone.now()
    values = _validated(patient, spec, dict(data), now)
    record = spec.model(patient=patient, entered_at=entered_at or now, **values)
    if record_id is not None:
        record.pk = record_id
    record.save(force_insert=True)
    audit_record(actor=actor, action="create", patient_key=patient.audit_key, object_type=kind, object_id=record.pk)
    return record


def live_record(patient: Patient, kind: str, record_id: uuid.UUID | str, *, for_update: bool) -> models.Model:
    """A live record of the patient's (painwise.audit.live.live_one), locked when `for_update`."""
    spec = spec_for(kind)
    return live_one(spec.model.objects.all(), patient, record_id, for_update=for_update, label=spec.label)  # type: ignore[attr-defined]


@transaction.atomic
def diary_record_update(
    *, actor: Any, patient: Patient, kind: str, record_id: uuid.UUID | str, changes: dict[str, Any]
) -> models.Model:
    spec = spec_for(kind)
    record = live_record(patient, kind, record_id, for_update=True)
    merged = {name: getattr(record, name) for name in (*spec.fields, "occurred_at")}
    merged.update(changes)
    _validated(patient, spec, merged, timezone.now())
    for name, value in _blank_text(spec, changes).items():
        setattr(record, name, value)
    record.save()
    audit_update(actor=actor, patient_key=patient.audit_key, record=record, object_type=kind, fields=changes)
    return record


@transaction.atomic
def diary_record_delete(*, actor: Any, patient: Patient, kind: str, record_id: uuid.UUID | str) -> None:
    """Soft delete: the record disappears from views and exports but stays recoverable and audited."""
    record = live_record(patient, kind, record_id, for_update=True)
    soft_delete(actor=actor, patient_key=patient.audit_key, record=record, object_type=kind)


def _same_value(stored: Any, sent: Any) -> bool:
    if isinstance(stored, Decimal) or isinstance(sent, Decimal | float):
        try:
            return Decimal(str(stored)) == Decimal(str(sent))
        except (ArithmeticError, ValueError):
            return False
    if isinstance(stored, uuid.UUID) or isinstance(sent, uuid.UUID):
        return str(stored) == str(sent)
    if isinstance(stored, str) and sent is None:
        return stored == ""
    return bool(stored == sent)


def diary_record_create_once(
    *, actor: Any, patient: Patient, kind: str, data: dict[str, Any], record_id: uuid.UUID
) -> tuple[models.Model, bool]:
    """Create a record under a client-generated id (offline entry), exactly once.

    A retried sync of the same entry finds the stored record and returns it with created=False; an id
    already used for different content (another kind, another patient, or changed values) is a
    conflict (409 `diary.conflict`), reported and never overwritten.
    """
    spec = spec_for(kind)
    existing = None
    for other in SPECS.values():
        existing = other.model.objects.filter(pk=record_id).first()  # type: ignore[attr-defined]
        if existing is not None:
            if other.kind != kind or existing.patient_id != patient.id:  # type: ignore[attr-defined]
                raise DomainError("diary.conflict", "this entry id is already used by another entry", "client_id", 409)
            break
    if existing is None:
        try:
            with transaction.atomic():
                return diary_record_create(
                    actor=actor, patient=patient, kind=kind, data=data, record_id=record_id
                ), True
        except IntegrityError:  # a concurrent sync of the same entry won the race
            existing = spec.model.objects.get(pk=record_id)  # type: ignore[attr-defined]
    different = [
        name for name, value in data.items() if name in spec.fields and not _same_value(getattr(existing, name), value)
    ]
    if different:
        raise DomainError(
            "diary.conflict", f"this entry was already saved with other values ({', '.join(sorted(different))})",
            "client_id", 409,
        )  # fmt: skip
    return existing, False
