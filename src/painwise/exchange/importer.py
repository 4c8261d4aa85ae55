"""Import one patient document, all-or-nothing (docs/import-format.md).

Every record is validated exactly as an API write would be; the first invalid one aborts the whole
import with its path (e.g. `pain_entries[12].nrs`). Records are then bulk-inserted: an import of a
multi-year diary is one transaction and one audit event, not thousands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from painwise.accounts.models import Role, User
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError
from painwise.core.plan import validate_therapy
from painwise.diary.services import check_references, therapy_index
from painwise.diary.specs import SPECS
from painwise.exchange.coerce import coerce, field_for, record_shape, with_path
from painwise.exchange.export import FORMAT, VERSION
from painwise.exchange.sections import SECTIONS
from painwise.patients.models import PainCondition, Patient
from painwise.patients.services import validate_condition, validate_patient
from painwise.treatment.models import Therapy
from painwise.treatment.services import BLANKABLE, THERAPY_FIELDS

TOP_KEYS = {"format", "version", "synthetic", "patient", "conditions", "therapies", *SPECS, "lab_results"}
PATIENT_KEYS = ("id", "username", "date_of_birth", "sex_at_birth", "time_zone", "country", "created_at")
CONDITION_KEYS = ("id", "label", "icd11_category", "body_sites", "onset_date", "end_date", "entered_at")


# Keys added to the format after documents were first written: older documents omit them and get these.
ADDED_KEYS: dict[str, Any] = {
    "alkaloid_source": "",
    "seven_oh_mg_per_unit": None,
    "concentrated_7oh": False,
    "shedding_rating": None,
    "country": "",
    "end_date": None,
}


def _shape(raw: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """record_shape, with the keys added to the format later optional and filled with their empty value."""
    required = tuple(k for k in keys if k not in ADDED_KEYS)
    optional = tuple(k for k in keys if k in ADDED_KEYS)
    data = record_shape(raw, path, required, optional)
    return {k: ADDED_KEYS[k] for k in optional} | data


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    items = doc.get(key, [])
    if not isinstance(items, list):
        raise DomainError("import.invalid_value", f"{key} must be a list", key)
    return items


def _values(model: type[models.Model], raw: dict[str, Any], names: tuple[str, ...], path: str) -> dict[str, Any]:
    return {name: coerce(field_for(model, name), raw[name], f"{path}.{name}") for name in names}


def _check_header(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise DomainError("import.invalid_value", "the document must be a JSON object", None)
    if doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise DomainError("import.wrong_format", f"expected format {FORMAT!r} version {VERSION}", "format")
    unknown = sorted(set(doc) - TOP_KEYS - set(SECTIONS))
    if unknown:
        raise DomainError("import.unknown_field", f"{unknown[0]} is not part of the format", unknown[0])
    return doc


def _create_patient(raw: dict[str, Any], actor: Any) -> Patient:
    data = _shape(raw, "patient", PATIENT_KEYS)
    values = _values(Patient, data, tuple(k for k in PATIENT_KEYS if k != "username"), "patient")
    username = data["username"]
    if not isinstance(username, str) or not username or len(username) > 150:
        raise DomainError("import.invalid_value", "patient.username must be a non-empty name", "patient.username")
    try:
        validate_patient(values)
    except DomainError as exc:
        raise with_path(exc, "patient") from exc
    if User.objects.filter(username=username).exists():
        raise DomainError("import.duplicate", f"a user named {username!r} already exists", "patient.username", 409)
    if Patient.objects.filter(id=values["id"]).exists():
        raise DomainError("import.duplicate", "a patient with this id already exists", "patient.id", 409)
    user = User.objects.create_user(username=username, password=None, role=Role.PATIENT)
    patient = Patient.objects.create(user=user, **values)
    return patient


def _check_unique_ids(doc: dict[str, Any]) -> None:
    seen: set[object] = set()
    for key in ("conditions", "therapies", *SPECS, *SECTIONS):
        for index, item in enumerate(_list(doc, key)):
            record_id = item.get("id") if isinstance(item, dict) else None
            if record_id in seen:
                raise DomainError("import.duplicate", f"{key}[{index}].id appears twice", f"{key}[{index}].id", 409)
            seen.add(record_id)


def _load_conditions(patient: Patient, items: list[Any]) -> None:
    rows = []
    for index, raw in enumerate(items):
        path = f"conditions[{index}]"
        values = _values(PainCondition, _shape(raw, path, CONDITION_KEYS), CONDITION_KEYS, path)
        try:
            validate_condition(values)
        except DomainError as exc:
            raise with_path(exc, path) from exc
        rows.append(PainCondition(patient=patient, **values))
    PainCondition.objects.bulk_create(rows)


def _load_therapies(patient: Patient, items: list[Any]) -> None:
    keys = ("id", *THERAPY_FIELDS, "entered_at")
    rows = []
    today = timezone.localdate()
    for index, raw in enumerate(items):
        path = f"therapies[{index}]"
        values = _values(Therapy, _shape(raw, path, keys), keys, path)
        values.update({k: "" for k in BLANKABLE if values.get(k) is None})
        try:
            validate_therapy(values, today)
        except DomainError as exc:
            raise with_path(exc, path) from exc
        rows.append(Therapy(patient=patient, **values))
    Therapy.objects.bulk_create(rows)


def _load_diary(patient: Patient, kind: str, items: list[Any], now: dt.datetime) -> None:
    spec = SPECS[kind]
    keys = ("id", "occurred_at", "entered_at", *spec.fields)
    rows = []
    therapies = therapy_index(patient)
    for index, raw in enumerate(items):
        path = f"{kind}[{index}]"
        values = _values(spec.model, _shape(raw, path, keys), keys, path)
        editable = {k: v for k, v in values.items() if k not in ("id", "entered_at")}
        try:
            spec.validate(editable, now)
            check_references(spec, editable, therapies)
        except DomainError as exc:
            raise with_path(exc, path) from exc
        if values["entered_at"] > now + dt.timedelta(minutes=5):
            raise DomainError("import.future_time", f"{path}.entered_at is in the future", f"{path}.entered_at")
        rows.append(spec.model(patient=patient, **values))
    spec.model.objects.bulk_create(rows, batch_size=1000)  # type: ignore[attr-defined]


@transaction.atomic
def import_patient(doc: Any, *, actor: Any = None) -> Patient:
    doc = _check_header(doc)
    _check_unique_ids(doc)
    if not isinstance(doc.get("synthetic", False), bool):
        raise DomainError("import.invalid_value", "synthetic must be true or false", "synthetic")
    patient = _create_patient(doc.get("patient"), actor)
    if doc.get("synthetic"):
        patient.synthetic = True
        patient.save(update_fields=["synthetic"])
    _load_conditions(patient, _list(doc, "conditions"))
    _load_therapies(patient, _list(doc, "therapies"))
    now = timezone.now()
    for kind in SPECS:
        _load_diary(patient, kind, _list(doc, kind), now)
    for key, section in SECTIONS.items():
        section.load(patient, _list(doc, key))
    audit_record(
        actor=actor, action="import", patient_key=patient.audit_key, object_type="patient", object_id=patient.id
    )
    return patient
