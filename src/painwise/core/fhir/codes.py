"""Code systems and codes used in painwise's FHIR resources, in one place.

Standard codes are used only where a source in the project confirms them (LOINC for pain NRS and the
questionnaire totals, the labs catalogue's LOINC and UCUM codes, ICD-11 MG30 categories, SNOMED CT
82423001 "Chronic pain"); everything else is coded in painwise's own code systems, whose codes are the
painwise vocabularies themselves (painwise.core.diary, the plan kinds), so nothing is invented.
"""

from __future__ import annotations

from painwise.core.conditions import ICD11_CATEGORIES
from painwise.core.diary import BODY_SITES, PAIN_QUALITIES, SIDE_EFFECT_KINDS

# --- standard systems ---------------------------------------------------------------------------------
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
ICD11 = "http://id.who.int/icd/release/11/mms"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"  # HTEST: test health data (synthetic)
TZ_EXTENSION = "http://hl7.org/fhir/StructureDefinition/tz-code"
BIRTH_SEX_EXTENSION = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"

# --- painwise's own systems ---------------------------------------------------------------------------
BASE = "https://painwise.org/fhir"
CS = f"{BASE}/CodeSystem"
SD = f"{BASE}/StructureDefinition"
USERNAME_SYSTEM = f"{BASE}/sid/username"
OBSERVATION_CODES = f"{CS}/observation"  # check-in items, hair-shedding grade, scores without LOINC
BODY_SITE = f"{CS}/body-site"
PAIN_QUALITY = f"{CS}/pain-quality"
THERAPY_KIND = f"{CS}/therapy-kind"
DRUG_CLASS = f"{CS}/drug-class"
SIDE_EFFECT = f"{CS}/side-effect"
ANALYTE = f"{CS}/analyte"
INSTRUMENT = f"{CS}/instrument"
RULE = f"{CS}/monitoring-rule"
RANGE_SOURCE = f"{CS}/reference-range-source"  # "catalogue": a painwise default, not the lab's range
QUESTIONNAIRE = f"{BASE}/Questionnaire"

# Extensions (valueX named in each comment)
EXT_STRAIN = f"{SD}/kratom-strain"  # valueString
EXT_FORM = f"{SD}/kratom-form"  # valueCode
EXT_UNIT = f"{SD}/dose-unit"  # valueCode: the unit doses of this product are counted in
EXT_LEAF_G = f"{SD}/leaf-g-per-unit"  # valueDecimal
EXT_MITRAGYNINE = f"{SD}/mitragynine-mg-per-g"  # valueDecimal
EXT_DOSE_STATUS = f"{SD}/dose-status"  # valueCode taken | skipped | as_needed
EXT_MINUTES = f"{SD}/session-minutes"  # valueInteger
EXT_HOME_PRACTICE = f"{SD}/home-practice"  # valueBoolean
EXT_CTCAE_GRADE = f"{SD}/ctcae-grade"  # valueInteger
EXT_ONSET = f"{SD}/onset-date"  # valueDate
EXT_RESOLVED = f"{SD}/resolved-date"  # valueDate
EXT_FREE_TEXT = f"{SD}/free-text"  # valueString
EXT_ENTERED_BY_ROLE = f"{SD}/entered-by-role"  # valueCode patient | clinician
EXT_FLAG_SEVERITY = f"{SD}/flag-severity"  # valueCode urgent | high | routine
EXT_EVIDENCE = f"{SD}/flag-evidence"  # valueString
EXT_CONSIDER = f"{SD}/flag-consider"  # valueString
EXT_LAB_NAME = f"{SD}/lab-name"  # valueString

# --- codes --------------------------------------------------------------------------------------------
PAIN_NRS = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
CHRONIC_PAIN_SNOMED = ("82423001", "Chronic pain (finding)")

# Check-in items: painwise codes (no LOINC mapping has been verified for them), with their UCUM unit.
CHECK_IN_ITEMS: dict[str, tuple[str, str | None]] = {
    "sleep_hours": ("Sleep duration last night", "h"),
    "sleep_quality": ("Sleep quality, 0-10", None),
    "mood": ("Mood, 0-10", None),
    "interference": ("Pain interference with daily activities, 0-10", None),
    "activity_minutes": ("Physical activity", "min"),
    "alcoholic_drinks": ("Alcoholic drinks", "{drink}"),
}
CHECK_IN_PANEL = ("check-in", "Daily check-in")
HAIR_SHEDDING_GRADE = ("hair-shedding-grade", "Hair shedding grade (CTCAE v5 alopecia grade)")

MEDICATION_KINDS = ("kratom", "medication", "supplement")
PROCEDURE_KINDS = ("physical_therapy", "cbt", "mindfulness", "other")
THERAPY_DISPLAY = {
    "kratom": "Kratom product",
    "medication": "Medication",
    "supplement": "Supplement",
    "physical_therapy": "Physical therapy",
    "cbt": "Cognitive-behavioural therapy",
    "mindfulness": "Mindfulness",
    "other": "Other therapy",
}
# Session modality -> the plan kind of the course it belongs to (the same words).
SESSION_MODALITIES = ("physical_therapy", "cbt", "mindfulness", "other")

DOSE_UCUM = {"g": ("g", "g"), "mg": ("mg", "mg"), "mL": ("mL", "mL"), "capsule": ("{capsule}", "capsule")}

INTERPRETATION_CODES = {"low": ("L", "Low"), "normal": ("N", "Normal"), "high": ("H", "High")}

SEVERITY_INDICATOR = {"urgent": "critical", "high": "warning", "routine": "info"}


def display(code: str) -> str:
    """A readable display for a painwise vocabulary code ("lower_back" -> "Lower back")."""
    return code.replace("_", " ").capitalize()


BODY_SITE_CODES = BODY_SITES
PAIN_QUALITY_CODES = PAIN_QUALITIES
SIDE_EFFECT_CODES = SIDE_EFFECT_KINDS
ICD11_CODES = {key: (cat.code, cat.label) for key, cat in ICD11_CATEGORIES.items()}
ICD11_BY_CODE = {code: key for key, (code, _label) in ICD11_CODES.items()}
