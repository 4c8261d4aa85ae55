"""Read a file for ``painwise evaluate``: a painwise export document or the simpler snapshot document
(docs/snapshot-format.md). Both become the same PatientSnapshot the app and the batch job evaluate.

The simple document's records get synthesised ids (their path, e.g. ``labs[0]``) and times (labs at
08:00 UTC, everything else at 12:00 UTC of the given date; the patient's zone is UTC). A malformed
field raises DomainError naming its path, e.g. ``labs[0].value``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from painwise.core.diary import SIDE_EFFECT_KINDS
from painwise.core.errors import DomainError
from painwise.core.exposure import SEVEN_OH_FORM
from painwise.core.instruments import codes, score
from painwise.core.labs import DEFAULT_CONFIG, LabConfig
from painwise.core.snapshot import EXPORT_FORMAT, PatientSnapshot, Profile, assemble, snapshot_from_export
from painwise.core.vocabularies import DoseStatus, DrugClass, KratomForm, Severity

SIMPLE_SECTIONS = ("medications", "alcohol", "kratom_doses", "pain", "instruments", "labs", "side_effects")
# assemble() names sections as the export does; errors are reported with the simple document's names.
EXPORT_TO_SIMPLE = {
    "therapies": "medications",
    "check_ins": "alcohol",
    "dose_events": "kratom_doses",
    "pain_entries": "pain",
    "questionnaire_responses": "instruments",
    "lab_results": "labs",
    "side_effects": "side_effects",
}
SEVEN_OH_WORDS = ("7-oh", "7oh", "7-hydroxy", "7 hydroxy")


def bad(path: str, message: str, code: str = "snapshot.invalid") -> DomainError:
    return DomainError(code, message, path)


def _date(value: Any, path: str) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise bad(path, f"must be a date YYYY-MM-DD, got {value!r}")


def _opt_date(value: Any, path: str) -> dt.date | None:
    return None if value is None else _date(value, path)


def _number(value: Any, path: str, low: float = -math.inf, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise bad(path, f"must be a number, got {value!r}")
    if not low <= value <= high:
        raise bad(path, f"must be between {low:g} and {high:g}, got {value!r}")
    return float(value)


def _int(value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad(path, f"must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise bad(path, f"must be between {low} and {high}, got {value!r}")
    return value


def _text(value: Any, path: str, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise bad(path, f"must be {'a non-empty' if required else 'a'} string, got {value!r}")
    return value.strip()


def _choice(value: Any, choices: tuple[str, ...] | list[str], path: str) -> str:
    if value not in choices:
        raise bad(path, f"must be one of {', '.join(choices)}, got {value!r}", "snapshot.invalid_choice")
    return str(value)


def _need(record: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in record or record[key] is None:
        raise bad(f"{path}.{key}", f"{key} is required", "snapshot.missing")
    return record[key]


def _records(document: Mapping[str, Any], section: str) -> list[tuple[str, Mapping[str, Any]]]:
    items = document.get(section)
    if items is None:
        return []
    if not isinstance(items, list):
        raise bad(section, "must be a list")
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise bad(f"{section}[{index}]", "must be an object")
    return [(f"{section}[{index}]", item) for index, item in enumerate(items)]


def _at(day: dt.date, hour: int = 12) -> str:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC).isoformat()


def is_simple(document: Any) -> bool:
    return isinstance(document, Mapping) and document.get("format") != EXPORT_FORMAT


def snapshot_from_simple(document: Mapping[str, Any], lab_config: LabConfig = DEFAULT_CONFIG) -> PatientSnapshot:
    """The PatientSnapshot of a simple snapshot document (docs/snapshot-format.md)."""
    if not isinstance(document, Mapping):
        raise bad("", "the document must be a JSON object")
    patient = document.get("patient")
    if not isinstance(patient, Mapping):
        raise bad("patient", "patient must be an object with sex and birth_date", "snapshot.missing")
    profile = Profile(
        id="snapshot",
        username="",
        date_of_birth=_date(_need(patient, "birth_date", "patient"), "patient.birth_date"),
        sex=_choice(_need(patient, "sex", "patient"), ("female", "male"), "patient.sex"),
        time_zone="UTC",
    )
    if "as_of" in document and document["as_of"] is not None:
        _date(document["as_of"], "as_of")
    plan_start = _opt_date(document.get("plan_start"), "plan_start")
    plan = [_medication(path, item) for path, item in _records(document, "medications")]
    doses, products = _kratom(document)
    plan += products
    rows: dict[str, Callable[[str, Mapping[str, Any]], dict[str, Any]]] = {
        "alcohol": _alcohol,
        "pain": _pain,
        "instruments": _instrument,
        "labs": _lab,
        "side_effects": _side_effect,
    }
    built = {
        section: [make(path, item) for path, item in _records(document, section)] for section, make in rows.items()
    }
    try:
        return assemble(
            profile,
            plan=plan,
            check_ins=built["alcohol"],
            doses=doses,
            pain=built["pain"],
            questionnaires=built["instruments"],
            labs=built["labs"],
            side_effects=built["side_effects"],
            lab_config=lab_config,
            plan_start=plan_start,
        )
    except DomainError as error:
        field = error.field or ""
        for export_name, simple_name in EXPORT_TO_SIMPLE.items():
            if field.startswith(export_name + "["):
                field = simple_name + field[len(export_name) :]
                break
        # Field names inside a record follow the simple document where they differ.
        field = (
            field.replace(".collected_at", ".date")
            .replace(".occurred_at", ".date")
            .replace(".completed_at", ".date")
            .replace(".kind", ".type")
        )
        raise DomainError(error.code, error.message, field) from error


def _medication(path: str, item: Mapping[str, Any]) -> dict[str, Any]:
    start = _date(_need(item, "start", path), f"{path}.start")
    end = _opt_date(item.get("end"), f"{path}.end")
    if end is not None and end < start:
        raise bad(f"{path}.end", "end is before start")
    return {
        "id": path,
        "kind": "medication",
        "name": _text(_need(item, "name", path), f"{path}.name", required=True),
        "start_date": start,
        "stop_date": end,
        "drug_class": _choice(item.get("class") or "other", DrugClass.values(), f"{path}.class"),
    }


def _kratom(document: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Dose rows and one plan product per distinct product name (grams of product per dose)."""
    doses: list[dict[str, Any]] = []
    spans: dict[str, list[Any]] = {}
    for path, item in _records(document, "kratom_doses"):
        day = _date(_need(item, "date", path), f"{path}.date")
        grams = _number(_need(item, "grams", path), f"{path}.grams", 0, 100)
        name = _text(item.get("product"), f"{path}.product") or "kratom"
        form = item.get("form")
        if form is not None:
            form = _choice(form, KratomForm.values(), f"{path}.form")
        elif any(word in name.lower() for word in SEVEN_OH_WORDS):
            form = SEVEN_OH_FORM
        status = _choice(item.get("status") or "taken", DoseStatus.values(), f"{path}.status")
        span = spans.setdefault(name, [day, form or "leaf_powder"])
        span[0] = min(span[0], day)
        doses.append(
            {"id": path, "occurred_at": _at(day), "product_id": f"kratom:{name}", "amount": grams, "unit": "g"}
            | {"status": status}
        )
    products = [
        {
            "id": f"kratom:{name}",
            "kind": "kratom",
            "name": name,
            "start_date": first,
            "stop_date": None,  # use is read from the doses (painwise.core.rules.base.kratom_in_use)
            "form": form,
            "unit": "g",
            "leaf_g_per_unit": None if form in (SEVEN_OH_FORM, "extract") else 1,
        }
        for name, (first, form) in sorted(spans.items())
    ]
    return doses, products


