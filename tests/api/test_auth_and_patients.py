import json

import pytest

from tests.personas import PASSWORD, bearer

pytestmark = pytest.mark.django_db


def post_json(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_it_issues_a_token_for_good_credentials(cast, client):
    response = post_json(client, "/api/v1/auth/token", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json()["token"].startswith("pw_")


def test_it_stores_only_a_hash_of_the_token(cast, client):
    from painwise.accounts.models import ApiToken

    token = post_json(client, "/api/v1/auth/token", {"username": "alice", "password": PASSWORD}).json()["token"]
    stored = ApiToken.objects.get(user=cast.alice)
    assert token not in stored.key_hash
    assert len(stored.key_hash) == 64


def test_it_refuses_a_wrong_password_in_the_error_shape(cast, client):
    response = post_json(client, "/api/v1/auth/token", {"username": "alice", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "auth.invalid_credentials", "message": "username or password is wrong", "field": "password"}
    }


def test_it_requires_a_token(cast, client):
    response = client.get("/api/v1/patients")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.required"


def test_it_rejects_an_expired_token(cast, client):
    import datetime as dt

    from django.utils import timezone

    from painwise.accounts.models import ApiToken

    headers = bearer(cast.alice)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/patients", headers=headers).status_code == 401


def test_it_lists_only_the_patients_a_clinician_was_granted(cast, client):
    body = client.get("/api/v1/patients", headers=bearer(cast.bob)).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == str(cast.alice_patient.id)
    assert client.get("/api/v1/patients", headers=bearer(cast.carol)).json() == {"items": [], "count": 0}


def test_it_lists_only_herself_for_a_patient(cast, client):
    body = client.get("/api/v1/patients", headers=bearer(cast.dave)).json()
    assert [item["username"] for item in body["items"]] == ["dave"]


def test_it_shows_no_clinical_data_to_researchers_and_admins(cast, client):
    for user in (cast.rita, cast.adam):
        assert client.get("/api/v1/patients", headers=bearer(user)).json()["count"] == 0
        url = f"/api/v1/patients/{cast.alice_patient.id}"
        assert client.get(url, headers=bearer(user)).status_code == 404


def test_it_stops_access_at_once_when_a_grant_is_revoked(cast, client):
    from painwise.patients.services import grant_revoke

    headers = bearer(cast.bob)
    url = f"/api/v1/patients/{cast.alice_patient.id}/pain_entries"
    assert client.get(url, headers=headers).status_code == 200
    grant_revoke(actor=cast.alice, grant=cast.grant)
    assert client.get(url, headers=headers).status_code == 404


def test_it_audits_a_clinicians_read(cast, client):
    from painwise.audit.models import AuditEvent

    client.get(f"/api/v1/patients/{cast.alice_patient.id}/pain_entries", headers=bearer(cast.bob))
    event = AuditEvent.objects.filter(action="read", actor_username="bob").get()
    assert event.patient_key == cast.alice_patient.audit_key
    assert event.object_type == "diary"
    assert event.ip == "127.0.0.1"
    assert event.request_id


def test_it_does_not_audit_a_patient_reading_her_own_records(cast, client):
    from painwise.audit.models import AuditEvent

    client.get(f"/api/v1/patients/{cast.alice_patient.id}/pain_entries", headers=bearer(cast.alice))
    assert not AuditEvent.objects.filter(action="read").exists()


def test_it_publishes_openapi_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/patients/{patient_id}/pain_entries" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_it_derives_chronicity_of_conditions(cast, client):
    import datetime as dt

    headers = bearer(cast.alice)
    url = f"/api/v1/patients/{cast.alice_patient.id}/conditions"
    body = {"label": "Low back pain", "icd11_category": "chronic_primary", "body_sites": ["lower_back"]}
    old = post_json(client, url, body | {"onset_date": "2020-01-01"}, **headers)
    recent = post_json(client, url, body | {"onset_date": str(dt.date.today() - dt.timedelta(days=10))}, **headers)
    assert old.status_code == recent.status_code == 201
    assert old.json()["chronic"] is True
    assert recent.json()["chronic"] is False
