"""Alice's rights on the web: see who viewed her data, download it, erase her account."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from painwise.audit.models import AuditEvent
from painwise.patients.models import Patient
from tests.personas import PASSWORD, logged_in

pytestmark = pytest.mark.django_db


def test_it_shows_alice_that_clinician_bob_viewed_her_diary(cast):
    assert logged_in(cast.bob).get(reverse("web:patient_detail", args=[cast.alice_patient.id])).status_code == 200
    html = logged_in(cast.alice).get(reverse("web:my_audit")).content.decode()
    assert "clinician bob" in html and "viewed" in html
    assert "you" in html  # her own actions (creating the record, sharing) are hers


def test_it_paginates_the_audit_list(cast):
    for _ in range(30):
        AuditEvent.objects.create(actor_role="clinician", actor_username="bob", action="read",
                                  patient_key=cast.alice_patient.audit_key, channel="web")  # fmt: skip
    client = logged_in(cast.alice)
    first = client.get(reverse("web:my_audit")).content.decode()
    assert "Page 1 of 2" in first and "?page=2" in first
    assert "Page 2 of 2" in client.get(reverse("web:my_audit") + "?page=2").content.decode()


def test_it_keeps_the_audit_list_to_alices_own_events(cast):
    AuditEvent.objects.create(actor_role="clinician", actor_username="zed", action="read",
                              patient_key=cast.dave_patient.audit_key)  # fmt: skip
    assert "clinician zed" not in logged_in(cast.alice).get(reverse("web:my_audit")).content.decode()


def test_it_downloads_all_of_alices_data_as_json(cast):
    response = logged_in(cast.alice).get(reverse("web:my_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["patient"]["username"] == "alice"
    assert [t["name"] for t in document["therapies"]] == ["Green Maeng Da capsules"]
    assert AuditEvent.objects.filter(action="export", patient_key=cast.alice_patient.audit_key).exists()


def test_it_refuses_erasure_with_a_wrong_password_and_keeps_everything(cast):
    client = logged_in(cast.alice)
    response = client.post(reverse("web:erase"), {"password": "nope", "confirm": "alice"})
    assert response.status_code == 422 and "the password is wrong" in response.content.decode()
    unconfirmed = client.post(reverse("web:erase"), {"password": PASSWORD, "confirm": "Alice"})
    assert "type your username to confirm erasure" in unconfirmed.content.decode()
    assert Patient.objects.filter(pk=cast.alice_patient.pk).exists()


def test_it_erases_alice_and_signs_her_out(cast):
    client = logged_in(cast.alice)
    page = client.get(reverse("web:erase")).content.decode()
    assert "What is kept" in page and "audit trail" in page
    response = client.post(reverse("web:erase"), {"password": PASSWORD, "confirm": "alice"})
    assert response.status_code == 302 and response["Location"] == reverse("web:erased")
    assert "Your account is erased" in client.get(reverse("web:erased")).content.decode()
    assert not get_user_model().objects.filter(username="alice").exists()
    assert not Patient.objects.filter(pk=cast.alice_patient.pk).exists()
    assert client.get(reverse("web:home")).status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="erase", patient_key=cast.alice_patient.audit_key).exists()
