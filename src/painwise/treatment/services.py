"""Treatment-plan writes. Each keeps who entered it (patient or a clinician with a data-entry grant)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.audit.live import live_one
from painwise.audit.services import audit_record, audit_update, soft_delete
from painwise.core.errors import DomainError
from painwise.core.plan import validate_therapy
from painwise.diary.models import DoseEvent
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy

THERAPY_FIELDS = (
    "kind", "name", "start_date", "stop_date", "notes", "strain", "form", "unit",
    "leaf_g_per_unit", "mitragynine_mg_per_g", "drug_class",
    "alkaloid_source", "seven_oh_mg_per_unit", "concentrated_7oh",
)  # fmt: skip
BLANKABLE = ("notes", "strain", "form", "unit", "drug_class", "alkaloid_source")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(THERAPY_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError("plan.unknown_field", f"{field} is not a field of a therapy", field)
    values = {k: ("" if k in BLANKABLE and v is None else v) for k, v in data.items()}
    if "concentrated_7oh" in values:
        values["concentrated_7oh"] = bool(values["concentrated_7oh"])
    if values.get("form") == "7oh":
        # A product whose form is concentrated 7-OH is flagged as such whatever the caller sent.
        values["concentrated_7oh"] = True
    return values


@transaction.atomic
def therapy_create(
    *,
    actor: Any,
    patient: Patient,
    data: dict[str, Any],
    therapy_id: uuid.UUID | None = None,
    entered_at: dt.datetime | None = None,
) -> Therapy:
    values = _clean(data)
    validate_therapy(values, timezone.localdate())
    therapy = Therapy(patient=patient, entered_by=actor if getattr(actor, "pk", None) else None, **values)
    therapy.entered_at = entered_at or timezone.now()
    if therapy_id is not None:
        therapy.id = therapy_id
    therapy.save(force_insert=True)
    audit_record(
        actor=actor, action="create", patient_key=patient.audit_key, object_type="therapy", object_id=therapy.id
    )
    return therapy


def live_therapy(patient: Patient, therapy_id: uuid.UUID | str, *, for_update: bool) -> Therapy:
    """A live plan item of the patient's (painwise.audit.live.live_one), locked when `for_update`."""
    return live_one(Therapy.objects.all(), patient, therapy_id, for_update=for_update, label="therapy")


@transaction.atomic
def therapy_update(*, actor: Any, patient: Patient, therapy_id: uuid.UUID | str, changes: dict[str, Any]) -> Therapy:
    therapy = live_therapy(patient, therapy_id, for_update=True)
    values = _clean(changes)
    merged = {name: getattr(therapy, name) for name in THERAPY_FIELDS} | values
    validate_therapy(merged, timezone.localdate())
    for name, value in values.items():
        setattr(therapy, name, value)
    therapy.save()
    audit_update(actor=actor, patient_key=patient.audit_key, record=therapy, object_type="therapy", fields=values)
    return therapy


@transaction.atomic
def therapy_delete(*, actor: Any, patient: Patient, therapy_id: uuid.UUID | str) -> None:
    """Deleting is for a plan item entered in error. One that still has live dose records is refused
    (409): ending it is done by its stop date, so a deleted product never has live doses and exposure
    can ignore deleted products without losing any dose (docs/data-model.md)."""
    therapy = live_therapy(patient, therapy_id, for_update=True)
    doses = DoseEvent.objects.live().filter(product=therapy).count()
    if doses:
        raise DomainError(
            "plan.has_records",
            f"{therapy.name} has {doses} dose record(s): to end it, set its stop date; "
            "to remove an item entered in error, delete its dose records first",
            None,
            status=409,
        )
    soft_delete(actor=actor, patient_key=patient.audit_key, record=therapy, object_type="therapy")
