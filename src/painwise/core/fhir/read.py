"""A FHIR R4 Bundle -> a painwise export document (docs/import-format.md), with a report of what was
skipped and why. Pure: no Django. The Django side hands the document to the all-or-nothing importer.

Two uses:
- ``bundle_to_export``: a whole patient (painwise's own export, or another system's) becomes a new
  patient's document. Resources painwise cannot represent (unknown codes or units, other resource
  types) are skipped and listed; everything kept goes through the importer's validation, so an
  invalid record aborts the import with nothing stored.
- ``lab_records``: lab Observations from another system for an existing patient.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from painwise.core.errors import DomainError
from painwise.core.fhir import codes as c
from painwise.core.fhir.export import DERIVED
from painwise.core.fhir.validate import validation_error
from painwise.core.instruments import codes as instrument_codes
from painwise.core.instruments import get as get_instrument
from painwise.core.instruments import score
from painwise.core.labs import convert, interpret, resolve_analyte, resolve_unit
from painwise.core.snapshot import Profile

Resource = Mapping[str, Any]
TOTAL_LOINC = {
    code: instrument.loinc["total"]
    for code in instrument_codes()
    if (instrument := get_instrument(code)).loinc and "total" in instrument.loinc
}
TOTAL_LOINC_CODES = set(TOTAL_LOINC.values())


class Skip(Exception):
    """A resource painwise does not import; the message says why."""


@dataclass
class ImportReport:
    imported: Counter[str] = field(default_factory=Counter)
    skipped: list[dict[str, str]] = field(default_factory=list)
    # export-document path of each record ("pain_entries[3]") -> the resource it came from
    origins: dict[str, str] = field(default_factory=dict)

    def skip(self, resource: Resource, reason: str) -> None:
        self.skipped.append({"resource": label(resource), "reason": reason})

    def to_dict(self) -> dict[str, Any]:
        return {"imported": dict(sorted(self.imported.items())), "skipped": list(self.skipped)}


def label(resource: Resource) -> str:
    return f"{resource.get('resourceType', '?')}/{resource.get('id', '?')}"


# --- reading values -------------------------------------------------------------------------------


def record_id(resource_type: str, raw_id: Any) -> str:
    """The painwise id for a resource id: itself when a UUID, else a stable UUID5 of it."""
    text = str(raw_id or "")
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return str(uuid.uuid5(DERIVED, f"{resource_type}/{text}"))


class References:
    """Resolves references inside the bundle (``Type/id``, ``urn:uuid:…``, absolute URLs, fullUrls)."""

    def __init__(self, entries: list[tuple[str | None, Resource]]) -> None:
        self.by_url: dict[str, tuple[str, str]] = {}
        for full_url, resource in entries:
            key = (str(resource.get("resourceType")), str(resource.get("id") or ""))
            if full_url:
                self.by_url[full_url] = key
            self.by_url[f"{key[0]}/{key[1]}"] = key

    def target(self, reference: Any) -> tuple[str, str] | None:
        text = reference.get("reference") if isinstance(reference, Mapping) else None
        if not isinstance(text, str) or not text:
            return None
        if text in self.by_url:
            return self.by_url[text]
        if text.startswith("urn:uuid:"):
            return None
        parts = text.rstrip("/").split("/")
        if "_history" in parts:
            parts = parts[: parts.index("_history")]
        return (parts[-2], parts[-1]) if len(parts) >= 2 else None

    def id_of(self, reference: Any, resource_type: str) -> str | None:
        found = self.target(reference)
        if found is None or found[0] != resource_type:
            return None
        return record_id(found[0], found[1])


def codings(concept: Any) -> list[Mapping[str, Any]]:
    if not isinstance(concept, Mapping):
        return []
    return [coding for coding in concept.get("coding") or [] if isinstance(coding, Mapping)]


def code_in(concept: Any, system: str) -> str | None:
    return next((str(cd["code"]) for cd in codings(concept) if cd.get("system") == system and cd.get("code")), None)


def extension(resource: Resource, url: str, kind: str) -> Any:
    for ext in resource.get("extension") or []:
        if isinstance(ext, Mapping) and ext.get("url") == url:
            return ext.get(f"value{kind}")
    return None


def moment(value: Any, what: str) -> str:
    """An ISO date-time with offset in UTC; a date-only value is read as midnight UTC."""
    if not isinstance(value, str) or not value:
        raise Skip(f"{what} is missing")
    text = value.replace("Z", "+00:00")
    try:
        if len(text) == 10:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=dt.UTC)
        else:
            parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise Skip(f"{what} {value!r} is not a date-time painwise can read") from exc
    if parsed.tzinfo is None:
        raise Skip(f"{what} {value!r} has no time zone")
    return parsed.astimezone(dt.UTC).isoformat()


def day(value: Any, what: str) -> str:
    if not isinstance(value, str) or len(value) < 10:
        raise Skip(f"{what} is missing")
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError as exc:
        raise Skip(f"{what} {value!r} is not a date") from exc


def number(value: Any) -> float | int:
    as_float = float(value)
    return int(as_float) if as_float.is_integer() and not isinstance(value, float) else as_float


def integer_value(resource: Resource, what: str) -> int:
    if isinstance(resource.get("valueInteger"), int):
        return int(resource["valueInteger"])
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, Mapping) and quantity.get("value") is not None:
        value = float(quantity["value"])
        if value.is_integer():
            return int(value)
    raise Skip(f"{what} needs a whole-number value")


# --- the patient ----------------------------------------------------------------------------------


def patient_record(resource: Resource, now: dt.datetime) -> dict[str, Any]:
    identifiers = [i for i in resource.get("identifier") or [] if isinstance(i, Mapping) and i.get("value")]
    ours = [i for i in identifiers if i.get("system") == c.USERNAME_SYSTEM]
    picks = ours or identifiers
    username = str(picks[0]["value"]) if picks else f"fhir-{str(resource.get('id'))[:8]}"
    sex = {"F": "female", "M": "male"}.get(str(extension(resource, c.BIRTH_SEX_EXTENSION, "Code")))
    sex = sex or (resource.get("gender") if resource.get("gender") in ("female", "male") else None)
    if sex is None:
        raise DomainError(
            "fhir.missing_sex",
            "Patient needs gender female or male (or the US Core birthsex extension): lab ranges depend on it",
            "Patient.gender",
        )
    if not resource.get("birthDate") or len(str(resource["birthDate"])) != 10:
        raise DomainError("fhir.missing_birth_date", "Patient.birthDate (YYYY-MM-DD) is required", "Patient.birthDate")
    return {
        "id": record_id("Patient", resource.get("id")),
        "username": username,
        "date_of_birth": str(resource["birthDate"]),
        "sex_at_birth": sex,
        "time_zone": str(extension(resource, c.TZ_EXTENSION, "Code") or "UTC"),
        "created_at": now.astimezone(dt.UTC).isoformat(),
    }


def is_synthetic(resource: Resource) -> bool:
    tags = (resource.get("meta") or {}).get("tag") or []
    return any(isinstance(t, Mapping) and t.get("system") == c.ACT_REASON and t.get("code") == "HTEST" for t in tags)


# --- records --------------------------------------------------------------------------------------


def condition_record(resource: Resource) -> dict[str, Any]:
    icd = code_in(resource.get("code"), c.ICD11)
    category = c.ICD11_BY_CODE.get(icd or "")
    if category is None:
        raise Skip(f"no ICD-11 chronic pain code painwise knows (got {icd!r}; accepted: {', '.join(c.ICD11_BY_CODE)})")
    sites = []
    for concept in resource.get("bodySite") or []:
        site = code_in(concept, c.BODY_SITE)
        sites.append(site if site in c.BODY_SITE_CODES else "other")
    onset = resource.get("onsetDateTime") or (resource.get("onsetPeriod") or {}).get("start")
    text = (resource.get("code") or {}).get("text") or c.ICD11_CODES[category][1]
    return {
        "id": record_id("Condition", resource.get("id")),
        "label": str(text)[:200],
        "icd11_category": category,
        "body_sites": sites,
        "onset_date": day(onset, "onsetDateTime"),
    }


def _period(resource: Resource, key: str) -> tuple[str, str | None]:
    period = resource.get(key) or {}
    start = period.get("start") or resource.get(key.replace("Period", "DateTime"))
    end = period.get("end")
    return day(start, f"{key}.start"), day(end, f"{key}.end") if end else None


def plan_record(resource: Resource, kind: str, name: str, period_key: str) -> dict[str, Any]:
    start, stop = _period(resource, period_key)
    leaf = extension(resource, c.EXT_LEAF_G, "Decimal")
    mitragynine = extension(resource, c.EXT_MITRAGYNINE, "Decimal")
    concept = resource.get("medicationCodeableConcept")
    drug_class = code_in(concept, c.DRUG_CLASS) or ""
    return {
        "id": record_id(str(resource["resourceType"]), resource.get("id")),
        "kind": kind,
        "name": name[:200],
        "start_date": start,
        "stop_date": stop,
        "notes": "",
        "strain": str(extension(resource, c.EXT_STRAIN, "String") or ""),
        "form": str(extension(resource, c.EXT_FORM, "Code") or ""),
        "unit": str(extension(resource, c.EXT_UNIT, "Code") or ""),
        "leaf_g_per_unit": None if leaf is None else number(leaf),
        "mitragynine_mg_per_g": None if mitragynine is None else number(mitragynine),
        "drug_class": drug_class if kind == "medication" else "",
    }


def _concept_name(concept: Any) -> str:
    if not isinstance(concept, Mapping):
        return ""
    return str(concept.get("text") or next((cd.get("display") for cd in codings(concept) if cd.get("display")), ""))


def medication_plan_record(resource: Resource) -> dict[str, Any]:
    concept = resource.get("medicationCodeableConcept")
    kind = code_in(concept, c.THERAPY_KIND)
    if kind not in c.MEDICATION_KINDS:
        kind = "medication"  # another system's medication: its name and dates are kept
    name = _concept_name(concept)
    if not name:
        raise Skip("the medication has no name (medicationCodeableConcept.text or a coding display)")
    return plan_record(resource, kind, name, "effectivePeriod")


def dose_record(resource: Resource, refs: References) -> dict[str, Any]:
    product = next(
        (pid for part in resource.get("partOf") or [] if (pid := refs.id_of(part, "MedicationStatement"))), None
    )
    if product is None:
        raise Skip("a dose must be partOf the kratom product's MedicationStatement")
    try:
        quantity = resource["dosage"][0]["doseAndRate"][0]["doseQuantity"]
    except (KeyError, IndexError, TypeError) as exc:
        raise Skip("a dose needs dosage[0].doseAndRate[0].doseQuantity") from exc
    units = {ucum: unit for unit, (ucum, _label) in c.DOSE_UCUM.items()}
    unit = units.get(str(quantity.get("code")))
    if unit is None:
        raise Skip(f"dose unit {quantity.get('code')!r} is not one painwise records ({', '.join(units)})")
    status = extension(resource, c.EXT_DOSE_STATUS, "Code")
    if status is None:
        as_needed = bool(resource["dosage"][0].get("asNeededBoolean"))
        status = "skipped" if resource.get("status") == "not-taken" else ("as_needed" if as_needed else "taken")
    return {
        "id": record_id("MedicationStatement", resource.get("id")),
        "occurred_at": moment(resource.get("effectiveDateTime"), "effectiveDateTime"),
        "product_id": product,
        "amount": number(quantity.get("value", 0)),
        "unit": unit,
        "status": str(status),
    }


def session_record(resource: Resource, refs: References) -> dict[str, Any]:
    modality = code_in(resource.get("code"), c.THERAPY_KIND)
    if modality not in c.SESSION_MODALITIES:
        raise Skip("not a painwise therapy session (code from the therapy-kind code system)")
    course = next((pid for part in resource.get("partOf") or [] if (pid := refs.id_of(part, "Procedure"))), None)
    minutes = extension(resource, c.EXT_MINUTES, "Integer")
    return {
        "id": record_id("Procedure", resource.get("id")),
        "occurred_at": moment(resource.get("performedDateTime"), "performedDateTime"),
        "modality": modality,
        "therapy_id": course,
        "minutes": minutes,
        "status": "skipped" if resource.get("status") == "not-done" else "done",
        "home_practice": bool(extension(resource, c.EXT_HOME_PRACTICE, "Boolean")),
    }


def procedure_plan_record(resource: Resource) -> dict[str, Any]:
    kind = code_in(resource.get("code"), c.THERAPY_KIND)
    if kind not in c.PROCEDURE_KINDS:
        raise Skip("not a painwise therapy course (code from the therapy-kind code system)")
    name = _concept_name(resource.get("code")) or c.THERAPY_DISPLAY[kind]
    return plan_record(resource, kind, name, "performedPeriod")


def pain_record(resource: Resource) -> dict[str, Any]:
    site = code_in(resource.get("bodySite"), c.BODY_SITE)
    qualities = []
    for component in resource.get("component") or []:
        quality = code_in(component.get("valueCodeableConcept"), c.PAIN_QUALITY)
        if quality in c.PAIN_QUALITY_CODES:
            qualities.append(quality)
    return {
        "id": record_id("Observation", resource.get("id")),
        "occurred_at": moment(resource.get("effectiveDateTime"), "effectiveDateTime"),
        "body_site": site if site in c.BODY_SITE_CODES else "other",
        "nrs": integer_value(resource, "pain NRS"),
        "qualities": qualities,
        "note": "",
    }


def check_in_record(resource: Resource) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(c.CHECK_IN_ITEMS)
    for component in resource.get("component") or []:
        name = code_in(component.get("code"), c.OBSERVATION_CODES)
        if name not in values:
            continue
        if "valueInteger" in component:
            values[name] = component["valueInteger"]
        elif isinstance(component.get("valueQuantity"), Mapping):
            values[name] = number(component["valueQuantity"].get("value"))
    return {
        "id": record_id("Observation", resource.get("id")),
        "occurred_at": moment(resource.get("effectiveDateTime"), "effectiveDateTime"),
        **values,
    }


def side_effect_record(resource: Resource) -> dict[str, Any]:
    kind = code_in(resource.get("event"), c.SIDE_EFFECT)
    free_text = extension(resource, c.EXT_FREE_TEXT, "String")
    if kind not in c.SIDE_EFFECT_CODES:
        free_text = free_text or _concept_name(resource.get("event"))
        kind = "other"
    severity = code_in(resource.get("severity"), c.AE_SEVERITY)
    return {
        "id": record_id("AdverseEvent", resource.get("id")),
        "occurred_at": moment(resource.get("date"), "date"),
        "kind": kind,
        "free_text": str(free_text or "")[:500],
        "severity": severity if severity in ("mild", "moderate", "severe") else None,
        "ctcae_grade": extension(resource, c.EXT_CTCAE_GRADE, "Integer"),
        "onset_date": extension(resource, c.EXT_ONSET, "Date"),
        "resolved_date": extension(resource, c.EXT_RESOLVED, "Date"),
    }


def questionnaire_record(resource: Resource) -> dict[str, Any]:
    canonical = str(resource.get("questionnaire") or "").split("|")[0]
    code = canonical.rstrip("/").rsplit("/", 1)[-1]
    if code not in instrument_codes():
        raise Skip(f"questionnaire {canonical!r} is not one painwise scores ({', '.join(instrument_codes())})")
    instrument = get_instrument(code)
    answers: list[Any] = [None] * instrument.n_items
    for item in resource.get("item") or []:
        link = str(item.get("linkId", ""))
        if not link.isdigit() or not 1 <= int(link) <= instrument.n_items:
            raise Skip(f"item linkId {link!r} is not an item of {instrument.name} (1-{instrument.n_items})")
        answer = (item.get("answer") or [{}])[0]
        if "valueInteger" in answer:
            answers[int(link) - 1] = answer["valueInteger"]
        elif "valueCoding" in answer:
            loinc = answer["valueCoding"].get("code")
            option = next((o for o in instrument.items[int(link) - 1].options if o.loinc == loinc), None)
            if option is None:
                raise Skip(f"answer code {loinc!r} of item {link} is not one painwise knows")
            answers[int(link) - 1] = option.value
    try:
        result = score(code, answers)
    except DomainError as exc:
        raise Skip(exc.message) from exc
    role = extension(resource, c.EXT_ENTERED_BY_ROLE, "Code")
    return {
        "id": record_id("QuestionnaireResponse", resource.get("id")),
        "code": code,
        "answers": answers,
        "completed_at": moment(resource.get("authored"), "authored"),
        "total": result.total,
        # recomputed by the importer; carried so the document reads as painwise's own export does
        "band": result.band,
        "subscales": dict(result.subscales),
        "flags": list(result.flags),
        "answered": result.answered,
        "entered_by_role": role or ("clinician" if instrument.clinician_only else ""),
    }


def _quantity_value(quantity: Any, analyte: str, unit: str, what: str) -> float | None:
    if not isinstance(quantity, Mapping) or quantity.get("value") is None:
        return None
    given = str(quantity.get("code") or quantity.get("unit") or unit)
    value = float(quantity["value"])
    if given == unit:
        return value
    try:
        return convert(analyte, value, given, unit)
    except DomainError as exc:
        raise Skip(f"{what} unit {given!r}: {exc.message}") from exc


def lab_record(resource: Resource, profile: Profile, now: dt.datetime) -> dict[str, Any]:
    """A lab Observation as an export-format lab result, checked as painwise checks a lab entry."""
    loinc = code_in(resource.get("code"), c.LOINC)
    short = code_in(resource.get("code"), c.ANALYTE)
    try:
        analyte, _code = resolve_analyte(short or loinc or "")
    except DomainError as exc:
        raise Skip(f"LOINC code {loinc!r} is not in painwise's labs catalogue (`painwise lab analytes`)") from exc
    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, Mapping) or quantity.get("value") is None:
        raise Skip("a lab result needs valueQuantity with a value")
    unit_given = str(quantity.get("code") or quantity.get("unit") or "")
    try:
        unit = resolve_unit(analyte, unit_given).ucum
    except DomainError as exc:
        raise Skip(f"unit {unit_given!r}: {exc.message}") from exc
    collected = moment(resource.get("effectiveDateTime") or resource.get("issued"), "effectiveDateTime")
    low = high = None
    for reference in resource.get("referenceRange") or []:
        if code_in(reference.get("type"), c.RANGE_SOURCE) == "catalogue":
            continue  # painwise's own default, recomputed on import
        low = _quantity_value(reference.get("low"), analyte.short_name, unit, "referenceRange.low")
        high = _quantity_value(reference.get("high"), analyte.short_name, unit, "referenceRange.high")
        break
    value = float(quantity["value"])
    when = dt.datetime.fromisoformat(collected)
    if when > now + dt.timedelta(minutes=5):
        raise Skip("effectiveDateTime is in the future")
    try:
        interpret(
            analyte.short_name,
            value,
            unit,
            profile.sex,
            (low, high) if low is not None or high is not None else None,
            profile.age_on(when.date()),
        )
    except DomainError as exc:
        raise Skip(exc.message) from exc
    notes = [str(n["text"]) for n in resource.get("note") or [] if isinstance(n, Mapping) and n.get("text")]
    lab_name = extension(resource, c.EXT_LAB_NAME, "String") or _performer(resource)
    return {
        "id": record_id("Observation", resource.get("id")),
        "analyte": analyte.short_name,
        "value": number(quantity["value"]),
        "unit": unit,
        "ref_low": low,
        "ref_high": high,
        "collected_at": collected,
        "entered_at": now.astimezone(dt.UTC).isoformat(),
        "lab_name": str(lab_name or "")[:200],
        "note": "\n".join(notes)[:2000],
    }


def _performer(resource: Resource) -> str:
    performers = resource.get("performer") or []
    return str(performers[0].get("display") or "") if performers and isinstance(performers[0], Mapping) else ""


def is_lab(resource: Resource) -> bool:
    categories = [code_in(cat, c.OBSERVATION_CATEGORY) for cat in resource.get("category") or []]
    return "laboratory" in categories or code_in(resource.get("code"), c.ANALYTE) is not None


# --- the bundle -----------------------------------------------------------------------------------


def entries_of(bundle: Any) -> list[tuple[str | None, Resource]]:
    """The bundle's resources, each checked against the FHIR R4 models; an invalid one is an error."""
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise DomainError("fhir.not_bundle", "the file must be a FHIR Bundle (resourceType: Bundle)", "resourceType")
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise DomainError("fhir.invalid", "Bundle.entry must be a list", "entry")
    out = []
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            raise DomainError("fhir.invalid", f"entry[{index}] has no resource", f"entry[{index}].resource")
        problem = validation_error(resource)
        if problem:
            raise DomainError(
                "fhir.invalid", f"entry[{index}] ({label(resource)}) is not valid FHIR R4: {problem}", f"entry[{index}]"
            )
        out.append((entry.get("fullUrl"), resource))
    return out


