"""FHIR mapping in the pure core: every resource validates, codes agree with the catalogues, and a
Bundle read back gives the same Bundle (no database)."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painwise.core.errors import DomainError
from painwise.core.fhir import FlagRecord, bundle_to_export, lab_records, scoped, snapshot_to_bundle, validation_error
from painwise.core.fhir import codes as c
from painwise.core.fhir.export import lab_observation
from painwise.core.labs import ANALYTES, convert, interpret
from painwise.core.snapshot import LabResult, Profile, snapshot_from_export
from painwise.core.synth.cohort import generate_patient

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def snapshot():
    return snapshot_from_export(generate_patient(7, username="fhir-7", years=1, sex="female").record)


@pytest.fixture(scope="module")
def bundle(snapshot):
    flag = FlagRecord(
        "0b7f0e8e-5c4b-4f7e-9a35-3f0f4a3c1d10",
        "mood.self_harm",
        "urgent",
        "PHQ-9 item 9 positive",
        "answered 1",
        "Same-day follow-up",
        NOW,
    )
    return snapshot_to_bundle(snapshot, [flag], timestamp=NOW, today=NOW.date())


def of_type(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_it_validates_every_resource_and_the_bundle_against_the_r4_models(bundle):
    problems = [(e["resource"]["id"], validation_error(e["resource"])) for e in bundle["entry"]]
    assert [p for p in problems if p[1]] == []
    assert validation_error(bundle) is None
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {
        "Patient",
        "Condition",
        "MedicationStatement",
        "Observation",
        "QuestionnaireResponse",
        "Procedure",
        "AdverseEvent",
        "Flag",
    } <= kinds


def test_it_maps_each_record_kind(bundle, snapshot):
    assert len(of_type(bundle, "Patient")) == 1
    condition = of_type(bundle, "Condition")[0]
    assert condition["code"]["coding"][0]["system"] == c.ICD11
    assert condition["code"]["coding"][0]["code"].startswith("MG30.")
    assert {"system": c.SNOMED, "code": "82423001", "display": "Chronic pain (finding)"} in condition["code"]["coding"]
    pain = [o for o in of_type(bundle, "Observation") if o["code"]["coding"][0]["code"] == "72514-3"]
    assert len(pain) == len(snapshot.pain) and all(0 <= o["valueInteger"] <= 10 and o["bodySite"] for o in pain)
    kratom = [m for m in of_type(bundle, "MedicationStatement") if m["id"] in {p.id for p in snapshot.kratom_products}]
    assert kratom and all(m["medicationCodeableConcept"]["coding"][0]["code"] == "kratom" for m in kratom)
    assert any(e["url"] == c.EXT_FORM for e in kratom[0]["extension"])
    doses = [m for m in of_type(bundle, "MedicationStatement") if "partOf" in m]
    assert len(doses) == len(snapshot.doses)
    assert doses[0]["dosage"][0]["doseAndRate"][0]["doseQuantity"]["system"] == c.UCUM
    assert len(of_type(bundle, "QuestionnaireResponse")) == len(snapshot.questionnaires)
    sessions = [p for p in of_type(bundle, "Procedure") if p["category"]["coding"][0]["code"] == "session"]
    assert len(sessions) == len(snapshot.sessions)
    assert len(of_type(bundle, "AdverseEvent")) == len(snapshot.side_effects)
    flag = of_type(bundle, "Flag")[0]
    assert flag["status"] == "active" and flag["code"]["coding"][0]["code"] == "mood.self_harm"


def test_adverse_events_name_no_suspected_cause(bundle):
    # painwise records side effects; it never attributes them (e.g. hair shedding) to kratom.
    assert all("suspectEntity" not in event for event in of_type(bundle, "AdverseEvent"))


def test_questionnaire_totals_carry_the_published_loinc_codes(bundle):
    scores = [o for o in of_type(bundle, "Observation") if o.get("derivedFrom")]
    loinc = {cd["code"] for o in scores for cd in o["code"]["coding"] if cd["system"] == c.LOINC}
    assert loinc <= {"44261-6", "70274-6"} and "44261-6" in loinc
    phq9 = next(o for o in scores if o["code"]["coding"][0]["code"] == "44261-6")
    assert phq9["valueQuantity"]["value"] == sum(comp["valueInteger"] for comp in phq9["component"])
    item9 = [comp for comp in phq9["component"] if comp["code"]["coding"][0]["code"] == "44260-8"]
    assert len(item9) == 1


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_lab_loinc_and_ucum_codes_come_from_the_labs_catalogue(analyte):
    profile = Profile("p", "u", dt.date(1980, 1, 1), "female", "UTC")
    for unit in analyte.units:
        canonical = (analyte.ranges[0].high or 10.0) if analyte.ranges else 10.0
        value = round(convert(analyte.short_name, canonical, analyte.canonical_unit, unit.ucum), 4)
        reading = interpret(analyte.short_name, value, unit.ucum, "female", None, 45)
        lab = LabResult("l", analyte.short_name, value, unit.ucum, None, None, NOW, NOW.date(), reading)
        resource = lab_observation(lab, {"reference": "Patient/p"})
        assert validation_error(resource) is None
        loinc = [cd for cd in resource["code"]["coding"] if cd["system"] == c.LOINC]
        expected = analyte.loinc_for(unit.kind)
        assert [cd["code"] for cd in loinc] == ([expected.code] if expected else [])
        assert resource["valueQuantity"]["code"] == unit.ucum
        assert resource["valueQuantity"]["system"] == c.UCUM
        for reference in resource.get("referenceRange", []):
            for side in ("low", "high"):
                if side in reference:
                    assert reference[side]["code"] in {u.ucum for u in analyte.units}
        # read back as another system's lab result: same analyte, same unit
        records, report = lab_records(
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": resource}]}, profile, now=NOW
        )
        assert report.skipped == [] and records[0]["analyte"] == analyte.short_name
        assert records[0]["unit"] == unit.ucum


def test_it_reads_its_own_bundle_back_to_the_same_bundle(bundle):
    doc, report = bundle_to_export(json.loads(json.dumps(bundle)), now=NOW)
    again = snapshot_to_bundle(snapshot_from_export(doc), of_flags(bundle), timestamp=NOW, today=NOW.date())
    assert again == bundle
    assert report.skipped == [
        {
            "resource": f"Flag/{of_type(bundle, 'Flag')[0]['id']}",
            "reason": "flags are raised by painwise's own monitoring rules, not imported",
        }
    ]
    assert sum(report.imported.values()) == len(bundle["entry"]) - 1


def of_flags(bundle):
    return [
        FlagRecord(
            f["id"],
            f["code"]["coding"][0]["code"],
            "urgent",
            f["code"]["text"],
            "answered 1",
            "Same-day follow-up",
            NOW,
        )
        for f in of_type(bundle, "Flag")
    ]


def test_scopes_leave_out_what_the_grant_does_not_cover(snapshot):
    no_labs = snapshot_to_bundle(scoped(snapshot, ["diary", "plan", "questionnaires"]), timestamp=NOW)
    categories = {o["category"][0]["coding"][0]["code"] for o in of_type(no_labs, "Observation")}
    assert "laboratory" not in categories
    labs_only = snapshot_to_bundle(scoped(snapshot, ["labs"]), timestamp=NOW)
    kinds = {e["resource"]["resourceType"] for e in labs_only["entry"]}
    assert kinds == {"Patient", "Observation"}


def test_unknown_codes_and_units_are_skipped_with_the_reason():
    profile = Profile("p", "u", dt.date(1980, 1, 1), "female", "UTC")
    base = {
        "resourceType": "Observation",
        "status": "final",
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2026-10-01T08:00:00Z",
        "category": [{"coding": [{"system": c.OBSERVATION_CATEGORY, "code": "laboratory"}]}],
    }
    good = {
        **base,
        "id": "ferritin-1",
        "code": {"coding": [{"system": c.LOINC, "code": "2276-4"}]},
        "valueQuantity": {"value": 40, "unit": "ng/mL", "system": c.UCUM, "code": "ng/mL"},
    }
    unknown_code = {**good, "id": "glucose-1", "code": {"coding": [{"system": c.LOINC, "code": "2345-7"}]}}
    unknown_unit = {**good, "id": "ferritin-2", "valueQuantity": {"value": 40, "system": c.UCUM, "code": "mmol/L"}}
    no_value = {**base, "id": "ferritin-3", "code": good["code"], "valueString": "see report"}
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"}}
    entries = [{"resource": r} for r in (good, unknown_code, unknown_unit, no_value, condition)]
    records, report = lab_records({"resourceType": "Bundle", "type": "collection", "entry": entries}, profile, now=NOW)
    assert [r["analyte"] for r in records] == ["ferritin"]
    reasons = {s["resource"]: s["reason"] for s in report.skipped}
    assert "2345-7" in reasons["Observation/glucose-1"] and "catalogue" in reasons["Observation/glucose-1"]
    assert "mmol/L" in reasons["Observation/ferritin-2"]
    assert "valueQuantity" in reasons["Observation/ferritin-3"]
    assert "only lab Observations" in reasons["Condition/c1"]
    assert report.to_dict()["imported"] == {"Observation": 1}


def test_an_invalid_resource_is_an_error_naming_its_entry(bundle):
    broken = copy.deepcopy(bundle)
    broken["entry"][1]["resource"]["onsetDateTime"] = "last spring"
    with pytest.raises(DomainError) as caught:
        bundle_to_export(broken, now=NOW)
    assert caught.value.field == "entry[1]" and "not valid FHIR R4" in caught.value.message
    with pytest.raises(DomainError) as not_bundle:
        bundle_to_export({"resourceType": "Patient"}, now=NOW)
    assert not_bundle.value.code == "fhir.not_bundle"


def edge_document():
    """A synthetic patient plus the record shapes the generator does not make."""
    doc = copy.deepcopy(generate_patient(9, username="fhir-edge", years=0.3, sex="male").record)
    at = "2026-10-01T08:00:00+00:00"
    ids = iter(f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 100))
    doc["conditions"].append(
        {
            "id": next(ids),
            "label": "Neuropathic leg pain",
            "icd11_category": "neuropathic",
            "body_sites": ["leg_left", "foot_left"],
            "onset_date": "2021-03-01",
            "entered_at": at,
        }
    )
    other = next(ids)
    doc["therapies"] += [
        {
            "id": next(ids),
            "kind": "medication",
            "name": "Gabapentin 300 mg",
            "start_date": "2026-01-01",
            "stop_date": "2026-06-30",
            "notes": "",
            "strain": "",
            "form": "",
            "unit": "",
            "leaf_g_per_unit": None,
            "mitragynine_mg_per_g": None,
            "drug_class": "gabapentinoid",
            "entered_at": at,
        },
        {
            "id": other,
            "kind": "mindfulness",
            "name": "MBSR course",
            "start_date": "2026-09-01",
            "stop_date": None,
            "notes": "",
            "strain": "",
            "form": "",
            "unit": "",
            "leaf_g_per_unit": None,
            "mitragynine_mg_per_g": None,
            "drug_class": "",
            "entered_at": at,
        },
    ]
    doc["therapy_sessions"] += [
        {
            "id": next(ids),
            "occurred_at": at,
            "entered_at": at,
            "modality": "mindfulness",
            "therapy_id": other,
            "minutes": None,
            "status": "done",
            "home_practice": True,
        },
        {
            "id": next(ids),
            "occurred_at": at,
            "entered_at": at,
            "modality": "other",
            "therapy_id": None,
            "minutes": 20,
            "status": "skipped",
            "home_practice": False,
        },
    ]
    doc["side_effects"].append(
        {
            "id": next(ids),
            "occurred_at": at,
            "entered_at": at,
            "kind": "hair_shedding",
            "free_text": "more on pillow",
            "severity": None,
            "ctcae_grade": 2,
            "onset_date": "2026-09-20",
            "resolved_date": "2026-10-20",
        }
    )
    doc["check_ins"].append(
        {
            "id": next(ids),
            "occurred_at": at,
            "entered_at": at,
            "sleep_hours": 6.5,
            "sleep_quality": None,
            "mood": 3,
            "interference": None,
            "activity_minutes": None,
            "alcoholic_drinks": 2,
        }
    )
    doc["lab_results"] += [
        {
            "id": next(ids),
            "analyte": "b12",
            "value": 180.0,
            "unit": "pmol/L",
            "ref_low": None,
            "ref_high": None,
            "collected_at": at,
            "entered_at": at,
            "lab_name": "City Lab",
            "note": "fasting",
        },
        {
            "id": next(ids),
            "analyte": "alt",
            "value": 61.0,
            "unit": "U/L",
            "ref_low": None,
            "ref_high": 40.0,
            "collected_at": at,
            "entered_at": at,
            "lab_name": "",
            "note": "",
        },
    ]
    doc["questionnaire_responses"] += [
        {
            "id": next(ids),
            "code": "phq9",
            "answers": [1, 1, 0, 0, 1, 0, 0, 0, None],
            "completed_at": at,
            "entered_at": at,
            "entered_by_role": "patient",
            "total": None,
            "band": None,
            "subscales": {},
            "flags": ["self_harm_unanswered"],
            "answered": 8,
        },
        {
            "id": next(ids),
            "code": "cows",
            "answers": [1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0],
            "completed_at": at,
            "entered_at": at,
            "entered_by_role": "clinician",
            "total": 7,
            "band": "mild",
            "subscales": {},
            "flags": [],
            "answered": 11,
        },
    ]
    return doc


def test_the_shapes_the_generator_does_not_make_round_trip_too():
    snapshot = snapshot_from_export(edge_document())
    bundle = snapshot_to_bundle(snapshot, timestamp=NOW, today=NOW.date())
    assert [e for e in bundle["entry"] if validation_error(e["resource"])] == []
    doc, report = bundle_to_export(json.loads(json.dumps(bundle)), now=NOW)
    assert report.skipped == []
    assert snapshot_to_bundle(snapshot_from_export(doc), timestamp=NOW, today=NOW.date()) == bundle
    hair = [o for o in of_type(bundle, "Observation") if o["code"]["coding"][0]["code"] == "hair-shedding-grade"]
    assert [h["valueInteger"] for h in hair] == [2] and hair[0]["focus"][0]["reference"].startswith("AdverseEvent/")
    event = next(a for a in of_type(bundle, "AdverseEvent") if a["event"]["coding"][0]["code"] == "hair_shedding")
    assert event["outcome"]["coding"][0]["code"] == "resolved"
    phq9_missing = next(q for q in of_type(bundle, "QuestionnaireResponse") if q["item"][-1].get("answer") is None)
    assert not [
        o
        for o in of_type(bundle, "Observation")
        if o.get("derivedFrom", [{}])[0].get("reference") == f"QuestionnaireResponse/{phq9_missing['id']}"
    ]  # not scorable: no score Observation
    alt = next(o for o in of_type(bundle, "Observation") if o["id"] == "00000000-0000-4000-8000-000000000009")
    assert alt["interpretation"][0]["coding"][0]["code"] == "H" and alt["referenceRange"][0]["high"]["value"] == 40
    b12 = next(o for o in of_type(bundle, "Observation") if o["id"] == "00000000-0000-4000-8000-000000000008")
    assert b12["code"]["coding"][0]["code"] == "14685-2"  # the molar LOINC code for pmol/L
    assert b12["referenceRange"][0]["type"]["coding"][0]["code"] == "catalogue"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "resourceType",
        "id",
        "code",
        "valueQuantity",
        "effectiveDateTime",
        "subject",
        "partOf",
        "dosage",
        "item",
        "questionnaire",
        "referenceRange",
        "category",
        "birthDate",
        "gender",
    ]
)
RESOURCE = st.fixed_dictionaries(
    {
        "resourceType": st.sampled_from(
            [
                "Patient",
                "Observation",
                "MedicationStatement",
                "Procedure",
                "Condition",
                "AdverseEvent",
                "QuestionnaireResponse",
                "Flag",
                "Nope",
            ]
        )
    },
    optional={"id": st.text(max_size=10)},
).flatmap(lambda base: st.dictionaries(KEYS, JSON, max_size=4).map(lambda extra: {**extra, **base}))
BUNDLES = st.one_of(
    JSON,
    st.builds(
        lambda entries: {"resourceType": "Bundle", "type": "collection", "entry": entries},
        st.lists(st.one_of(JSON, st.builds(lambda r: {"resource": r}, RESOURCE)), max_size=5),
    ),
)


@settings(max_examples=150, deadline=None)
@given(BUNDLES)
def test_any_json_is_read_or_refused_with_a_domain_error_never_a_crash(document):
    profile = Profile("p", "u", dt.date(1980, 1, 1), "female", "UTC")
    for read in (lambda: bundle_to_export(document, now=NOW), lambda: lab_records(document, profile, now=NOW)):
        with contextlib.suppress(DomainError):  # a refusal with the error shape is fine; anything else fails
            read()


@pytest.mark.parametrize(
    ("source", "rule", "scopes", "shown"),
    [
        ("questionnaire_response", "mood.self_harm", ["questionnaires"], True),
        ("questionnaire_response", "mood.self_harm", ["diary", "labs"], False),
        ("", "labs.out_of_range", ["labs"], True),
        ("", "labs.out_of_range", ["diary"], False),
        ("", "hair.workup_due", ["diary"], False),
        ("", "hair.workup_due", ["diary", "labs"], True),
        ("", "liver.symptoms", ["diary"], True),
        ("", "dependence.withdrawal", ["plan"], True),  # no scope known: any grant (flags scope)
    ],
)
def test_cds_cards_follow_the_scopes_the_rule_reads(source, rule, scopes, shown):
    from painwise.core.fhir.cds import visible

    assert visible(source, scopes, rule) is shown
