"""Two-factor sign-in on the web: clinicians and admins pass a TOTP step; patients do not."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from painwise.accounts.auth import token_create
from painwise.accounts.models import ApiToken
from painwise.audit.models import AuditEvent
from tests.personas import PASSWORD, logged_in, make_user

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"


def password_login(username: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(reverse("web:login"), {"username": username, "password": PASSWORD})
    return client, response


def path_of(response: object) -> str:
    return urlparse(response["Location"]).path  # type: ignore[index]


def test_it_sends_a_clinician_without_a_device_to_enrolment_and_keeps_every_page_closed(cast):
    client, response = password_login("bob")
    assert response.status_code == 302 and path_of(response) == reverse("web:otp_enrol")
    for url in (reverse("web:home"), "/questionnaires/", "/monitoring/", "/labs/", reverse("web:security")):
        blocked = client.get(url)
        assert blocked.status_code == 302, url
        assert path_of(blocked) == reverse("web:otp_enrol"), url
    assert client.get(reverse("web:patient_detail", args=[cast.alice_patient.id])).status_code == 302
    assert not AuditEvent.objects.filter(actor_username="bob", action="read").exists()


def test_it_enrols_a_clinician_with_a_correct_code_and_then_opens_the_pages(cast):
    client, _ = password_login("bob")
    page = client.get(reverse("web:otp_enrol"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'id="otp-secret"' in html
    device = TOTPDevice.objects.get(user=cast.bob, confirmed=False)
    response = client.post(reverse("web:otp_enrol"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert TOTPDevice.objects.get(user=cast.bob).confirmed
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get("/questionnaires/").status_code == 200
    assert AuditEvent.objects.filter(actor_username="bob", action="otp_enrol").exists()


def test_it_refuses_a_wrong_enrolment_code_and_confirms_nothing(cast):
    client, _ = password_login("bob")
    client.get(reverse("web:otp_enrol"))
    response = client.post(reverse("web:otp_enrol"), {"token": "000000"})
    assert response.status_code == 422
    assert "that code is wrong or too old" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.bob, confirmed=True).exists()
    assert client.get(reverse("web:home")).status_code == 302


def test_it_asks_a_clinician_with_a_device_for_the_code(cast):
    device = TOTPDevice.objects.create(user=cast.bob, name="phone", confirmed=True)
    client, response = password_login("bob")
    assert path_of(response) == reverse("web:login_otp")
    assert path_of(client.get("/monitoring/")) == reverse("web:login_otp")
    wrong = client.post(reverse("web:login_otp"), {"token": "123"})
    assert wrong.status_code == 422 and "the one-time code is missing or wrong" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp delays retries after a failure (1 s, 2 s, ...): skip the wait
    right = client.post(reverse("web:login_otp"), {"token": code_for(device), "next": "/monitoring/"})
    assert right.status_code == 302 and right["Location"] == "/monitoring/"
    assert client.get("/monitoring/").status_code == 200


def test_it_does_not_let_a_password_alone_replace_an_existing_authenticator(cast):
    TOTPDevice.objects.create(user=cast.bob, name="phone", confirmed=True)
    client, _ = password_login("bob")
    response = client.get(reverse("web:otp_enrol"))
    assert path_of(response) == reverse("web:login_otp")
    assert TOTPDevice.objects.filter(user=cast.bob).count() == 1


def test_it_lets_a_patient_in_with_the_password_alone(cast):
    client, response = password_login("alice")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("web:home")).status_code == 200


def test_it_exempts_a_demo_clinician_in_demo_mode(db, settings):
    settings.DEMO_MODE = True
    user = make_user("demo-clinician", "clinician")
    user.is_demo = True
    user.save()
    client, response = password_login("demo-clinician")
    assert response["Location"] == "/"
    assert client.get(reverse("web:home")).status_code == 200


def test_it_locks_out_the_web_login_after_five_failures(cast):
    client = Client()
    for _ in range(5):
        client.post(reverse("web:login"), {"username": "alice", "password": "wrong"})
    locked = client.post(reverse("web:login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert client.get(reverse("web:sharing")).status_code == 302  # not signed in


def test_it_shows_2fa_status_and_revokes_an_api_token_on_the_security_page(cast):
    token_create(user=cast.alice)
    token = ApiToken.objects.get(user=cast.alice)
    client = logged_in(cast.alice)
    html = client.get(reverse("web:security")).content.decode()
    assert "Two-factor authentication" in html and "Off." in html
    assert reverse("web:token_revoke", args=[token.id]) in html
    response = client.post(reverse("web:token_revoke", args=[token.id]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="token_revoke", object_id=str(token.id)).exists()


def test_it_gives_404_for_someone_elses_token(cast):
    token_create(user=cast.dave)
    token = ApiToken.objects.get(user=cast.dave)
    assert logged_in(cast.alice).post(reverse("web:token_revoke", args=[token.id])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_asks_a_patient_who_enrolled_voluntarily_for_the_code(cast):
    TOTPDevice.objects.create(user=cast.alice, name="phone", confirmed=True)
    client, response = password_login("alice")
    assert path_of(response) == reverse("web:login_otp")
    assert path_of(client.get(reverse("web:sharing"))) == reverse("web:login_otp")


def test_it_starts_an_enrolment_once_through_the_service_and_audits_it(cast):
    client, _ = password_login("bob")
    client.get(reverse("web:otp_enrol"))
    client.get(reverse("web:otp_enrol"))  # a reload shows the same pending authenticator
    assert TOTPDevice.objects.filter(user=cast.bob, confirmed=False).count() == 1
    started = AuditEvent.objects.filter(actor_username="bob", action="otp_enrol_start")
    assert started.count() == 1
    assert started.get().object_id == str(TOTPDevice.objects.get(user=cast.bob).pk)


def test_token_issue_and_revoke_are_atomic_with_their_audit_event(cast, monkeypatch):
    """A failed audit write leaves no token behind (token_create is one transaction)."""
    from painwise.accounts import auth
    from painwise.accounts.models import ApiToken

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(auth, "audit_record", broken)
    with pytest.raises(RuntimeError):
        auth.token_create(user=cast.bob)
    assert not ApiToken.objects.filter(user=cast.bob).exists()
