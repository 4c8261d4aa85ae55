"""GET /api/v1/patients/{id}/fhir: the record as a Bundle, limited to what the caller's grant covers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from painwise.core.fhir import validation_error
from tests.personas import bearer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(cast):
    """Alice has a pain entry, a lab result, a PHQ-9 with item 9 positive (a flag for Bob) and a condition."""
    from painwise.diary.services import diary_record_create
    from painwise.labs.services import lab_result_create
    from painwise.patients.services import condition_create
    from painwise.questionnaires.services import questionnaire_submit

    when = timezone.now() - dt.timedelta(days=2)
    diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="pain_entries",
        data={"occurred_at": when, "body_site": "lower_back", "nrs": 6, "qualities": ["aching"]},
    )
    lab_result_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"analyte": "ferritin", "value": 12, "unit": "ng/mL", "collected_at": when},
    )
    condition_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={
            "label": "Low back pain",
            "icd11_category": "chronic_primary",
            "body_sites": ["lower_back"],
            "onset_date": dt.date(2020, 1, 1),
        },
    )
    questionnaire_submit(actor=cast.alice, patient=cast.alice_patient, code="phq9", answers=[1, 1, 1, 1, 1, 1, 1, 1, 1])
    return cast


def kinds(bundle):
    out = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        key = resource["resourceType"]
        if key == "Observation":
            key += ":" + resource["category"][0]["coding"][0]["code"]
        out[key] = out.get(key, 0) + 1
    return out


def fhir(client, patient, user):
    return client.get(f"/api/v1/patients/{patient.id}/fhir", headers=bearer(user) if user else {})


def test_the_patient_gets_her_whole_record(client, record):
    response = fhir(client, record.alice_patient, record.alice)
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["type"] == "searchset" and validation_error(bundle) is None
    found = kinds(bundle)
    assert found["Patient"] == 1 and found["Condition"] == 1 and found["Observation:laboratory"] == 1
    assert found["QuestionnaireResponse"] == 1 and found["MedicationStatement"] == 1
    assert "Flag" not in found  # flags are the clinician's worklist


def test_a_clinician_with_every_scope_gets_the_record_and_his_open_flags(client, record):
    found = kinds(fhir(client, record.alice_patient, record.bob).json())
    assert found["Observation:laboratory"] == 1 and found["Flag"] == 1


def test_a_clinician_without_the_labs_scope_gets_no_lab_observations(client, record):
    from painwise.patients.services import grant_create

    erin = make_user("erin", "clinician")
    grant_create(actor=record.alice, patient=record.alice_patient, grantee=erin, scopes=["diary", "plan"])
    found = kinds(fhir(client, record.alice_patient, erin).json())
    assert "Observation:laboratory" not in found and "QuestionnaireResponse" not in found
    assert found["Observation:survey"] == 1 and found["MedicationStatement"] == 1 and found["Condition"] == 1


def test_a_clinician_with_only_the_labs_scope_gets_the_patient_and_labs(client, record):
    from painwise.patients.services import grant_create

    erin = make_user("erin", "clinician")
    grant_create(actor=record.alice, patient=record.alice_patient, grantee=erin, scopes=["labs"])
    assert kinds(fhir(client, record.alice_patient, erin).json()) == {"Patient": 1, "Observation:laboratory": 1}


@pytest.mark.parametrize("who", ["carol", "dave", "rita", "adam"])
def test_anyone_without_a_grant_gets_404(client, record, who):
    response = fhir(client, record.alice_patient, getattr(record, who))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_revoked_grant_ends_access(client, record):
    from painwise.patients.services import grant_revoke

    grant_revoke(actor=record.alice, grant=record.grant)
    assert fhir(client, record.alice_patient, record.bob).status_code == 404


def test_it_needs_a_token_and_a_real_id(client, record):
    assert fhir(client, record.alice_patient, None).status_code == 401
    assert client.get("/api/v1/patients/not-a-uuid/fhir", headers=bearer(record.alice)).status_code == 404


def test_reads_by_a_clinician_are_audited(client, record):
    from painwise.audit.models import AuditEvent

    fhir(client, record.alice_patient, record.bob)
    event = AuditEvent.objects.filter(actor_id=record.bob.id, object_type="fhir").get()
    assert event.patient_key == record.alice_patient.audit_key and event.action == "export"


# --- POST: lab Observations pushed from another system ----------------------------------------------


def push(client, patient, user, body):
    import json

    return client.post(
        f"/api/v1/patients/{patient.id}/fhir",
        data=json.dumps(body),
        content_type="application/json",
        headers=bearer(user) if user else {},
    )


def test_a_clinician_with_data_entry_pushes_lab_results(client, cast):
    from painwise.labs.models import LabResult
    from tests.fhir.test_fhir_exchange import lab_bundle

    response = push(client, cast.alice_patient, cast.bob, lab_bundle())
    assert response.status_code == 200
    report = response.json()
    assert report["imported"] == {"Observation": 2} and len(report["skipped"]) == 3
    assert LabResult.objects.filter(patient=cast.alice_patient).count() == 2


def test_pushing_labs_needs_labs_write_access(client, cast):
    from painwise.labs.models import LabResult
    from painwise.patients.services import grant_create
    from tests.fhir.test_fhir_exchange import lab_bundle

    reader = make_user("erin", "clinician")
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=reader, scopes=["labs"])
    for user in (reader, cast.carol, cast.dave, cast.rita):
        assert push(client, cast.alice_patient, user, lab_bundle()).status_code == 404
    assert push(client, cast.alice_patient, None, lab_bundle()).status_code == 401
    assert not LabResult.objects.exists()
    assert push(client, cast.alice_patient, cast.alice, lab_bundle()).status_code == 200


@pytest.mark.parametrize("body", [{"resourceType": "Patient"}, {"resourceType": "Bundle", "entry": [{"x": 1}]}])
def test_a_body_that_is_not_a_usable_bundle_is_422(client, cast, body):
    response = push(client, cast.alice_patient, cast.alice, body)
    assert response.status_code == 422 and response.json()["error"]["code"].startswith("fhir.")
