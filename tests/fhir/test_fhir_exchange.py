"""FHIR exchange through the database and the command line: export -> import into an empty database ->
export gives an equivalent Bundle; lab Observations from other systems go into an existing patient."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from painwise.core.errors import DomainError
from painwise.core.fhir import codes as c
from painwise.core.fhir import validation_error
from painwise.core.synth.cohort import generate_patient

pytestmark = pytest.mark.django_db


def export(patient):
    from painwise.exchange.fhir import export_bundle

    bundle = export_bundle(patient, flags=[])
    bundle.pop("timestamp")
    return bundle


def wipe(patient):
    """Remove the patient and every record: the import then runs against an empty database."""
    from painwise.accounts.erasure import _delete_patient_records

    user = patient.user
    _delete_patient_records(patient)
    user.delete()


def round_trip(patient):
    from painwise.exchange.fhir import import_bundle
    from painwise.patients.models import Patient

    first = export(patient)
    wipe(patient)
    assert not Patient.objects.exists()
    report = import_bundle(json.loads(json.dumps(first)))
    again = export(Patient.objects.get(id=first["entry"][0]["resource"]["id"]))
    return first, again, report


def test_the_demo_patient_round_trips_through_an_empty_database(settings):
    from painwise.accounts.models import User
    from painwise.demo import seed_demo
    from painwise.patients.models import Patient

    settings.DEMO_MODE = True
    seed_demo(extra_patients=0)
    patient = Patient.objects.get(user__username="demo-patient")
    for other in Patient.objects.exclude(id=patient.id):
        wipe(other)
    User.objects.exclude(id=patient.user_id).delete()  # clinicians with grants: an empty database
    first, again, report = round_trip(patient)
    assert again == first
    kinds = {e["resource"]["resourceType"] for e in first["entry"]}
    assert {"Patient", "Condition", "MedicationStatement", "Observation", "QuestionnaireResponse"} <= kinds
    assert sum(report["imported"].values()) == len(first["entry"]) and report["skipped"] == []
    assert all(validation_error(e["resource"]) is None for e in first["entry"])


@pytest.mark.parametrize("seed", [3, 41])
def test_synthetic_patients_round_trip(seed):
    from painwise.exchange.importer import import_patient

    patient = import_patient(generate_patient(seed, username=f"fhir-{seed}", years=1, sex="male").record)
    first, again, report = round_trip(patient)
    assert again == first
    assert report["skipped"] == []
    observations = [e["resource"] for e in first["entry"] if e["resource"]["resourceType"] == "Observation"]
    labs = [o for o in observations if o["category"][0]["coding"][0]["code"] == "laboratory"]
    assert labs, "the synthetic patient has lab results"


def test_an_invalid_record_aborts_the_whole_import_naming_the_resource():
    from painwise.exchange.fhir import import_bundle
    from painwise.exchange.importer import import_patient
    from painwise.patients.models import Patient

    patient = import_patient(generate_patient(5, username="fhir-5", years=0.3, sex="female").record)
    bundle = export(patient)
    wipe(patient)
    broken = copy.deepcopy(bundle)
    observations = [e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Observation"]
    pain = next(o for o in observations if o["code"]["coding"][0]["code"] == "72514-3")
    pain["valueInteger"] = 11
    with pytest.raises(DomainError) as caught:
        import_bundle(broken)
    assert f"Observation/{pain['id']}" in caught.value.message and caught.value.field.endswith(".nrs")
    assert not Patient.objects.exists()  # nothing half-imported


def lab_bundle():
    def obs(ident, loinc, value, unit, **extra):
        return {
            "resource": {
                "resourceType": "Observation",
                "id": ident,
                "status": "final",
                "category": [{"coding": [{"system": c.OBSERVATION_CATEGORY, "code": "laboratory"}]}],
                "code": {"coding": [{"system": c.LOINC, "code": loinc}]},
                "subject": {"reference": "Patient/ext-1"},
                "effectiveDateTime": "2026-09-01T08:00:00Z",
                "valueQuantity": {"value": value, "unit": unit, "system": c.UCUM, "code": unit},
                **extra,
            }
        }

    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "ext-1", "gender": "female"}},
            obs(
                "fer-1",
                "2276-4",
                12,
                "ng/mL",
                referenceRange=[
                    {
                        "low": {"value": 15, "unit": "ng/mL", "system": c.UCUM, "code": "ng/mL"},
                        "high": {"value": 150, "unit": "ng/mL", "system": c.UCUM, "code": "ng/mL"},
                    }
                ],
            ),
            obs("b12-1", "14685-2", 300, "pmol/L", performer=[{"display": "City Lab"}]),
            obs("glu-1", "2345-7", 5.1, "mmol/L"),
            obs("fer-2", "2276-4", 12, "mmol/L"),
        ],
    }


def test_lab_observations_from_another_system_go_into_an_existing_patient(cast):
    from painwise.exchange.fhir import import_bundle
    from painwise.labs.models import LabResult

    report = import_bundle(lab_bundle(), patient=cast.alice_patient)
    assert report["imported"] == {"Observation": 2}
    reasons = {s["resource"]: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {"Patient/ext-1", "Observation/glu-1", "Observation/fer-2"}
    assert "2345-7" in reasons["Observation/glu-1"]
    assert "mmol/L" in reasons["Observation/fer-2"]
    results = {r.analyte: r for r in LabResult.objects.filter(patient=cast.alice_patient)}
    assert set(results) == {"ferritin", "b12"}
    assert results["ferritin"].ref_low == 15 and results["ferritin"].status == "low"
    assert results["b12"].lab_name == "City Lab" and results["b12"].unit == "pmol/L"
    # the same file again: nothing new, each result reported as already imported
    again = import_bundle(lab_bundle(), patient=cast.alice_patient)
    assert again["imported"] == {}
    assert sum("already imported" in s["reason"] for s in again["skipped"]) == 2
    assert LabResult.objects.filter(patient=cast.alice_patient).count() == 2


runner = CliRunner()


def cli(*args):
    from painwise.cli import app

    return runner.invoke(app, list(args))


def test_the_command_line_exports_and_imports(cast, tmp_path):
    from painwise.patients.models import Patient

    out = tmp_path / "alice.json"
    result = cli("fhir", "export", "--patient", "alice", "--out", str(out))
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text())
    assert bundle["type"] == "transaction"
    assert all(e["request"]["method"] == "PUT" for e in bundle["entry"])
    labs = tmp_path / "labs.json"
    labs.write_text(json.dumps(lab_bundle()))
    result = cli("fhir", "import", str(labs), "--json", "--patient", str(cast.dave_patient.id))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["imported"] == {"Observation": 2}
    assert {"resource", "reason"} == set(report["skipped"][0])
    wipe(cast.alice_patient)
    assert not Patient.objects.filter(user__username="alice").exists()
    result = cli("fhir", "import", str(out))
    assert result.exit_code == 0, result.output
    assert "imported: " in result.stdout and "Patient 1" in result.stdout
    assert Patient.objects.filter(user__username="alice").exists()


@pytest.mark.parametrize(
    ("content", "field"),
    [("{not json", "FILE"), (json.dumps({"resourceType": "Patient"}), "resourceType")],
)
def test_command_line_errors_exit_2(db, tmp_path, content, field):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = cli("fhir", "import", str(path))
    assert result.exit_code == 2
    assert f"[{field}]" in result.output


def test_unknown_patient_exits_2(db, tmp_path):
    result = cli("fhir", "export", "--patient", "nobody", "--out", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "[--patient]" in result.output


def test_the_shapes_the_generator_does_not_make_round_trip_through_the_database():
    from painwise.core.tests.test_fhir import edge_document
    from painwise.exchange.importer import import_patient

    patient = import_patient(edge_document())
    first, again, report = round_trip(patient)
    assert again == first and report["skipped"] == []


def foreign_bundle():
    """A patient from another system: its own ids (not UUIDs), SNOMED-only condition, an encounter."""
    subject = {"reference": "Patient/p-77"}
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {
                "fullUrl": "https://ehr.example/fhir/Patient/p-77",
                "resource": {
                    "resourceType": "Patient",
                    "id": "p-77",
                    "gender": "male",
                    "birthDate": "1970-02-03",
                    "identifier": [{"system": "urn:oid:1.2.3", "value": "mrn-77"}],
                },
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "id": "pain-1",
                    "status": "final",
                    "subject": subject,
                    "code": {"coding": [{"system": c.LOINC, "code": "72514-3"}]},
                    "effectiveDateTime": "2026-10-02T09:00:00Z",
                    "valueInteger": 7,
                }
            },
            {
                "resource": {
                    "resourceType": "Condition",
                    "id": "cond-1",
                    "subject": subject,
                    "code": {"coding": [{"system": c.SNOMED, "code": "279039007"}], "text": "Low back pain"},
                }
            },
            {
                "resource": {
                    "resourceType": "MedicationStatement",
                    "id": "med-1",
                    "status": "active",
                    "subject": subject,
                    "medicationCodeableConcept": {"text": "Ibuprofen 400 mg"},
                    "effectivePeriod": {"start": "2026-01-10"},
                }
            },
            {
                "resource": {
                    "resourceType": "Encounter",
                    "id": "enc-1",
                    "status": "finished",
                    "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                    "subject": subject,
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "id": "tsh-1",
                    "status": "final",
                    "subject": subject,
                    "category": [{"coding": [{"system": c.OBSERVATION_CATEGORY, "code": "laboratory"}]}],
                    "code": {"coding": [{"system": c.LOINC, "code": "3016-3"}]},
                    "effectiveDateTime": "2026-10-01T08:00:00Z",
                    "valueQuantity": {"value": 2.1, "unit": "mIU/L", "system": c.UCUM, "code": "m[IU]/L"},
                }
            },
        ],
    }


def test_a_patient_from_another_system_becomes_a_new_patient_with_a_report():
    from painwise.diary.models import PainEntry
    from painwise.exchange.fhir import import_bundle
    from painwise.labs.models import LabResult
    from painwise.patients.models import Patient
    from painwise.treatment.models import Therapy

    report = import_bundle(foreign_bundle())
    assert report["imported"] == {"MedicationStatement": 1, "Observation": 2, "Patient": 1}
    reasons = {s["resource"]: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {"Condition/cond-1", "Encounter/enc-1"}
    assert "ICD-11" in reasons["Condition/cond-1"] and "Encounter" in reasons["Encounter/enc-1"]
    patient = Patient.objects.get(user__username="mrn-77")
    assert patient.sex_at_birth == "male" and str(patient.date_of_birth) == "1970-02-03"
    assert PainEntry.objects.get(patient=patient).nrs == 7
    assert Therapy.objects.get(patient=patient).kind == "medication"
    assert LabResult.objects.get(patient=patient).analyte == "tsh"
