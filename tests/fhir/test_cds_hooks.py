"""CDS Hooks 2.0: discovery and the patient-view service, checked against the specification's
request and response shapes (https://cds-hooks.hl7.org/2.0/: "Discovery", "Calling a CDS Service",
"CDS Service Response", "Card Attributes"). The example request is the specification's own
patient-view example, with painwise's patient id where the service should know the patient."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.personas import bearer, make_user

pytestmark = pytest.mark.django_db

DISCOVERY = "/api/v1/cds-services"
SERVICE = "/api/v1/cds-services/painwise-open-flags"


def spec_request(patient_id: str = "1288992") -> dict:
    """The CDS Hooks 2.0 patient-view example request (fhirAuthorization, context, prefetch)."""
    return {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": "http://hooks.smarthealthit.org:9080",
        "hook": "patient-view",
        "fhirAuthorization": {
            "access_token": "some-opaque-fhir-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/Observation.read",
            "subject": "cds-service4",
        },
        "context": {"userId": "Practitioner/example", "patientId": patient_id, "encounterId": "89284"},
        "prefetch": {
            "patientToGreet": {
                "resourceType": "Patient",
                "gender": "male",
                "birthDate": "1925-12-23",
                "id": "1288992",
                "active": True,
            }
        },
    }


def call(client, body, user):
    headers = bearer(user) if user else {}
    return client.post(SERVICE, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def flagged(cast):
    """Alice answered PHQ-9 item 9 positively: an urgent flag for Bob (her clinician)."""
    from painwise.questionnaires.services import questionnaire_submit

    questionnaire_submit(actor=cast.alice, patient=cast.alice_patient, code="phq9", answers=[1] * 9)
    return cast


def phq9(cards: list) -> list:
    """The cards of the PHQ-9 item 9 flag (the monitoring engine may raise others for the same patient)."""
    return [card for card in cards if card["source"]["topic"]["code"] == "mood.self_harm"]


def check_card(card: dict) -> None:
    """Card attributes as CDS Hooks 2.0 defines them."""
    assert isinstance(card["summary"], str) and 0 < len(card["summary"]) < 140
    assert card["indicator"] in ("info", "warning", "critical")
    assert isinstance(card["source"]["label"], str) and card["source"]["label"]
    uuid.UUID(card["uuid"])
    assert isinstance(card.get("detail", ""), str)
    for link in card.get("links", []):
        assert link["type"] in ("absolute", "smart") and link["label"] and link["url"].startswith("http")
    assert "suggestions" not in card  # none offered, so no selectionBehavior is needed


def test_discovery_lists_the_patient_view_service_without_a_token(client):
    response = client.get(DISCOVERY)
    assert response.status_code == 200
    services = response.json()["services"]
    assert len(services) == 1
    service = services[0]
    # required: hook, description, id; title recommended; prefetch optional (none needed)
    assert service["hook"] == "patient-view" and service["id"] == "painwise-open-flags"
    assert service["description"] and service["title"]
    assert "prefetch" not in service


def test_the_spec_example_for_a_patient_painwise_does_not_know_gets_no_cards(client, flagged):
    response = call(client, spec_request(), flagged.bob)
    assert response.status_code == 200 and response.json() == {"cards": []}


def test_open_flags_come_back_as_cards(client, flagged):
    response = call(client, spec_request(str(flagged.alice_patient.id)), flagged.bob)
    assert response.status_code == 200
    cards = response.json()["cards"]
    for each in cards:
        check_card(each)
    order = {"critical": 0, "warning": 1, "info": 2}
    assert [order[c["indicator"]] for c in cards] == sorted(order[c["indicator"]] for c in cards)
    [card] = phq9(cards)
    assert card["indicator"] == "critical" and cards[0] == card  # urgent flag, shown first
    assert card["summary"].startswith("PHQ-9 item 9 positive")
    assert "**Consider:**" in card["detail"] and "C-SSRS" in card["detail"]
    assert "Kroenke" in card["source"]["label"] and card["source"]["topic"]["code"] == "mood.self_harm"
    assert "kratom" not in card["summary"].lower()


def test_a_patient_reference_works_as_well_as_an_id(client, flagged):
    body = spec_request(f"Patient/{flagged.alice_patient.id}")
    assert len(phq9(call(client, body, flagged.bob).json()["cards"])) == 1


def test_acknowledged_flags_are_not_cards(client, flagged):
    from painwise.monitoring.models import Flag
    from painwise.monitoring.services import flag_acknowledge

    flag_acknowledge(actor=flagged.bob, flag=Flag.objects.get(recipient=flagged.bob, rule_id="mood.self_harm"))
    assert phq9(call(client, spec_request(str(flagged.alice_patient.id)), flagged.bob).json()["cards"]) == []


def test_the_grant_scopes_are_honoured(client, flagged):
    from painwise.patients.services import grant_create

    erin = make_user("erin", "clinician")
    grant_create(actor=flagged.alice, patient=flagged.alice_patient, grantee=erin, scopes=["labs", "diary"])
    # Erin's grant came after the flag was raised: give her a copy to see that scope, not routing, hides it.
    from painwise.monitoring.models import Flag

    flag = Flag.objects.get(recipient=flagged.bob, rule_id="mood.self_harm")
    flag.pk, flag.recipient = uuid.uuid4(), erin
    flag.save()
    assert phq9(call(client, spec_request(str(flagged.alice_patient.id)), erin).json()["cards"]) == []
    # the same flag for a clinician whose grant has the questionnaires scope is a card
    fay = make_user("fay", "clinician")
    grant_create(actor=flagged.alice, patient=flagged.alice_patient, grantee=fay, scopes=["questionnaires"])
    flag.pk, flag.recipient = uuid.uuid4(), fay
    flag.save()
    assert len(phq9(call(client, spec_request(str(flagged.alice_patient.id)), fay).json()["cards"])) == 1


@pytest.mark.parametrize("who", ["carol", "dave", "alice"])
def test_callers_without_flags_for_the_patient_get_no_cards(client, flagged, who):
    response = call(client, spec_request(str(flagged.alice_patient.id)), getattr(flagged, who))
    assert response.status_code == 200 and response.json() == {"cards": []}


def test_a_revoked_grant_ends_the_cards(client, flagged):
    from painwise.patients.services import grant_revoke

    grant_revoke(actor=flagged.alice, grant=flagged.grant)
    assert call(client, spec_request(str(flagged.alice_patient.id)), flagged.bob).json() == {"cards": []}


def test_the_caller_must_be_authenticated(client, flagged):
    response = call(client, spec_request(str(flagged.alice_patient.id)), None)
    assert response.status_code == 401 and response.json()["error"]["code"] == "auth.required"


def test_requests_that_are_not_patient_view_are_refused(client, flagged):
    body = spec_request(str(flagged.alice_patient.id)) | {"hook": "order-select"}
    response = call(client, body, flagged.bob)
    assert response.status_code == 422 and response.json()["error"]["field"] == "hook"
    no_context = {k: v for k, v in spec_request().items() if k != "context"}
    assert call(client, no_context, flagged.bob).status_code == 422
    other = client.post(
        "/api/v1/cds-services/nope",
        data=json.dumps(spec_request()),
        content_type="application/json",
        headers=bearer(flagged.bob),
    )
    assert other.status_code == 404


def test_a_card_read_is_audited(client, flagged):
    from painwise.audit.models import AuditEvent

    call(client, spec_request(str(flagged.alice_patient.id)), flagged.bob)
    event = AuditEvent.objects.get(actor_id=flagged.bob.id, object_type="flags", action="read")
    assert event.patient_key == flagged.alice_patient.audit_key and event.detail == {"view": "cds"}


def test_the_service_is_also_at_the_root_paths_the_standard_names(client, flagged):
    """`GET /cds-services` and `POST /cds-services/{id}` (CDS Hooks 2.0 "Discovery"): the same operations."""
    root = client.get("/cds-services")
    assert root.status_code == 200 and root.json() == client.get(DISCOVERY).json()
    body = spec_request(str(flagged.alice_patient.id))
    response = client.post(
        "/cds-services/painwise-open-flags", data=json.dumps(body), content_type="application/json",
        headers=bearer(flagged.bob),
    )  # fmt: skip
    assert response.status_code == 200 and len(phq9(response.json()["cards"])) == 1
    anonymous = client.post("/cds-services/painwise-open-flags", data=json.dumps(body), content_type="application/json")
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "auth.required"
    unknown = client.post(
        "/cds-services/nope", data=json.dumps(body), content_type="application/json", headers=bearer(flagged.bob)
    )
    assert unknown.status_code == 404 and unknown.json()["error"]["code"]