SECTION_TYPE = {
    "conditions": "Condition",
    "therapies": None,
    "pain_entries": "Observation",
    "check_ins": "Observation",
    "dose_events": "MedicationStatement",
    "therapy_sessions": "Procedure",
    "side_effects": "AdverseEvent",
    "lab_results": "Observation",
    "questionnaire_responses": "QuestionnaireResponse",
}


def bundle_to_export(bundle: Any, *, now: dt.datetime) -> tuple[dict[str, Any], ImportReport]:
    """A new patient's export document from a Bundle holding exactly one Patient."""
    entries = entries_of(bundle)
    refs = References(entries)
    patients = [r for _url, r in entries if r.get("resourceType") == "Patient"]
    if len(patients) != 1:
        raise DomainError(
            "fhir.patient_count", f"the Bundle must hold exactly one Patient, found {len(patients)}", "entry"
        )
    report = ImportReport()
    patient = patient_record(patients[0], now)
    profile = Profile(
        patient["id"],
        patient["username"],
        dt.date.fromisoformat(patient["date_of_birth"]),
        patient["sex_at_birth"],
        patient["time_zone"],
    )
    report.imported["Patient"] += 1
    doc: dict[str, Any] = {
        "format": "painwise.export",
        "version": 1,
        "synthetic": is_synthetic(patients[0]),
        "patient": patient,
        **{key: [] for key in SECTION_TYPE},
    }
    stamp = now.astimezone(dt.UTC).isoformat()
    question_ids = {
        record_id("QuestionnaireResponse", r.get("id"))
        for _u, r in entries
        if r.get("resourceType") == "QuestionnaireResponse"
    }
    adverse_ids = {
        record_id("AdverseEvent", r.get("id")) for _u, r in entries if r.get("resourceType") == "AdverseEvent"
    }

    def add(section: str, resource: Resource, make: Callable[[Resource], dict[str, Any]]) -> None:
        try:
            record = make(resource)
        except Skip as why:
            report.skip(resource, str(why))
            return
        if section != "lab_results":
            record.setdefault("entered_at", record.get("occurred_at") or record.get("completed_at") or stamp)
        report.origins[f"{section}[{len(doc[section])}]"] = label(resource)
        doc[section].append(record)
        report.imported[str(resource["resourceType"])] += 1

    for _url, resource in entries:
        kind = resource.get("resourceType")
        if kind == "Patient":
            continue
        target = refs.target(resource.get("subject") or resource.get("patient"))
        if target is not None and (target[0] != "Patient" or record_id("Patient", target[1]) != patient["id"]):
            report.skip(resource, "it refers to another patient than the Bundle's Patient")
            continue
        if kind == "Condition":
            add("conditions", resource, condition_record)
        elif kind == "MedicationStatement":
            if resource.get("partOf") and resource.get("dosage"):
                add("dose_events", resource, lambda r: dose_record(r, refs))
            else:
                add("therapies", resource, medication_plan_record)
        elif kind == "Procedure":
            if code_in(resource.get("category"), c.THERAPY_KIND) == "plan":
                add("therapies", resource, procedure_plan_record)
            else:
                add("therapy_sessions", resource, lambda r: session_record(r, refs))
        elif kind == "AdverseEvent":
            add("side_effects", resource, side_effect_record)
        elif kind == "QuestionnaireResponse":
            add("questionnaire_responses", resource, questionnaire_record)
        elif kind == "Observation":
            _observation(resource, doc, report, add, profile, now, question_ids, adverse_ids, refs)
        elif kind == "Flag":
            report.skip(resource, "flags are raised by painwise's own monitoring rules, not imported")
        else:
            report.skip(resource, f"painwise does not import {kind} resources")
    return doc, report


