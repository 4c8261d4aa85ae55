"""Audit events say which channel a request came through, and no audit view puts a patient id beside
the pseudonymous key (issue 11)."""

import csv
import io

import pytest
from django.urls import reverse

from painwise.audit.models import AuditEvent
from tests.personas import bearer, logged_in

pytestmark = pytest.mark.django_db


def test_api_requests_are_audited_as_channel_api_and_pages_as_web(cast, client):
    patient_id = cast.alice_patient.id

    def new_reads(seen):  # the trail is append-only (a trigger on PostgreSQL): look at new events only
        return AuditEvent.objects.filter(action="read", actor_username="bob").exclude(pk__in=seen)

    seen = set(AuditEvent.objects.values_list("pk", flat=True))
    assert client.get(f"/api/v1/patients/{patient_id}/pain_entries", headers=bearer(cast.bob)).status_code == 200
    api_reads = new_reads(seen)
    assert api_reads.exists() and set(api_reads.values_list("channel", flat=True)) == {"api"}
    seen = set(AuditEvent.objects.values_list("pk", flat=True))
    assert logged_in(cast.bob).get(reverse("web:patient_detail", args=[patient_id])).status_code == 200
    web_reads = new_reads(seen)
    assert web_reads.exists() and set(web_reads.values_list("channel", flat=True)) == {"web"}


def _patient_id_events(cast):
    """Events that carry Alice's patient id as their object (reads by Bob, her account's creation)."""
    logged_in(cast.bob).get(reverse("web:patient_detail", args=[cast.alice_patient.id]))
    events = AuditEvent.objects.filter(patient_key=cast.alice_patient.audit_key, object_id=str(cast.alice_patient.id))
    assert events.exists(), "the fixture should produce events that store the patient id"


def test_the_admin_audit_page_never_shows_a_patient_id(cast):
    _patient_id_events(cast)
    html = logged_in(cast.adam).get(reverse("web:admin_audit")).content.decode()
    assert str(cast.alice_patient.audit_key) in html
    assert str(cast.alice_patient.id) not in html


def test_the_admin_audit_csv_and_api_never_show_a_patient_id(cast, client):
    _patient_id_events(cast)
    patient_id, key = str(cast.alice_patient.id), str(cast.alice_patient.audit_key)
    web_csv = logged_in(cast.adam).get(reverse("web:admin_audit_csv")).content.decode()
    api_csv = client.get("/api/v1/admin/audit.csv", headers=bearer(cast.adam)).content.decode()
    for text in (web_csv, api_csv):
        rows = list(csv.DictReader(io.StringIO(text)))
        assert any(r["patient_key"] == key for r in rows)
        assert patient_id not in text
    page = client.get("/api/v1/admin/audit?page_size=500", headers=bearer(cast.adam)).json()
    assert any(item["patient_key"] == key for item in page["items"])
    assert patient_id not in str(page)
    # Other objects (a grant, a diary record) keep their ids: only the patient's own id is hidden.
    assert any(item["object_id"] for item in page["items"] if item["patient_key"] == key)
