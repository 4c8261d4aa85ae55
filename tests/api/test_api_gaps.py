"""What the web app could do and the API could not: pending share codes (list, cancel) and
questionnaire schedules (read, set)."""

from __future__ import annotations

import json

import pytest

from tests.personas import bearer, make_user

pytestmark = pytest.mark.django_db


def post(client, path, body, user):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=bearer(user))


def put(client, path, body, user):
    return client.put(path, data=json.dumps(body), content_type="application/json", headers=bearer(user))


# --- share codes -------------------------------------------------------------------------------


def test_a_patient_lists_and_cancels_her_pending_share_codes(client, cast):
    created = post(client, "/api/v1/sharing/invitations", {"scopes": ["labs"]}, cast.alice).json()
    listed = client.get("/api/v1/sharing/invitations", headers=bearer(cast.alice)).json()
    assert [i["id"] for i in listed] == [created["id"]] and listed[0]["scopes"] == ["labs"]
    assert "code" not in listed[0]  # only a hash is stored: the code is shown once
    cancelled = post(client, f"/api/v1/sharing/invitations/{created['id']}/cancel", {}, cast.alice)
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"]
    assert client.get("/api/v1/sharing/invitations", headers=bearer(cast.alice)).json() == []
    # a cancelled code cannot be redeemed
    carol_try = post(client, "/api/v1/sharing/redeem", {"code": created["code"]}, cast.carol)
    assert carol_try.status_code == 422 and carol_try.json()["error"]["code"] == "sharing.invalid_code"
    # cancelling twice is harmless
    assert post(client, f"/api/v1/sharing/invitations/{created['id']}/cancel", {}, cast.alice).status_code == 200


def test_a_redeemed_code_cannot_be_cancelled(client, cast):
    created = post(client, "/api/v1/sharing/invitations", {}, cast.alice).json()
    assert post(client, "/api/v1/sharing/redeem", {"code": created["code"]}, cast.carol).status_code == 201
    response = post(client, f"/api/v1/sharing/invitations/{created['id']}/cancel", {}, cast.alice)
    assert response.status_code == 409 and response.json()["error"]["code"] == "sharing.already_redeemed"


def test_nobody_else_sees_or_cancels_a_patients_codes(client, cast):
    from painwise.patients.models import ShareInvitation

    created = post(client, "/api/v1/sharing/invitations", {}, cast.alice).json()
    for user in (cast.dave, cast.bob, cast.carol):
        response = post(client, f"/api/v1/sharing/invitations/{created['id']}/cancel", {}, user)
        assert response.status_code == 404
    assert client.get("/api/v1/sharing/invitations", headers=bearer(cast.dave)).json() == []
    assert client.get("/api/v1/sharing/invitations", headers=bearer(cast.bob)).status_code == 404
    assert ShareInvitation.objects.get(id=created["id"]).cancelled_at is None


def test_cancelling_is_audited(client, cast):
    from painwise.audit.models import AuditEvent

    created = post(client, "/api/v1/sharing/invitations", {}, cast.alice).json()
    post(client, f"/api/v1/sharing/invitations/{created['id']}/cancel", {}, cast.alice)
    assert AuditEvent.objects.filter(action="invite_cancel", object_id=created["id"]).count() == 1


# --- questionnaire schedules -------------------------------------------------------------------


def schedules(client, patient, user):
    return client.get(f"/api/v1/patients/{patient.id}/questionnaire-schedules", headers=bearer(user))


def test_schedules_list_the_defaults_with_due_state(client, cast):
    response = schedules(client, cast.alice_patient, cast.alice)
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.json()}
    assert "cows" not in rows  # clinician-rated: never on a patient's schedule
    assert rows["peg"]["interval_days"] == 7 and rows["peg"]["status"] == "due"
    assert rows["pcs"]["status"] == "on_demand" and rows["peg"]["set_by_clinician"] is False


def test_a_clinician_with_data_entry_sets_a_schedule(client, cast):
    response = put(
        client,
        f"/api/v1/patients/{cast.alice_patient.id}/questionnaire-schedules/phq9",
        {"interval_days": 14},
        cast.bob,
    )
    assert response.status_code == 200
    assert response.json()["interval_days"] == 14 and response.json()["describe"] == "every 2 weeks"
    rows = {r["code"]: r for r in schedules(client, cast.alice_patient, cast.alice).json()}
    assert rows["phq9"]["set_by_clinician"] is True and rows["phq9"]["interval_days"] == 14
    on_demand = put(
        client,
        f"/api/v1/patients/{cast.alice_patient.id}/questionnaire-schedules/peg",
        {"interval_days": None},
        cast.bob,
    )
    assert on_demand.json()["status"] == "on_demand"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"interval_days": 0}, "phq9", "interval_days"),
        ({"interval_days": 400}, "phq9", "interval_days"),
        ({"interval_days": "7"}, "phq9", "interval_days"),
        ({}, "phq9", "interval_days"),
        ({"interval_days": 7}, "cows", "code"),
        ({"interval_days": 7}, "bpi", "code"),
    ],
)
def test_bad_schedules_are_refused_with_the_field(client, cast, body, code, field):
    from painwise.questionnaires.models import Schedule

    response = put(client, f"/api/v1/patients/{cast.alice_patient.id}/questionnaire-schedules/{code}", body, cast.bob)
    assert response.status_code == 422 and response.json()["error"]["field"] == field
    assert not Schedule.objects.exists()


def test_only_a_clinician_with_data_entry_may_set_schedules(client, cast):
    from painwise.patients.services import grant_create

    url = f"/api/v1/patients/{cast.alice_patient.id}/questionnaire-schedules/phq9"
    assert put(client, url, {"interval_days": 7}, cast.alice).status_code == 403  # she is told why
    reader = make_user("erin", "clinician")
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=reader, scopes=["questionnaires"])
    assert put(client, url, {"interval_days": 7}, reader).status_code == 403
    for user in (cast.carol, cast.dave, cast.rita):
        assert put(client, url, {"interval_days": 7}, user).status_code == 404
        assert schedules(client, cast.alice_patient, user).status_code == 404
