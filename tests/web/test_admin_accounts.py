import pytest

from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def test_it_lets_an_admin_create_a_clinician_account(cast):
    from painwise.accounts.models import User
    from painwise.audit.models import AuditEvent

    response = logged_in(cast.adam).post(
        "/accounts/",
        {"username": "dr-who", "role": "clinician", "password": "a-long-temporary-pass-7", "time_zone": "UTC"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="dr-who").role == "clinician"
    assert AuditEvent.objects.filter(action="account_create", actor_username="adam").exists()


def test_it_creates_a_patient_record_with_a_patient_account(cast):
    from painwise.patients.models import Patient

    client = logged_in(cast.adam)
    body = {"username": "erin", "role": "patient", "password": "a-long-temporary-pass-7", "time_zone": "Europe/Paris"}
    missing = client.post("/accounts/", body)
    assert missing.status_code == 422
    assert "date of birth" in missing.content.decode()
    client.post("/accounts/", body | {"date_of_birth": "1990-02-03", "sex_at_birth": "female"})
    assert Patient.objects.get(user__username="erin").time_zone == "Europe/Paris"


def test_it_refuses_a_weak_password_or_a_taken_username(cast):
    from painwise.accounts.models import User

    client = logged_in(cast.adam)
    weak = client.post(
        "/accounts/", {"username": "newbie", "role": "researcher", "password": "123", "time_zone": "UTC"}
    )
    assert weak.status_code == 422
    taken = client.post(
        "/accounts/",
        {"username": "BOB", "role": "researcher", "password": "a-long-temporary-pass-7", "time_zone": "UTC"},
    )
    assert taken.status_code == 422
    assert not User.objects.filter(username__in=["newbie", "BOB"]).exists()


def test_it_deactivates_an_account_and_its_tokens(cast):
    from painwise.accounts.auth import token_create
    from painwise.accounts.models import ApiToken

    token_create(user=cast.carol)
    logged_in(cast.adam).post(f"/accounts/{cast.carol.id}/deactivate/")
    cast.carol.refresh_from_db()
    assert cast.carol.is_active is False
    assert not ApiToken.objects.filter(user=cast.carol, revoked_at__isnull=True).exists()


def test_it_resets_two_factor_for_a_lost_phone(cast):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    logged_in(cast.bob)  # enrols a device for bob
    assert TOTPDevice.objects.filter(user=cast.bob).exists()
    logged_in(cast.adam).post(f"/accounts/{cast.bob.id}/reset-2fa/")
    assert not TOTPDevice.objects.filter(user=cast.bob).exists()


def test_it_shows_account_management_to_admins_only(cast):
    assert logged_in(cast.adam).get("/accounts/").status_code == 200
    for user in (cast.alice, cast.bob, cast.rita):
        assert logged_in(user).get("/accounts/").status_code == 404
        assert logged_in(user).post(f"/accounts/{cast.dave.id}/deactivate/").status_code == 404
    cast.dave.refresh_from_db()
    assert cast.dave.is_active
