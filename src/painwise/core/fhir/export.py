"""PatientSnapshot (+ open flags) -> a FHIR R4 Bundle, as plain JSON-ready dicts. Pure: no Django.

Every resource id is the painwise record id (a UUID) or, for resources derived from a record (a
questionnaire's score Observation, a hair-shedding grade), a UUID5 of it, so two exports of the same
record are identical. docs/fhir.md lists what maps to what.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from painwise.core.fhir import codes as c
from painwise.core.instruments import get as get_instrument
from painwise.core.labs import get_analyte
from painwise.core.snapshot import (
    CheckIn,
    Condition,
    DoseRecord,
    LabResult,
    PainEntry,
    PatientSnapshot,
    PlanItem,
    QuestionnaireResult,
    SessionRecord,
    SideEffect,
)

Resource = dict[str, Any]
DERIVED = uuid.UUID("6f0c2b1e-9a55-4a57-9d1e-2c1f6d0b7a10")  # namespace of derived resource ids

# Which access scope each kind of resource belongs to (painwise.patients.access scopes).
SCOPE_OF = {
    "conditions": "diary",
    "plan": "plan",
    "pain": "diary",
    "check_ins": "diary",
    "doses": "diary",
    "sessions": "diary",
    "side_effects": "diary",
    "labs": "labs",
    "questionnaires": "questionnaires",
}


@dataclass(frozen=True)
class FlagRecord:
    """An open monitoring flag as FHIR and CDS Hooks need it (from painwise.monitoring)."""

    id: str
    rule_id: str
    severity: str
    title: str
    evidence: str
    consider: str
    created_at: dt.datetime
    rationale: str = ""
    citation: str = ""


def derived_id(record_id: str, what: str) -> str:
    return str(uuid.uuid5(DERIVED, f"{record_id}:{what}"))


def scoped(snapshot: PatientSnapshot, scopes: Iterable[str]) -> PatientSnapshot:
    """The snapshot with the sections outside `scopes` emptied (the patient resource always stays)."""
    allowed = set(scopes)
    empty = {name: () for name, scope in SCOPE_OF.items() if scope not in allowed}
    return replace(snapshot, **empty)  # type: ignore[arg-type]


# --- small builders -------------------------------------------------------------------------------


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _concept(*codings: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": list(codings)}
    if text:
        out["text"] = text
    return out


def _when(moment: dt.datetime) -> str:
    # Snapshot times are already UTC (core.snapshot._moment); convert only what is not.
    return (moment if moment.tzinfo is dt.UTC else moment.astimezone(dt.UTC)).isoformat()


def _ext(url: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": url, f"value{kind}": value}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _ref(resource_type: str, record_id: str) -> dict[str, str]:
    return {"reference": f"{resource_type}/{record_id}"}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [_concept(_coding(c.OBSERVATION_CATEGORY, code, display))]


# --- resources ------------------------------------------------------------------------------------


def patient_resource(snapshot: PatientSnapshot) -> Resource:
    p = snapshot.profile
    resource: Resource = {
        "resourceType": "Patient",
        "id": p.id,
        "identifier": [{"system": c.USERNAME_SYSTEM, "value": p.username}],
        "birthDate": p.date_of_birth.isoformat(),
        "gender": p.sex if p.sex in ("female", "male") else "unknown",
        "extension": [
            _ext(c.BIRTH_SEX_EXTENSION, "Code", {"female": "F", "male": "M"}.get(p.sex, "UNK")),
            _ext(c.TZ_EXTENSION, "Code", p.time_zone),
        ],
    }
    if p.synthetic:
        resource["meta"] = {"tag": [_coding(c.ACT_REASON, "HTEST", "test health data")]}
    return resource


def condition_resource(condition: Condition, subject: dict[str, str]) -> Resource:
    icd_code, icd_label = c.ICD11_CODES[condition.icd11_category]
    sites = [
        _concept(_coding(c.BODY_SITE, site, c.display(site)), text=c.display(site)) for site in condition.body_sites
    ]
    resource: Resource = {
        "resourceType": "Condition",
        "id": condition.id,
        "clinicalStatus": _concept(_coding(c.CONDITION_CLINICAL, "active", "Active")),
        "category": [_concept(_coding(c.CONDITION_CATEGORY, "problem-list-item", "Problem List Item"))],
        "code": _concept(
            _coding(c.ICD11, icd_code, icd_label),
            _coding(c.SNOMED, *c.CHRONIC_PAIN_SNOMED),
            text=condition.label,
        ),
        "subject": subject,
        "onsetDateTime": condition.onset_date.isoformat(),
    }
    if sites:
        resource["bodySite"] = sites
    return resource


def _period(item: PlanItem) -> dict[str, str]:
    period = {"start": item.start_date.isoformat()}
    if item.stop_date is not None:
        period["end"] = item.stop_date.isoformat()
    return period


def _plan_status(item: PlanItem, today: dt.date) -> str:
    return "completed" if item.stop_date is not None and item.stop_date < today else "active"


def _medication(item: PlanItem | None, product_id: str | None = None) -> dict[str, Any]:
    if item is None:  # a dose of a product the caller may not see (plan scope not granted)
        return _concept(_coding(c.THERAPY_KIND, "kratom", c.THERAPY_DISPLAY["kratom"]), text="Kratom product")
    codings = [_coding(c.THERAPY_KIND, item.kind, c.THERAPY_DISPLAY.get(item.kind))]
    if item.drug_class:
        codings.append(_coding(c.DRUG_CLASS, item.drug_class, c.display(item.drug_class)))
    return _concept(*codings, text=item.name)


def medication_statement(item: PlanItem, subject: dict[str, str], today: dt.date) -> Resource:
    extensions = []
    if item.strain:
        extensions.append(_ext(c.EXT_STRAIN, "String", item.strain))
    if item.form:
        extensions.append(_ext(c.EXT_FORM, "Code", item.form))
    if item.unit:
        extensions.append(_ext(c.EXT_UNIT, "Code", item.unit))
    if item.leaf_g_per_unit is not None:
        extensions.append(_ext(c.EXT_LEAF_G, "Decimal", item.leaf_g_per_unit))
    if item.mitragynine_mg_per_g is not None:
        extensions.append(_ext(c.EXT_MITRAGYNINE, "Decimal", item.mitragynine_mg_per_g))
    resource: Resource = {
        "resourceType": "MedicationStatement",
        "id": item.id,
        "status": _plan_status(item, today),
        "medicationCodeableConcept": _medication(item),
        "subject": subject,
        "effectivePeriod": _period(item),
    }
    if extensions:
        resource["extension"] = extensions
    return resource


def dose_statement(dose: DoseRecord, product: PlanItem | None, subject: dict[str, str]) -> Resource:
    ucum, unit_label = c.DOSE_UCUM[dose.unit]
    resource: Resource = {
        "resourceType": "MedicationStatement",
        "id": dose.id,
        "extension": [_ext(c.EXT_DOSE_STATUS, "Code", dose.status)],
        "partOf": [_ref("MedicationStatement", dose.product_id)],
        "status": "not-taken" if dose.status == "skipped" else "completed",
        "medicationCodeableConcept": _medication(product),
        "subject": subject,
        "effectiveDateTime": _when(dose.occurred_at),
        "dosage": [
            {
                "asNeededBoolean": dose.status == "as_needed",
                "doseAndRate": [
                    {
                        "doseQuantity": {
                            "value": _number(dose.amount),
                            "unit": unit_label,
                            "system": c.UCUM,
                            "code": ucum,
                        }
                    }
                ],
            }
        ],
    }
    return resource


def course_procedure(item: PlanItem, subject: dict[str, str], today: dt.date) -> Resource:
    """A PT/CBT/mindfulness (or other) course in the plan; its sessions are Procedures partOf it."""
    return {
        "resourceType": "Procedure",
        "id": item.id,
        "status": "completed" if _plan_status(item, today) == "completed" else "in-progress",
        "category": _concept(_coding(c.THERAPY_KIND, "plan", "Treatment plan course")),
        "code": _concept(_coding(c.THERAPY_KIND, item.kind, c.THERAPY_DISPLAY.get(item.kind)), text=item.name),
        "subject": subject,
        "performedPeriod": _period(item),
    }


def session_procedure(session: SessionRecord, subject: dict[str, str]) -> Resource:
    extensions = [_ext(c.EXT_HOME_PRACTICE, "Boolean", session.home_practice)]
    if session.minutes is not None:
        extensions.append(_ext(c.EXT_MINUTES, "Integer", session.minutes))
    resource: Resource = {
        "resourceType": "Procedure",
        "id": session.id,
        "extension": extensions,
        "status": "not-done" if session.status == "skipped" else "completed",
        "category": _concept(_coding(c.THERAPY_KIND, "session", "Therapy session")),
        "code": _concept(
            _coding(c.THERAPY_KIND, session.modality, c.THERAPY_DISPLAY.get(session.modality)),
            text=c.THERAPY_DISPLAY.get(session.modality),
        ),
        "subject": subject,
        "performedDateTime": _when(session.occurred_at),
    }
    if session.therapy_id:
        resource["partOf"] = [_ref("Procedure", session.therapy_id)]
    return resource


def pain_observation(entry: PainEntry, subject: dict[str, str]) -> Resource:
    resource: Resource = {
        "resourceType": "Observation",
        "id": entry.id,
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _concept(_coding(c.LOINC, *c.PAIN_NRS), text="Pain intensity (0-10 NRS)"),
        "subject": subject,
        "effectiveDateTime": _when(entry.occurred_at),
        "valueInteger": entry.nrs,
        "bodySite": _concept(_coding(c.BODY_SITE, entry.body_site, c.display(entry.body_site))),
    }
    if entry.qualities:
        resource["component"] = [
            {
                "code": _concept(_coding(c.OBSERVATION_CODES, "pain-quality", "Pain quality")),
                "valueCodeableConcept": _concept(_coding(c.PAIN_QUALITY, quality, c.display(quality))),
            }
            for quality in entry.qualities
        ]
    return resource


def check_in_observation(check_in: CheckIn, subject: dict[str, str]) -> Resource:
    components = []
    for name, (label, unit) in c.CHECK_IN_ITEMS.items():
        value = getattr(check_in, name)
        if value is None:
            continue
        component: dict[str, Any] = {"code": _concept(_coding(c.OBSERVATION_CODES, name, label))}
        if unit is None:
            component["valueInteger"] = int(value)
        else:
            component["valueQuantity"] = {"value": _number(value), "unit": unit, "system": c.UCUM, "code": unit}
        components.append(component)
    return {
        "resourceType": "Observation",
        "id": check_in.id,
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _concept(_coding(c.OBSERVATION_CODES, *c.CHECK_IN_PANEL)),
        "subject": subject,
        "effectiveDateTime": _when(check_in.occurred_at),
        "component": components,
    }


def adverse_event(effect: SideEffect, subject: dict[str, str]) -> Resource:
    """A side effect as reported. No suspectEntity: painwise records, it does not attribute causes."""
    extensions = []
    if effect.ctcae_grade is not None:
        extensions.append(_ext(c.EXT_CTCAE_GRADE, "Integer", effect.ctcae_grade))
    if effect.onset_date is not None:
        extensions.append(_ext(c.EXT_ONSET, "Date", effect.onset_date.isoformat()))
    if effect.resolved_date is not None:
        extensions.append(_ext(c.EXT_RESOLVED, "Date", effect.resolved_date.isoformat()))
    if effect.free_text:
        extensions.append(_ext(c.EXT_FREE_TEXT, "String", effect.free_text))
    resource: Resource = {
        "resourceType": "AdverseEvent",
        "id": effect.id,
        "actuality": "actual",
        "event": _concept(_coding(c.SIDE_EFFECT, effect.kind, c.display(effect.kind))),
        "subject": subject,
        "date": _when(effect.occurred_at),
        "outcome": _concept(
            _coding(c.AE_OUTCOME, *(("resolved", "Resolved") if effect.resolved_date else ("ongoing", "Ongoing")))
        ),
    }
    if extensions:
        resource["extension"] = extensions
    if effect.severity:
        resource["severity"] = _concept(_coding(c.AE_SEVERITY, effect.severity, effect.severity.capitalize()))
    return resource


def hair_grade_observation(effect: SideEffect, subject: dict[str, str]) -> Resource:
    return {
        "resourceType": "Observation",
        "id": derived_id(effect.id, "hair-grade"),
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _concept(_coding(c.OBSERVATION_CODES, *c.HAIR_SHEDDING_GRADE)),
        "subject": subject,
        "focus": [_ref("AdverseEvent", effect.id)],
        "effectiveDateTime": _when(effect.occurred_at),
        "valueInteger": effect.ctcae_grade,
    }


def _quantity(value: float, ucum: str, label: str) -> dict[str, Any]:
    return {"value": _number(value), "unit": label, "system": c.UCUM, "code": ucum}


def lab_observation(lab: LabResult, subject: dict[str, str]) -> Resource:
    reading = lab.interpretation
    analyte = get_analyte(lab.analyte)
    spec = analyte.unit(reading.unit)
    codings = []
    if reading.loinc:
        name = next(code.name for code in analyte.loinc if code.code == reading.loinc)
        codings.append(_coding(c.LOINC, reading.loinc, name))
    codings.append(_coding(c.ANALYTE, analyte.short_name, analyte.display_name))
    resource: Resource = {
        "resourceType": "Observation",
        "id": lab.id,
        "status": "final",
        "category": _category("laboratory", "Laboratory"),
        "code": _concept(*codings, text=analyte.display_name),
        "subject": subject,
        "effectiveDateTime": _when(lab.collected_at),
        "valueQuantity": _quantity(lab.value, spec.ucum, spec.label),
    }
    if lab.ref_low is not None or lab.ref_high is not None:
        ref: dict[str, Any] = {"text": "as reported by the lab"}
        if lab.ref_low is not None:
            ref["low"] = _quantity(lab.ref_low, spec.ucum, spec.label)
        if lab.ref_high is not None:
            ref["high"] = _quantity(lab.ref_high, spec.ucum, spec.label)
        resource["referenceRange"] = [ref]
    elif reading.range_used is not None:
        canonical = analyte.unit(analyte.canonical_unit)
        ref = {
            "type": _concept(_coding(c.RANGE_SOURCE, "catalogue", "painwise catalogue default")),
            "text": f"painwise catalogue default ({reading.range_used.get('basis') or 'typical adult values'})",
        }
        if reading.range_used.get("low") is not None:
            ref["low"] = _quantity(reading.range_used["low"], canonical.ucum, canonical.label)
        if reading.range_used.get("high") is not None:
            ref["high"] = _quantity(reading.range_used["high"], canonical.ucum, canonical.label)
        resource["referenceRange"] = [ref]
    if reading.status in c.INTERPRETATION_CODES:
        resource["interpretation"] = [_concept(_coding(c.INTERPRETATION, *c.INTERPRETATION_CODES[reading.status]))]
    if lab.lab_name:
        resource["extension"] = [_ext(c.EXT_LAB_NAME, "String", lab.lab_name)]
    if lab.note:
        resource["note"] = [{"text": lab.note}]
    return resource


def questionnaire_response(result: QuestionnaireResult, subject: dict[str, str]) -> Resource:
    instrument = get_instrument(result.code)
    items = []
    for number, answer in enumerate(result.answers, start=1):
        item: dict[str, Any] = {"linkId": str(number), "text": instrument.items[number - 1].label}
        if answer is not None:
            item["answer"] = [{"valueInteger": int(answer)}]
        items.append(item)
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": result.id,
        "questionnaire": f"{c.QUESTIONNAIRE}/{instrument.code}",
        "status": "completed",
        "subject": subject,
        "authored": _when(result.completed_at),
        "item": items,
    }
    if result.entered_by_role:
        resource["extension"] = [_ext(c.EXT_ENTERED_BY_ROLE, "Code", result.entered_by_role)]
    return resource


def score_observation(result: QuestionnaireResult, subject: dict[str, str]) -> Resource | None:
    """The total (and item answers as components) of a scored questionnaire; None when not scorable."""
    if result.total is None:
        return None
    instrument = get_instrument(result.code)
    loinc = dict(instrument.loinc or {})
    codings = [_coding(c.INSTRUMENT, instrument.code, f"{instrument.name} total score")]
    if "total" in loinc:
        codings.insert(0, _coding(c.LOINC, loinc["total"], f"{instrument.name} total score"))
    components = []
    for number, answer in enumerate(result.answers, start=1):
        if answer is None:
            continue
        item_codings = [_coding(c.INSTRUMENT, f"{instrument.code}-{number}", instrument.items[number - 1].label)]
        if loinc.get(f"item_{number}"):
            item_codings.insert(0, _coding(c.LOINC, loinc[f"item_{number}"], instrument.items[number - 1].label))
        components.append({"code": _concept(*item_codings), "valueInteger": int(answer)})
    resource: Resource = {
        "resourceType": "Observation",
        "id": derived_id(result.id, "score"),
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _concept(*codings, text=f"{instrument.name} total score"),
        "subject": subject,
        "effectiveDateTime": _when(result.completed_at),
        "derivedFrom": [_ref("QuestionnaireResponse", result.id)],
        "valueQuantity": {"value": _number(result.total), "unit": "{score}", "system": c.UCUM, "code": "{score}"},
    }
    if result.band:
        resource["interpretation"] = [{"text": result.band}]
    if components:
        resource["component"] = components
    return resource


def flag_resource(flag: FlagRecord, subject: dict[str, str]) -> Resource:
    extensions = [_ext(c.EXT_FLAG_SEVERITY, "Code", flag.severity)]
    if flag.evidence:
        extensions.append(_ext(c.EXT_EVIDENCE, "String", flag.evidence))
    if flag.consider:
        extensions.append(_ext(c.EXT_CONSIDER, "String", flag.consider))
    return {
        "resourceType": "Flag",
        "id": flag.id,
        "extension": extensions,
        "status": "active",
        "code": _concept(_coding(c.RULE, flag.rule_id), text=flag.title),
        "subject": subject,
        "period": {"start": _when(flag.created_at)},
    }


# --- the bundle -----------------------------------------------------------------------------------


def resources(
    snapshot: PatientSnapshot, flags: Sequence[FlagRecord] = (), today: dt.date | None = None
) -> list[Resource]:
    """Every resource of the snapshot, the Patient first, in a stable order."""
    day = today or dt.datetime.now(dt.UTC).date()
    subject = _ref("Patient", snapshot.profile.id)
    products = {item.id: item for item in snapshot.plan}
    out: list[Resource] = [patient_resource(snapshot)]
    out += [condition_resource(condition, subject) for condition in snapshot.conditions]
    for item in snapshot.plan:
        if item.kind in c.MEDICATION_KINDS:
            out.append(medication_statement(item, subject, day))
        else:
            out.append(course_procedure(item, subject, day))
    out += [dose_statement(dose, products.get(dose.product_id), subject) for dose in snapshot.doses]
    out += [session_procedure(session, subject) for session in snapshot.sessions]
    out += [pain_observation(entry, subject) for entry in snapshot.pain]
    out += [check_in_observation(check_in, subject) for check_in in snapshot.check_ins]
    for effect in snapshot.side_effects:
        out.append(adverse_event(effect, subject))
        if effect.kind == "hair_shedding" and effect.ctcae_grade is not None:
            out.append(hair_grade_observation(effect, subject))
    out += [lab_observation(lab, subject) for lab in snapshot.labs]
    for result in snapshot.questionnaires:
        out.append(questionnaire_response(result, subject))
        score = score_observation(result, subject)
        if score is not None:
            out.append(score)
    out += [flag_resource(flag, subject) for flag in flags]
    return out


def snapshot_to_bundle(
    snapshot: PatientSnapshot,
    flags: Sequence[FlagRecord] = (),
    *,
    bundle_type: str = "collection",
    timestamp: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Resource:
    """The patient as a FHIR R4 Bundle: ``collection`` (a file), ``searchset`` ($everything) or
    ``transaction`` (PUT every resource with its id: POST it to another FHIR server's base URL)."""
    if bundle_type not in ("collection", "searchset", "transaction"):
        raise ValueError(f"unsupported bundle type {bundle_type!r}")
    entries = []
    for resource in resources(snapshot, flags, today):
        entry: dict[str, Any] = {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
        if bundle_type == "transaction":
            entry["request"] = {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"}
        elif bundle_type == "searchset":
            entry["search"] = {"mode": "match" if resource["resourceType"] == "Patient" else "include"}
        entries.append(entry)
    bundle: Resource = {
        "resourceType": "Bundle",
        "id": derived_id(snapshot.profile.id, "bundle"),
        "type": bundle_type,
        "timestamp": _when(timestamp or dt.datetime.now(dt.UTC)),
        "entry": entries,
    }
    if bundle_type == "searchset":
        bundle["total"] = 1
    return bundle