def _observation(
    resource: Resource,
    doc: dict[str, Any],
    report: ImportReport,
    add: Callable[[str, Resource, Callable[[Resource], dict[str, Any]]], None],
    profile: Profile,
    now: dt.datetime,
    question_ids: set[str],
    adverse_ids: set[str],
    refs: References,
) -> None:
    code = resource.get("code")
    own = code_in(code, c.OBSERVATION_CODES)
    if code_in(code, c.LOINC) == c.PAIN_NRS[0]:
        add("pain_entries", resource, pain_record)
    elif own == c.CHECK_IN_PANEL[0]:
        add("check_ins", resource, check_in_record)
    elif own == c.HAIR_SHEDDING_GRADE[0]:
        _derived(resource, report, "AdverseEvent", adverse_ids, refs, "focus", "the hair-shedding AdverseEvent")
    elif code_in(code, c.INSTRUMENT) or code_in(code, c.LOINC) in TOTAL_LOINC_CODES:
        _derived(resource, report, "QuestionnaireResponse", question_ids, refs, "derivedFrom", "its answers")
    elif is_lab(resource) or code_in(code, c.LOINC):
        add("lab_results", resource, lambda r: lab_record(r, profile, now))
    else:
        report.skip(resource, "an Observation code painwise does not know")