def _alcohol(path: str, item: Mapping[str, Any]) -> dict[str, Any]:
    day = _date(_need(item, "date", path), f"{path}.date")
    return {
        "id": path,
        "occurred_at": _at(day),
        "alcoholic_drinks": _int(_need(item, "drinks", path), f"{path}.drinks", 0, 100),
    }


def _pain(path: str, item: Mapping[str, Any]) -> dict[str, Any]:
    day = _date(_need(item, "date", path), f"{path}.date")
    return {
        "id": path,
        "occurred_at": _at(day),
        "nrs": _int(_need(item, "nrs", path), f"{path}.nrs", 0, 10),
        "body_site": _text(item.get("site"), f"{path}.site") or "unspecified",
    }


def _instrument(path: str, item: Mapping[str, Any]) -> dict[str, Any]:
    code = _choice(_need(item, "code", path), codes(), f"{path}.code")
    day = _date(_need(item, "date", path), f"{path}.date")
    answers = _need(item, "answers", path)
    if not isinstance(answers, list):
        raise bad(f"{path}.answers", "answers must be a list")
    try:
        result = score(code, answers)
    except DomainError as error:
        raise DomainError(error.code, error.message, f"{path}.answers") from error
    return {
        "id": path,
        "code": code,
        "answers": answers,
        "completed_at": _at(day),
        "total": result.total,
        "band": result.band,
        "subscales": dict(result.subscales),
        "flags": list(result.flags),
        "answered": result.answered,
    }


def _lab(path: str, item: Mapping[str, Any]) -> dict[str, Any]:
    day = _date(_need(item, "date", path), f"{path}.date")
    low, high = item.get("ref_low"), item.get("ref_high")
    return {
        "id": path,
        "analyte": _text(_need(item, "analyte", path), f"{path}.analyte", required=True),
        "value": _number(_need(item, "value", path), f"{path}.value", 0),
        "unit": _text(_need(item, "unit", path), f"{path}.unit", required=True),
        "ref_low": None if low is None else _number(low, f"{path}.ref_low", 0),
        "ref_high": None if high is None else _number(high, f"{path}.ref_high", 0),
        "collected_at": _at(day, 8),
    }


def _side_effect(path: str, item: Mapping[str, Any]) -> dict[str, Any]:
    day = _date(_need(item, "date", path), f"{path}.date")
    kind = _choice(_need(item, "type", path), SIDE_EFFECT_KINDS, f"{path}.type")
    grade = item.get("grade")
    if grade is not None:
        if kind != "hair_shedding":
            raise bad(f"{path}.grade", "grade (CTCAE) applies to hair_shedding only")
        _int(grade, f"{path}.grade", 1, 2)
    severity = item.get("severity")
    if severity is not None:
        _choice(severity, Severity.values(), f"{path}.severity")
    return {
        "id": path,
        "occurred_at": _at(day),
        "kind": kind,
        "severity": severity,
        "ctcae_grade": grade,
        "onset_date": _opt_date(item.get("onset"), f"{path}.onset"),
        "free_text": _text(item.get("note"), f"{path}.note"),
    }


def snapshot_from_document(
    document: Any, lab_config: LabConfig = DEFAULT_CONFIG
) -> tuple[PatientSnapshot, dt.date | None]:
    """The snapshot of either kind of document, and the document's own as_of (simple documents only)."""
    if not isinstance(document, Mapping):
        raise bad("", "the document must be a JSON object")
    if is_simple(document):
        snapshot = snapshot_from_simple(document, lab_config)
        as_of = document.get("as_of")
        return snapshot, None if as_of is None else dt.date.fromisoformat(as_of)
    return snapshot_from_export(document, lab_config), None
