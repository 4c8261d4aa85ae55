"""Who sees what: Bob (shared with) sees Alice; Carol (not shared with) gets 404; demo users need demo mode."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painwise.audit.models import AuditEvent
from painwise.diary.services import diary_record_create
from tests.personas import PASSWORD, logged_in, make_user

pytestmark = pytest.mark.django_db


def test_it_lists_alice_on_bobs_home_with_a_sparkline(cast):
    diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="pain_entries",
        data={"occurred_at": timezone.now(), "body_site": "neck", "nrs": 5},
    )
    html = logged_in(cast.bob).get(reverse("web:home")).content.decode()
    assert reverse("web:patient_detail", args=[cast.alice_patient.id]) in html
    assert 'class="sparkline"' in html and "Last entry" in html
    assert "dave" not in html
    assert AuditEvent.objects.filter(
        actor_username="bob", action="read", patient_key=cast.alice_patient.audit_key
    ).exists()


def test_it_tells_carol_nobody_has_shared_with_her(cast):
    html = logged_in(cast.carol).get(reverse("web:home")).content.decode()
    assert "No patient has shared their diary with you yet." in html
    assert "alice" not in html


def test_it_shows_bob_alices_chart_timeline_and_plan_and_audits_it(cast):
    diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="pain_entries",
        data={"occurred_at": timezone.now(), "body_site": "neck", "nrs": 6},
    )
    before = AuditEvent.objects.filter(actor_username="bob", action="read").count()
    response = logged_in(cast.bob).get(reverse("web:patient_detail", args=[cast.alice_patient.id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Pain 6/10" in html
    assert "Green Maeng Da capsules" in html  # the plan
    assert 'name="nrs"' not in html  # read-only: no quick entry
    assert AuditEvent.objects.filter(actor_username="bob", action="read").count() > before


def test_it_gives_carol_a_404_for_alices_page(cast):
    client = logged_in(cast.carol)
    assert client.get(reverse("web:patient_detail", args=[cast.alice_patient.id])).status_code == 404
    assert (
        client.get(reverse("web:patient_chart", args=[cast.alice_patient.id]), HTTP_HX_REQUEST="true").status_code
        == 404
    )
    assert client.get(reverse("web:patient_timeline", args=[cast.alice_patient.id])).status_code == 404


def test_it_gives_bob_a_404_once_alice_revokes(cast):
    from painwise.patients.services import grant_revoke

    grant_revoke(actor=cast.alice, grant=cast.grant)
    assert logged_in(cast.bob).get(reverse("web:patient_detail", args=[cast.alice_patient.id])).status_code == 404


def test_it_explains_the_researcher_and_admin_homes_without_clinical_data(cast):
    researcher = logged_in(cast.rita).get(reverse("web:home")).content.decode()
    admin = logged_in(cast.adam).get(reverse("web:home")).content.decode()
    assert "de-identified" in researcher and "alice" not in researcher
    assert "manage accounts" in admin and "alice" not in admin


def test_it_logs_in_and_out_with_a_password(cast):
    client = Client()
    response = client.post(reverse("web:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get(reverse("web:logout")).status_code == 405  # a link cannot sign anyone out
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:home")).status_code == 302


def test_it_rejects_demo_users_when_demo_mode_is_off(db, settings):
    settings.DEMO_MODE = False
    user = make_user("demo-patient", "patient")
    user.is_demo = True
    user.save()
    response = Client().post(reverse("web:login"), {"username": "demo-patient", "password": PASSWORD})
    assert response.status_code == 200
    assert "Demo accounts can only sign in while the site runs in demo mode." in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_it_signs_out_a_demo_session_that_outlived_demo_mode(db, settings):
    settings.DEMO_MODE = False
    user = make_user("demo-clinician", "clinician")
    user.is_demo = True
    user.save()
    client = logged_in(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")
    assert "_auth_user_id" not in client.session


def test_it_lists_demo_logins_and_the_2fa_exemption_in_demo_mode(db, settings):
    settings.DEMO_MODE = True
    html = Client().get(reverse("web:login")).content.decode()
    for username in (
        "demo-patient",
        "demo-patient2",
        "demo-clinician",
        "demo-clinician2",
        "demo-researcher",
        "demo-admin",
    ):
        assert f"<code>{username}</code>" in html
    assert settings.DEMO_PASSWORD in html
    assert "exempt from two-factor authentication" in html
    assert "Demo mode — all data are synthetic" in html


def test_it_hides_demo_logins_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    html = Client().get(reverse("web:login")).content.decode()
    assert "demo-patient" not in html and "Demo mode" not in html


def test_it_sends_a_strict_csp_and_serves_htmx_locally(db):
    response = Client().get(reverse("web:login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in html
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert 'name="viewport"' in html
