"""/api/v1/patients/{id}/questionnaires and /api/v1/flags."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from painwise.monitoring.models import Flag
from painwise.questionnaires.models import QuestionnaireResponse
from tests.personas import bearer
from tests.questionnaires.helpers import COWS_MILD, PHQ9_ITEM9_POSITIVE, PHQ9_NEGATIVE

pytestmark = pytest.mark.django_db


def url(cast, response_id=None):
    base = f"/api/v1/patients/{cast.alice_patient.id}/questionnaires"
    return f"{base}/{response_id}" if response_id else base


def post(client, path, body, user):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=bearer(user))


def test_it_creates_lists_and_reads_a_scored_response(cast, client):
    completed = (timezone.now() - dt.timedelta(days=2)).replace(microsecond=0)
    body = {"code": "phq9", "answers": PHQ9_NEGATIVE, "completed_at": completed.isoformat()}
    created = post(client, url(cast), body, cast.alice)
    assert created.status_code == 201, created.content
    out = created.json()
    assert out["total"] == 4 and isinstance(out["total"], int) and out["band"] == "minimal"
    assert out["flags"] == [] and out["answered"] == 9 and out["entered_by_role"] == "patient"
    assert dt.datetime.fromisoformat(out["completed_at"]) == completed
    post(client, url(cast), {"code": "peg", "answers": [6, 7, 6]}, cast.alice)
    listed = client.get(url(cast), headers=bearer(cast.bob)).json()
    assert listed["count"] == 2 and listed["items"][0]["code"] == "peg" and listed["items"][0]["total"] == 6.33
    only_phq9 = client.get(url(cast) + "?code=PHQ-9&page_size=1", headers=bearer(cast.alice)).json()
    assert only_phq9["count"] == 1 and only_phq9["next_page"] is None
    detail = client.get(url(cast, out["id"]), headers=bearer(cast.bob))
    assert detail.status_code == 200 and detail.json() == out


def test_it_flags_item_9_through_the_api_and_lists_the_flag_for_bob_only(cast, client):
    created = post(client, url(cast), {"code": "phq9", "answers": PHQ9_ITEM9_POSITIVE}, cast.alice).json()
    assert "self_harm" in created["flags"]
    flags = client.get("/api/v1/flags", headers=bearer(cast.bob)).json()
    assert flags["count"] == 1
    flag = flags["items"][0]
    assert flag["rule_id"] == "mood.self_harm" and flag["severity"] == "urgent" and flag["source_id"] == created["id"]
    assert flag["acknowledged_at"] is None and "C-SSRS" in flag["consider"]
    assert client.get("/api/v1/flags", headers=bearer(cast.carol)).json()["count"] == 0


def test_it_acknowledges_for_the_recipient_and_answers_404_to_others(cast, client):
    post(client, url(cast), {"code": "phq9", "answers": PHQ9_ITEM9_POSITIVE}, cast.alice)
    flag = Flag.objects.get()
    path = f"/api/v1/flags/{flag.id}/acknowledge"
    for other in (cast.carol, cast.alice):
        refused = client.post(path, headers=bearer(other))
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    done = client.post(path, headers=bearer(cast.bob))
    assert done.status_code == 200 and done.json()["acknowledged_by"] == str(cast.bob.id)
    assert client.get("/api/v1/flags", headers=bearer(cast.bob)).json()["count"] == 0
    everything = client.get("/api/v1/flags?include_acknowledged=true", headers=bearer(cast.bob)).json()
    assert everything["count"] == 1


def test_it_refuses_cows_from_the_patient_and_accepts_it_from_bob(cast, client):
    refused = post(client, url(cast), {"code": "cows", "answers": COWS_MILD}, cast.alice)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "questionnaires.clinician_only"
    accepted = post(client, url(cast), {"code": "cows", "answers": COWS_MILD}, cast.bob)
    assert accepted.status_code == 201 and accepted.json()["band"] == "mild"
    assert accepted.json()["entered_by_role"] == "clinician"


def test_it_hides_the_patient_from_carol(cast, client):
    assert client.get(url(cast), headers=bearer(cast.carol)).status_code == 404
    response = post(client, url(cast), {"code": "cows", "answers": COWS_MILD}, cast.carol)
    assert response.status_code == 404 and not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"code": "phq9", "answers": [0] * 8}, 422, "answers"),
        ({"code": "phq9", "answers": [0] * 8 + [4]}, 422, "answers[8]"),
        ({"code": "phq9", "answers": ["1"] * 9}, 422, "answers[0]"),
        ({"code": "bpi", "answers": [1]}, 422, "code"),
        ({"code": "peg", "answers": [None, None, None]}, 422, "answers"),
        ({"code": "peg", "answers": [1, 1, 1], "colour": "red"}, 422, "colour"),
    ],
)
def test_it_refuses_bad_submissions_naming_the_field(cast, client, body, status, field):
    response = post(client, url(cast), body, cast.alice)
    assert response.status_code == status, response.content
    assert response.json()["error"]["field"] == field
    assert not QuestionnaireResponse.objects.exists()


def test_it_accepts_a_missing_item_9_from_the_api_and_flags_it(cast, client):
    created = post(client, url(cast), {"code": "phq9", "answers": [*PHQ9_NEGATIVE[:8], None]}, cast.alice).json()
    assert created["flags"] == ["self_harm_unanswered"] and created["total"] is None
    assert Flag.objects.get().severity == "high"
