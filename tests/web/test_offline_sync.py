"""Entries recorded offline carry a client id; the server stores each id once and reports conflicts."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from painwise.diary.models import PainEntry
from tests.personas import logged_in

pytestmark = pytest.mark.django_db
SYNC = {"HTTP_X_PAINWISE_SYNC": "1"}


def sync(client, body, slug="pain"):
    return client.post(reverse("web:entry_create", args=[slug]), body, **SYNC)


def test_a_retried_sync_stores_the_entry_once(cast):
    client = logged_in(cast.alice)
    body = {"client_id": str(uuid.uuid4()), "body_site": "neck", "nrs": "6", "occurred_at": "2025-06-01T09:30"}
    first, again = sync(client, body), sync(client, body)
    assert (first.status_code, json.loads(first.content)["status"]) == (201, "saved")
    assert (again.status_code, json.loads(again.content)["status"]) == (200, "duplicate")
    entry = PainEntry.objects.get(patient=cast.alice_patient)
    assert str(entry.id) == body["client_id"] and entry.nrs == 6
    assert entry.occurred_at.isoformat().startswith("2025-06-01T08:30")  # 09:30 in London (BST)


def test_the_same_id_with_other_values_is_a_conflict_not_an_overwrite(cast):
    client = logged_in(cast.alice)
    body = {"client_id": str(uuid.uuid4()), "body_site": "neck", "nrs": "6", "occurred_at": "2025-06-01T09:30"}
    sync(client, body)
    changed = sync(client, body | {"nrs": "2"})
    assert changed.status_code == 409 and "nrs" in json.loads(changed.content)["message"]
    assert PainEntry.objects.get(patient=cast.alice_patient).nrs == 6


def test_an_id_of_another_patients_entry_is_a_conflict(cast):
    body = {"client_id": str(uuid.uuid4()), "body_site": "neck", "nrs": "6", "occurred_at": "2025-06-01T09:30"}
    sync(logged_in(cast.alice), body)
    answer = sync(logged_in(cast.dave), body)
    assert answer.status_code == 409
    assert PainEntry.objects.count() == 1


def test_a_sync_without_a_client_id_or_with_bad_values_is_refused(cast):
    client = logged_in(cast.alice)
    assert sync(client, {"body_site": "neck", "nrs": "6"}).status_code == 422
    bad = sync(client, {"client_id": str(uuid.uuid4()), "body_site": "neck", "nrs": "11"})
    assert bad.status_code == 422 and "Pain now" in json.loads(bad.content)["errors"]["nrs"][0]
    assert not PainEntry.objects.exists()


def test_the_app_is_installable(client):
    manifest = client.get(reverse("web:manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["start_url"] == "/" and {i["sizes"] for i in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get(reverse("web:service_worker"))
    assert worker.status_code == 200 and "javascript" in worker["Content-Type"]
    assert 'rel="manifest"' in client.get(reverse("web:login")).content.decode()
