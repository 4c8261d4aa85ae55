import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.personas import bearer

pytestmark = pytest.mark.django_db


def url(cast, kind, record_id=None, patient=None):
    base = f"/api/v1/patients/{(patient or cast.alice_patient).id}/{kind}"
    return f"{base}/{record_id}" if record_id else base


def post(client, path, body, headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def an_hour_ago():
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def test_it_creates_lists_updates_and_deletes_a_pain_entry(cast, client):
    headers = bearer(cast.alice)
    created = post(
        client, url(cast, "pain_entries"), {"occurred_at": an_hour_ago(), "body_site": "lower_back", "nrs": 6}, headers
    )
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["nrs"] == 6
    assert entry["entered_at"] >= entry["occurred_at"]
    listed = client.get(url(cast, "pain_entries"), headers=headers).json()
    assert listed["count"] == 1
    patched = client.patch(
        url(cast, "pain_entries", entry["id"]),
        data=json.dumps({"nrs": 4}),
        content_type="application/json",
        headers=headers,
    )
    assert patched.json()["nrs"] == 4
    assert client.delete(url(cast, "pain_entries", entry["id"]), headers=headers).status_code == 204
    assert client.get(url(cast, "pain_entries"), headers=headers).json()["count"] == 0


def test_it_keeps_both_event_and_entry_time_for_back_dated_entries(cast, client):
    three_days_ago = (timezone.now() - dt.timedelta(days=3)).replace(microsecond=0)
    body = {"occurred_at": three_days_ago.isoformat(), "body_site": "neck", "nrs": 3}
    entry = post(client, url(cast, "pain_entries"), body, bearer(cast.alice)).json()
    assert dt.datetime.fromisoformat(entry["occurred_at"]) == three_days_ago
    assert dt.datetime.fromisoformat(entry["entered_at"]) > timezone.now() - dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("pain_entries", {"body_site": "lower_back", "nrs": 11}, "nrs"),
        ("pain_entries", {"body_site": "lower_back", "nrs": "five"}, "nrs"),
        ("pain_entries", {"body_site": "moon", "nrs": 3}, "body_site"),
        ("pain_entries", {"body_site": "neck", "nrs": 3, "colour": "red"}, "colour"),
        ("check_ins", {"sleep_hours": 30}, "sleep_hours"),
        ("check_ins", {"mood": -1}, "mood"),
        ("dose_events", {"amount": -1, "unit": "capsule", "status": "taken"}, "amount"),
        ("dose_events", {"amount": 2, "unit": "pint", "status": "taken"}, "unit"),
        ("therapy_sessions", {"modality": "yoga", "status": "done"}, "modality"),
        ("side_effects", {"kind": "hair_shedding", "ctcae_grade": 3}, "ctcae_grade"),
        ("side_effects", {"kind": "telepathy"}, "kind"),
    ],
)
def test_it_refuses_out_of_range_values_naming_the_field(cast, client, kind, body, field):
    from painwise.diary.specs import SPECS

    if kind == "dose_events":
        body = body | {"product_id": str(cast.kratom.id)}
    response = post(client, url(cast, kind), {"occurred_at": an_hour_ago(), **body}, bearer(cast.alice))
    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"] == field
    assert SPECS[kind].model.objects.count() == 0


def test_it_refuses_an_event_time_in_the_future(cast, client):
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = post(
        client, url(cast, "pain_entries"), {"occurred_at": tomorrow, "body_site": "neck", "nrs": 3}, bearer(cast.alice)
    )
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "diary.future_time",
        "message": "occurred_at is in the future",
        "field": "occurred_at",
    }


def test_it_refuses_malformed_json(cast, client):
    response = client.post(
        url(cast, "pain_entries"), data="{nrs: ", content_type="application/json", headers=bearer(cast.alice)
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "request.malformed_json"


def test_it_refuses_an_oversized_payload(cast, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    body = {"occurred_at": an_hour_ago(), "body_site": "neck", "nrs": 3, "note": "x" * 5000}
    response = post(client, url(cast, "pain_entries"), body, bearer(cast.alice))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request.too_large"


def test_it_refuses_a_product_of_another_patient(cast, client):
    from painwise.treatment.services import therapy_create

    daves = therapy_create(
        actor=cast.dave,
        patient=cast.dave_patient,
        data={
            "kind": "kratom",
            "name": "Dave's powder",
            "start_date": dt.date(2025, 1, 1),
            "form": "leaf_powder",
            "unit": "g",
        },
    )
    body = {"occurred_at": an_hour_ago(), "product_id": str(daves.id), "amount": 2, "unit": "g"}
    response = post(client, url(cast, "dose_events"), body, bearer(cast.alice))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "product_id"


def test_it_answers_404_for_someone_elses_records(cast, client):
    headers = bearer(cast.dave)
    assert client.get(url(cast, "pain_entries"), headers=headers).status_code == 404
    body = {"occurred_at": an_hour_ago(), "body_site": "neck", "nrs": 3}
    response = post(client, url(cast, "pain_entries"), body, headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_lets_a_granted_clinician_read_but_not_write_the_diary(cast, client):
    body = {"occurred_at": an_hour_ago(), "body_site": "neck", "nrs": 3}
    post(client, url(cast, "pain_entries"), body, bearer(cast.alice))
    headers = bearer(cast.bob)
    assert client.get(url(cast, "pain_entries"), headers=headers).json()["count"] == 1
    assert post(client, url(cast, "pain_entries"), body, headers).status_code == 404


def test_it_paginates_and_filters_by_local_day(cast, client):
    headers = bearer(cast.alice)
    now = timezone.now()
    for days_ago in range(5):
        when = (now - dt.timedelta(days=days_ago, hours=1)).isoformat()
        post(client, url(cast, "pain_entries"), {"occurred_at": when, "body_site": "neck", "nrs": days_ago}, headers)
    first = client.get(url(cast, "pain_entries") + "?page_size=2", headers=headers).json()
    assert (first["count"], len(first["items"]), first["next_page"]) == (5, 2, 2)
    last = client.get(url(cast, "pain_entries") + "?page_size=2&page=3", headers=headers).json()
    assert len(last["items"]) == 1 and last["next_page"] is None
    day = (now - dt.timedelta(days=2, hours=1)).astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).date()
    one_day = client.get(url(cast, "pain_entries") + f"?from={day}&to={day}", headers=headers).json()
    assert [item["nrs"] for item in one_day["items"]] == [2]


def test_it_records_an_audit_event_for_every_write(cast, client):
    from painwise.audit.models import AuditEvent

    body = {"occurred_at": an_hour_ago(), "body_site": "neck", "nrs": 3}
    entry = post(client, url(cast, "pain_entries"), body, bearer(cast.alice)).json()
    event = AuditEvent.objects.get(action="create", object_type="pain_entries")
    assert event.object_id == entry["id"]
    assert event.actor_id == cast.alice.id


def test_it_stores_a_side_effect_without_severity(cast, client):
    body = {"occurred_at": an_hour_ago(), "kind": "nausea", "severity": None}
    response = post(client, url(cast, "side_effects"), body, bearer(cast.alice))
    assert response.status_code == 201, response.content
    assert response.json()["severity"] is None
    minimal = post(
        client, url(cast, "side_effects"), {"occurred_at": an_hour_ago(), "kind": "sweating"}, bearer(cast.alice)
    )
    assert minimal.status_code == 201
