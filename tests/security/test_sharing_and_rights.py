import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.personas import PASSWORD, bearer

pytestmark = pytest.mark.django_db


def post(client, path, body, headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def test_it_shares_by_code_with_chosen_scopes(cast, client):
    invite = post(client, "/api/v1/sharing/invitations", {"scopes": ["diary"]}, bearer(cast.alice))
    assert invite.status_code == 201
    code = invite.json()["code"]
    grant = post(client, "/api/v1/sharing/redeem", {"code": code}, bearer(cast.carol))
    assert grant.status_code == 201
    assert grant.json()["scopes"] == ["diary"]
    carol = bearer(cast.carol)
    assert client.get(f"/api/v1/patients/{cast.alice_patient.id}/pain_entries", headers=carol).status_code == 200
    # The grant covers the diary only: the plan stays hidden.
    assert client.get(f"/api/v1/patients/{cast.alice_patient.id}/therapies", headers=carol).status_code == 404


def test_it_accepts_a_share_code_once(cast, client):
    code = post(client, "/api/v1/sharing/invitations", {}, bearer(cast.alice)).json()["code"]
    assert post(client, "/api/v1/sharing/redeem", {"code": code}, bearer(cast.carol)).status_code == 201
    again = post(client, "/api/v1/sharing/redeem", {"code": code}, bearer(cast.bob))
    assert again.status_code == 422
    assert again.json()["error"]["field"] == "code"


def test_it_refuses_a_code_redeemed_by_a_non_clinician(cast, client):
    code = post(client, "/api/v1/sharing/invitations", {}, bearer(cast.alice)).json()["code"]
    assert post(client, "/api/v1/sharing/redeem", {"code": code}, bearer(cast.dave)).status_code == 403


def test_it_lets_the_grant_expire(cast, client):
    soon = timezone.now() + dt.timedelta(hours=1)
    code = post(client, "/api/v1/sharing/invitations", {"expires_at": soon.isoformat()}, bearer(cast.alice)).json()
    post(client, "/api/v1/sharing/redeem", {"code": code["code"]}, bearer(cast.carol))
    carol = bearer(cast.carol)
    url = f"/api/v1/patients/{cast.alice_patient.id}/pain_entries"
    assert client.get(url, headers=carol).status_code == 200
    import time_machine

    with time_machine.travel(soon + dt.timedelta(seconds=1)):
        assert client.get(url, headers=carol).status_code == 404


def test_it_shows_the_patient_who_has_access_and_lets_her_revoke(cast, client):
    grants = client.get("/api/v1/sharing/grants", headers=bearer(cast.alice)).json()
    assert [(g["clinician"], g["active"]) for g in grants] == [("bob", True)]
    revoked = post(client, f"/api/v1/sharing/grants/{grants[0]['id']}/revoke", {}, bearer(cast.alice))
    assert revoked.json()["active"] is False
    assert client.get("/api/v1/patients", headers=bearer(cast.bob)).json()["count"] == 0


def test_it_does_not_let_anyone_else_revoke(cast, client):
    assert post(client, f"/api/v1/sharing/grants/{cast.grant.id}/revoke", {}, bearer(cast.dave)).status_code == 404
    assert post(client, f"/api/v1/sharing/grants/{cast.grant.id}/revoke", {}, bearer(cast.bob)).status_code == 404


def test_it_shows_the_patient_who_viewed_her_data(cast, client):
    client.get(f"/api/v1/patients/{cast.alice_patient.id}/pain_entries", headers=bearer(cast.bob))
    events = client.get("/api/v1/me/audit", headers=bearer(cast.alice)).json()["items"]
    assert any(e["actor"] == "clinician bob" and e["action"] == "read" for e in events)


def test_it_lets_admins_search_and_export_the_trail_as_csv(cast, client):
    client.get(f"/api/v1/patients/{cast.alice_patient.id}/pain_entries", headers=bearer(cast.bob))
    admin = bearer(cast.adam)
    found = client.get("/api/v1/admin/audit?actor=bob&action=read", headers=admin).json()
    assert found["count"] == 1
    csv_text = client.get("/api/v1/admin/audit.csv?actor=bob", headers=admin).content.decode()
    assert csv_text.splitlines()[0].startswith("at,actor_id,actor_username")
    assert ",bob,clinician,read," in csv_text
    assert client.get("/api/v1/admin/audit", headers=bearer(cast.bob)).status_code == 404


def test_it_downloads_all_my_data(cast, client):
    doc = client.get("/api/v1/me/export", headers=bearer(cast.alice)).json()
    assert doc["format"] == "painwise.export"
    assert doc["patient"]["username"] == "alice"
    assert client.get("/api/v1/me/export", headers=bearer(cast.bob)).status_code == 404


def test_it_erases_an_account_but_keeps_the_audit_facts(cast, client):
    from painwise.accounts.models import User
    from painwise.audit.models import AuditEvent
    from painwise.patients.models import Patient
    from painwise.treatment.models import Therapy

    key = cast.alice_patient.audit_key
    headers = bearer(cast.alice)
    body = {
        "occurred_at": timezone.now().isoformat(),
        "product_id": str(cast.kratom.id),
        "amount": 1,
        "unit": "capsule",
    }
    post(client, f"/api/v1/patients/{cast.alice_patient.id}/dose_events", body, headers)
    wrong = post(client, "/api/v1/me/erase", {"password": "nope", "confirm": "alice"}, headers)
    assert wrong.status_code == 401
    assert post(client, "/api/v1/me/erase", {"password": PASSWORD, "confirm": "alice"}, headers).status_code == 204
    assert not User.objects.filter(username="alice").exists()
    assert not Patient.objects.filter(audit_key=key).exists()
    assert not Therapy.objects.filter(name="Green Maeng Da capsules").exists()
    kept = AuditEvent.objects.filter(patient_key=key)
    assert kept.filter(action="erase").exists()
    assert not kept.filter(actor_username="alice").exists()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_it_requires_totp_for_clinicians_on_the_token_endpoint(cast, client, settings):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DEMO_MODE = False
    no_device = post(client, "/api/v1/auth/token", {"username": "bob", "password": PASSWORD}, {})
    assert no_device.status_code == 401
    assert no_device.json()["error"]["code"] == "auth.otp_enrolment_required"
    device = TOTPDevice.objects.create(user=cast.bob, name="phone", confirmed=True)
    missing = post(client, "/api/v1/auth/token", {"username": "bob", "password": PASSWORD}, {})
    assert missing.json()["error"]["code"] == "auth.otp_invalid"
    code = f"{totp(device.bin_key):06d}"
    good = post(client, "/api/v1/auth/token", {"username": "bob", "password": PASSWORD, "otp": code}, {})
    assert good.status_code == 200


def test_it_locks_out_after_repeated_failures(cast, client):
    for _ in range(5):
        post(client, "/api/v1/auth/token", {"username": "alice", "password": "wrong"}, {})
    locked = post(client, "/api/v1/auth/token", {"username": "alice", "password": PASSWORD}, {})
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "auth.locked_out"


def test_it_revokes_the_token_in_use(cast, client):
    headers = bearer(cast.alice)
    assert client.post("/api/v1/auth/token/revoke", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_it_hides_flags_once_the_grant_ends(cast, client):
    from painwise.patients.services import grant_revoke
    from painwise.questionnaires.services import questionnaire_submit

    questionnaire_submit(actor=cast.alice, patient=cast.alice_patient, code="phq9", answers=[0, 0, 0, 0, 0, 0, 0, 0, 1])
    headers = bearer(cast.bob)
    flags = client.get("/api/v1/flags", headers=headers).json()
    flag_id = flags["items"][0]["id"] if isinstance(flags, dict) else flags[0]["id"]
    grant_revoke(actor=cast.alice, grant=cast.grant)
    after = client.get("/api/v1/flags", headers=headers).json()
    assert (after["items"] if isinstance(after, dict) else after) == []
    assert post(client, f"/api/v1/flags/{flag_id}/acknowledge", {}, headers).status_code == 404
