"""A catalogue of malformed and hostile inputs across the API: each gets a clear 4xx and stores nothing."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.utils import timezone

from tests.personas import bearer

pytestmark = pytest.mark.django_db

HOUR_AGO = "HOUR_AGO"
FUTURE = "FUTURE"
HUGE = "x" * 100_000
CLINICAL_MODELS = (
    "diary.PainEntry", "diary.CheckIn", "diary.DoseEvent", "diary.TherapySession", "diary.SideEffect",
    "treatment.Therapy", "patients.PainCondition", "labs.LabResult", "questionnaires.QuestionnaireResponse",
    "patients.ShareInvitation",
)  # fmt: skip

PAIN = {"occurred_at": HOUR_AGO, "body_site": "neck", "nrs": 4}
DOSE = {"occurred_at": HOUR_AGO, "product_id": "KRATOM", "amount": 2, "unit": "capsule", "status": "taken"}
LAB = {"analyte": "ferritin", "value": 20, "unit": "ng/mL", "collected_at": HOUR_AGO}

# (who, method, path, body) — path placeholders: ALICE (her patient id), KRATOM (her product id).
CASES = [
    # wrong types
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "nrs": "four"}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "nrs": 4.5}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "nrs": None}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "nrs": [4]}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "qualities": "burning"}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "occurred_at": 1700000000}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "occurred_at": "not a date"}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "occurred_at": "2026-02-30T10:00:00+00:00"}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "occurred_at": "2026-01-01T10:00:00"}),
    ("alice", "post", "/patients/ALICE/pain_entries", []),
    ("alice", "post", "/patients/ALICE/pain_entries", "just a string"),
    ("alice", "post", "/patients/ALICE/check_ins", {"occurred_at": HOUR_AGO, "sleep_hours": "eight"}),
    ("alice", "post", "/patients/ALICE/dose_events", {**DOSE, "amount": "lots"}),
    ("alice", "post", "/patients/ALICE/dose_events", {**DOSE, "product_id": "not-a-uuid"}),
    (
        "alice",
        "post",
        "/patients/ALICE/therapy_sessions",
        {"occurred_at": HOUR_AGO, "modality": "cbt", "home_practice": "yes please"},
    ),
    # out of range
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "nrs": 11}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "nrs": -1}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "nrs": 10**30}),
    ("alice", "post", "/patients/ALICE/check_ins", {"occurred_at": HOUR_AGO, "sleep_hours": 30}),
    ("alice", "post", "/patients/ALICE/check_ins", {"occurred_at": HOUR_AGO, "mood": 11}),
    ("alice", "post", "/patients/ALICE/check_ins", {"occurred_at": HOUR_AGO}),
    ("alice", "post", "/patients/ALICE/dose_events", {**DOSE, "amount": -2}),
    ("alice", "post", "/patients/ALICE/dose_events", {**DOSE, "amount": 1e308}),
    ("alice", "post", "/patients/ALICE/dose_events", {**DOSE, "unit": "bucket"}),
    (
        "alice",
        "post",
        "/patients/ALICE/therapy_sessions",
        {"occurred_at": HOUR_AGO, "modality": "cbt", "minutes": 9999},
    ),
    (
        "alice",
        "post",
        "/patients/ALICE/side_effects",
        {"occurred_at": HOUR_AGO, "kind": "hair_shedding", "ctcae_grade": 5},
    ),
    (
        "alice",
        "post",
        "/patients/ALICE/side_effects",
        {"occurred_at": HOUR_AGO, "kind": "nausea", "severity": "apocalyptic"},
    ),
    ("alice", "post", "/patients/ALICE/side_effects", {"occurred_at": HOUR_AGO, "kind": "other"}),
    ("alice", "post", "/patients/ALICE/labs", {**LAB, "value": -5}),
    ("alice", "post", "/patients/ALICE/labs", {**LAB, "value": 1e9}),
    ("alice", "post", "/patients/ALICE/labs", {**LAB, "unit": "furlongs"}),
    ("alice", "post", "/patients/ALICE/labs", {**LAB, "analyte": "unobtainium"}),
    ("alice", "post", "/patients/ALICE/questionnaires", {"code": "phq9", "answers": [0, 1, 2]}),
    ("alice", "post", "/patients/ALICE/questionnaires", {"code": "phq9", "answers": [4, 0, 0, 0, 0, 0, 0, 0, 0]}),
    ("alice", "post", "/patients/ALICE/questionnaires", {"code": "bpi", "answers": [1, 2, 3]}),
    (
        "alice",
        "post",
        "/patients/ALICE/conditions",
        {"label": "x", "icd11_category": "made_up", "onset_date": "2020-01-01"},
    ),
    (
        "alice",
        "post",
        "/patients/ALICE/therapies",
        {"kind": "kratom", "name": "x", "start_date": "2026-01-01", "form": "smoke", "unit": "g"},
    ),
    # future dates
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "occurred_at": FUTURE}),
    ("alice", "post", "/patients/ALICE/dose_events", {**DOSE, "occurred_at": FUTURE}),
    ("alice", "post", "/patients/ALICE/labs", {**LAB, "collected_at": FUTURE}),
    (
        "alice",
        "post",
        "/patients/ALICE/conditions",
        {"label": "x", "icd11_category": "neuropathic", "onset_date": "2999-01-01"},
    ),
    (
        "alice",
        "post",
        "/patients/ALICE/side_effects",
        {"occurred_at": HOUR_AGO, "kind": "nausea", "onset_date": "2999-01-01"},
    ),
    # huge strings and control characters
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "note": HUGE}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "body_site": HUGE}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "note": "before\x00after"}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "note": "bell\x07"}),
    (
        "alice",
        "post",
        "/patients/ALICE/side_effects",
        {"occurred_at": HOUR_AGO, "kind": "other", "free_text": "\x1b[31mred"},
    ),
    ("alice", "post", "/patients/ALICE/therapies", {"kind": "cbt", "name": "x" * 5000, "start_date": "2026-01-01"}),
    # injection attempts: refused as invalid values, never executed
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "body_site": "neck'; DROP TABLE diary_painentry; --"}),
    ("alice", "post", "/patients/ALICE/side_effects", {"occurred_at": HOUR_AGO, "kind": "<script>alert(1)</script>"}),
    ("alice", "post", "/patients/ALICE/labs", {**LAB, "analyte": "ferritin' OR '1'='1"}),
    ("alice", "get", "/patients/ALICE/pain_entries?from=2026-01-01' OR 1=1--", None),
    ("alice", "get", "/patients/ALICE/pain_entries?page=0", None),
    ("alice", "get", "/patients/ALICE/pain_entries?page_size=100000", None),
    ("alice", "get", "/patients/ALICE/pain_entries?from=2026-05-01&to=2026-01-01", None),
    # unknown fields
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "patient_id": "00000000-0000-4000-8000-000000000000"}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "entered_at": "2020-01-01T00:00:00+00:00"}),
    ("alice", "post", "/patients/ALICE/pain_entries", {**PAIN, "id": "00000000-0000-4000-8000-000000000000"}),
    # other people's ids
    ("dave", "post", "/patients/ALICE/pain_entries", PAIN),
    ("dave", "get", "/patients/ALICE/pain_entries", None),
    ("dave", "post", "/patients/ALICE/dose_events", DOSE),
    ("carol", "post", "/patients/ALICE/labs", LAB),
    ("bob", "post", "/patients/ALICE/pain_entries", PAIN),
    ("rita", "get", "/patients/ALICE", None),
    ("adam", "get", "/patients/ALICE/labs", None),
    ("alice", "get", "/patients/00000000-0000-4000-8000-000000000000/pain_entries", None),
    ("alice", "get", "/patients/not-a-uuid/pain_entries", None),
    ("dave", "post", "/sharing/grants/GRANT/revoke", {}),
    # malformed requests
    ("alice", "post", "/patients/ALICE/pain_entries", "RAW:{nrs: 4"),
    ("alice", "post", "/patients/ALICE/pain_entries", "RAW:"),
    ("alice", "post", "/patients/ALICE/pain_entries", "RAW:\xff\xfe"),
    ("alice", "post", "/auth/token", {"username": "alice"}),
    ("alice", "post", "/sharing/redeem", {"code": "AAAA-BBBB-CCCC"}),
    ("alice", "post", "/me/erase", {"password": "wrong", "confirm": "alice"}),
]


def expand(value, cast):
    if isinstance(value, dict):
        return {k: expand(v, cast) for k, v in value.items()}
    if isinstance(value, str):
        now = timezone.now()
        value = value.replace("ALICE", str(cast.alice_patient.id)).replace("KRATOM", str(cast.kratom.id))
        value = value.replace("GRANT", str(cast.grant.id))
        if value == HOUR_AGO:
            return (now - dt.timedelta(hours=1)).isoformat()
        if value == FUTURE:
            return (now + dt.timedelta(days=2)).isoformat()
    return value


def stored_rows():
    return {name: apps.get_model(name).objects.count() for name in CLINICAL_MODELS}


def test_it_has_at_least_fifty_cases():
    assert len(CASES) >= 50


@pytest.mark.parametrize(("who", "method", "path", "body"), CASES, ids=[f"{i:02d}" for i in range(len(CASES))])
def test_it_answers_a_clear_4xx_and_stores_nothing(cast, client, who, method, path, body):
    headers = bearer(getattr(cast, who))
    url = "/api/v1" + expand(path, cast)
    before = stored_rows()
    if method == "get":
        response = client.get(url, headers=headers)
    elif isinstance(body, str) and body.startswith("RAW:"):
        response = client.post(url, data=body[4:].encode("latin-1"), content_type="application/json", headers=headers)
    else:
        response = client.post(
            url, data=json.dumps(expand(body, cast)), content_type="application/json", headers=headers
        )
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["code"] and error["message"]
    assert stored_rows() == before