def _derived(
    resource: Resource, report: ImportReport, source_type: str, ids: set[str], refs: References, key: str, what: str
) -> None:
    """A score or grade painwise derives from another record: kept when that record is imported."""
    sources = [refs.id_of(ref, source_type) for ref in resource.get(key) or []]
    if any(source in ids for source in sources):
        report.imported[str(resource["resourceType"])] += 1
    else:
        report.skip(resource, f"painwise derives this from {what} ({source_type}), which the Bundle does not hold")


def lab_records(bundle: Any, profile: Profile, *, now: dt.datetime) -> tuple[list[dict[str, Any]], ImportReport]:
    """Lab Observations of a Bundle for an existing patient (`profile`); everything else is skipped."""
    report = ImportReport()
    records: list[dict[str, Any]] = []
    for _url, resource in entries_of(bundle):
        if resource.get("resourceType") != "Observation" or not (
            is_lab(resource) or code_in(resource.get("code"), c.LOINC)
        ):
            report.skip(resource, "only lab Observations are imported into an existing patient")
            continue
        if code_in(resource.get("code"), c.LOINC) == c.PAIN_NRS[0]:
            report.skip(resource, "only lab Observations are imported into an existing patient")
            continue
        try:
            record = lab_record(resource, profile, now)
        except Skip as why:
            report.skip(resource, str(why))
            continue
        report.origins[f"lab_results[{len(records)}]"] = label(resource)
        records.append(record)
        report.imported["Observation"] += 1
    return records, report
