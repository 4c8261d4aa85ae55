"""De-identify one patient export document for research (pure: a document in, a document out).

Only fields on the allow-list below leave; anything else — a field or a whole section added later — is
dropped, so a new free-text field cannot leak by default. What happens to each kept field:

- ``time``: the UTC instant becomes the patient's local wall-clock time, shifted by ``shift_days`` whole
  days and written with ``+00:00`` (the document's ``time_zone`` becomes "UTC"): local days and times of
  day are kept, the time zone (a location hint) is not, and intervals within a patient are preserved.
- ``date``: shifted by ``shift_days``.
- ``id``: replaced by a new random id (references between records follow: ``ref``).
- ``keep``: copied. ``blank``: written as an empty string (free text, lab names).

The patient becomes a random study id, an age band (no date of birth), sex at birth and the synthetic flag.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from painwise.core.research.cohort import age_band, supplement_nutrient

FORMAT = "painwise.research"
VERSION = 1

SECTIONS: dict[str, dict[str, str]] = {
    "conditions": {"id": "id", "label": "blank", "icd11_category": "keep", "body_sites": "keep",
                   "onset_date": "date", "entered_at": "time"},
    "therapies": {"id": "id", "kind": "keep", "name": "kind", "start_date": "date", "stop_date": "date",
                  "notes": "blank", "strain": "blank", "form": "keep", "unit": "keep", "leaf_g_per_unit": "keep",
                  "mitragynine_mg_per_g": "keep", "drug_class": "keep", "entered_at": "time"},
    "pain_entries": {"id": "id", "occurred_at": "time", "entered_at": "time", "body_site": "keep", "nrs": "keep",
                     "qualities": "keep", "note": "blank"},
    "check_ins": {"id": "id", "occurred_at": "time", "entered_at": "time", "sleep_hours": "keep",
                  "sleep_quality": "keep", "mood": "keep", "interference": "keep", "activity_minutes": "keep",
                  "alcoholic_drinks": "keep"},
    "dose_events": {"id": "id", "occurred_at": "time", "entered_at": "time", "product_id": "ref", "amount": "keep",
                    "unit": "keep", "status": "keep"},
    "therapy_sessions": {"id": "id", "occurred_at": "time", "entered_at": "time", "modality": "keep",
                         "therapy_id": "ref", "minutes": "keep", "status": "keep", "home_practice": "keep"},
    "side_effects": {"id": "id", "occurred_at": "time", "entered_at": "time", "kind": "keep", "free_text": "blank",
                     "severity": "keep", "ctcae_grade": "keep", "onset_date": "date", "resolved_date": "date"},
    "lab_results": {"id": "id", "analyte": "keep", "value": "keep", "unit": "keep", "ref_low": "keep",
                    "ref_high": "keep", "collected_at": "time", "entered_at": "time", "lab_name": "blank",
                    "note": "blank"},
    "questionnaire_responses": {"id": "id", "code": "keep", "answers": "keep", "completed_at": "time",
                                "entered_at": "time", "entered_by_role": "keep", "total": "keep", "band": "keep",
                                "subscales": "keep", "flags": "keep", "answered": "keep"},
}  # fmt: skip
# What was removed or changed, for the export's README and docs/research.md.
REMOVED = (
    "names, usernames, account and patient ids, and every record id (new random ids; references kept)",
    "date of birth (an age band at the start of follow-up instead: 18-29, 30-39, ..., 80+)",
    "the time zone (times are local wall-clock times written as UTC)",
    "real dates: every date and time is shifted by a random whole number of days per patient "
    "(intervals within a patient are kept; the shift differs between patients and between exports)",
    "free text: condition labels, therapy and product names (replaced by the therapy kind, and for supplements "
    "the nutrient recognised in the name: iron, b12, vitamin_d), strains, notes, "
    "side-effect descriptions",
    "laboratory names",
    "any field or section not on the allow-list (new fields are dropped until reviewed)",
)


def _time(value: str, zone: ZoneInfo, shift: dt.timedelta) -> str:
    local = dt.datetime.fromisoformat(value).astimezone(zone).replace(tzinfo=None) + shift
    return local.replace(tzinfo=dt.UTC).isoformat()


def _date(value: str, shift: dt.timedelta) -> str:
    return (dt.date.fromisoformat(value) + shift).isoformat()


def first_day(doc: dict[str, Any]) -> dt.date | None:
    zone = ZoneInfo(doc["patient"].get("time_zone") or "UTC")
    stamps = [r["occurred_at"] for k in ("pain_entries", "check_ins", "dose_events") for r in doc.get(k, [])]
    stamps += [r["collected_at"] for r in doc.get("lab_results", [])]
    if not stamps:
        return None
    return dt.datetime.fromisoformat(min(stamps)).astimezone(zone).date()


def deidentify(doc: dict[str, Any], *, study_id: str, shift_days: int, rng: np.random.Generator) -> dict[str, Any]:
    """The research form of one export document (see the module docstring for every rule)."""
    patient = doc["patient"]
    zone = ZoneInfo(patient.get("time_zone") or "UTC")
    shift = dt.timedelta(days=int(shift_days))
    start = first_day(doc) or dt.datetime.fromisoformat(patient["created_at"]).date()
    age = (start - dt.date.fromisoformat(patient["date_of_birth"])).days / 365.25
    new_ids: dict[str, str] = {}

    def new_id(old: Any) -> str:
        key = str(old)
        if key not in new_ids:
            new_ids[key] = str(uuid.UUID(bytes=rng.bytes(16), version=4))
        return new_ids[key]

    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "synthetic": bool(doc.get("synthetic", False)),
        "patient": {
            "id": study_id,
            "username": study_id,
            "date_of_birth": None,
            "age_band": age_band(age),
            "sex_at_birth": patient.get("sex_at_birth"),
            "time_zone": "UTC",
            "created_at": _time(patient["created_at"], zone, shift),
        },
    }
    # Ids first, so references resolve whatever order the sections come in.
    for section in SECTIONS:
        for record in doc.get(section, []):
            new_id(record["id"])
    for section, fields in SECTIONS.items():
        records = []
        for record in doc.get(section, []):
            clean: dict[str, Any] = {}
            for name, rule in fields.items():
                value = record.get(name)
                if rule == "blank":
                    clean[name] = ""
                elif value is None:
                    clean[name] = None
                elif rule == "time":
                    clean[name] = _time(value, zone, shift)
                elif rule == "date":
                    clean[name] = _date(value, shift)
                elif rule in ("id", "ref"):
                    clean[name] = new_id(value)
                elif rule == "kind":
                    nutrient = supplement_nutrient(str(value)) if record.get("kind") == "supplement" else ""
                    clean[name] = f"supplement: {nutrient}" if nutrient else record.get("kind", "")
                else:
                    clean[name] = value
            records.append(clean)
        out[section] = records
    return out
