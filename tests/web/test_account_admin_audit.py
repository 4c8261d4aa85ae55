"""Adam (admin) searches the audit trail and downloads it; Bob and Alice get 404."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from painwise.audit.api import CSV_COLUMNS
from painwise.audit.models import AuditEvent
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def test_it_lets_adam_search_the_trail_by_actor_and_patient(cast):
    logged_in(cast.bob).get(reverse("web:patient_detail", args=[cast.alice_patient.id]))
    adam = logged_in(cast.adam)
    url = reverse("web:admin_audit")
    response = adam.get(url, {"actor": "bob", "action": "read", "patient_key": str(cast.alice_patient.audit_key)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "clinician bob" in html and str(cast.alice_patient.audit_key) in html
    assert "clinician carol" not in html
    assert "0 events" in adam.get(url, {"actor": "nobody"}).content.decode()


def test_it_shows_a_bad_filter_at_its_field(cast):
    response = logged_in(cast.adam).get(reverse("web:admin_audit"), {"patient_key": "not-a-key"})
    assert response.status_code == 422 and "field-error" in response.content.decode()


def test_it_downloads_the_filtered_trail_as_csv(cast):
    logged_in(cast.bob).get(reverse("web:patient_detail", args=[cast.alice_patient.id]))
    response = logged_in(cast.adam).get(reverse("web:admin_audit_csv"), {"actor": "bob", "action": "read"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) > 1 and {r[CSV_COLUMNS.index("actor_username")] for r in rows[1:]} == {"bob"}
    assert len(rows) - 1 == AuditEvent.objects.filter(actor_username="bob", action="read").count()


def test_it_gives_bob_and_alice_404_for_the_audit_pages(cast):
    bob, alice = logged_in(cast.bob), logged_in(cast.alice)
    for client in (bob, alice):
        assert client.get(reverse("web:admin_audit")).status_code == 404
        assert client.get(reverse("web:admin_audit_csv")).status_code == 404


def test_it_shows_each_role_its_own_navigation(cast):
    alice = logged_in(cast.alice).get(reverse("web:home")).content.decode()
    assert reverse("web:sharing") in alice and "My diary" in alice and reverse("web:admin_audit") not in alice
    bob = logged_in(cast.bob).get(reverse("web:home")).content.decode()
    assert reverse("web:redeem") in bob and "Worklist" in bob and reverse("web:sharing") not in bob
    adam = logged_in(cast.adam).get(reverse("web:home")).content.decode()
    assert reverse("web:admin_audit") in adam and reverse("web:security") in adam
