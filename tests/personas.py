"""The people every test story is about (after healthchecks' Alice/Bob/Charlie).

- alice: a patient with a kratom product and a few diary entries; owns her records.
- bob: a clinician Alice shared everything with (full-scope grant, may enter labs and plan changes).
- carol: a clinician with no grant: sees nothing of Alice's.
- dave: another patient: sees only his own records.
- rita: a researcher: no identifiable data.
- adam: an admin: manages accounts, reads no clinical data unless shared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Cast:
    alice: Any
    alice_patient: Any
    bob: Any
    carol: Any
    dave: Any
    dave_patient: Any
    rita: Any
    adam: Any
    grant: Any
    kratom: Any


def make_user(username: str, role: str) -> Any:
    from painwise.accounts.models import User

    return User.objects.create_user(username=username, password=PASSWORD, role=role)


@pytest.fixture
def cast(db: Any) -> Cast:
    from painwise.patients.services import grant_create, patient_create
    from painwise.treatment.services import therapy_create

    alice = make_user("alice", "patient")
    alice_patient = patient_create(
        actor=alice, user=alice, date_of_birth=dt.date(1980, 5, 1), sex_at_birth="female", time_zone="Europe/London"
    )
    dave = make_user("dave", "patient")
    dave_patient = patient_create(
        actor=dave, user=dave, date_of_birth=dt.date(1975, 1, 9), sex_at_birth="male", time_zone="America/New_York"
    )
    bob = make_user("bob", "clinician")
    carol = make_user("carol", "clinician")
    rita = make_user("rita", "researcher")
    adam = make_user("adam", "admin")
    grant = grant_create(actor=alice, patient=alice_patient, grantee=bob, can_enter_data=True, can_comment=True)
    kratom = therapy_create(
        actor=alice,
        patient=alice_patient,
        data={
            "kind": "kratom",
            "name": "Green Maeng Da capsules",
            "start_date": timezone.localdate() - dt.timedelta(days=90),
            "strain": "Maeng Da",
            "form": "capsule",
            "unit": "capsule",
            "leaf_g_per_unit": 0.5,
        },
    )
    return Cast(alice, alice_patient, bob, carol, dave, dave_patient, rita, adam, grant, kratom)


def bearer(user: Any) -> dict[str, str]:
    """Headers for an API call as `user` (a real token; the password/TOTP exchange is tested on its own)."""
    from painwise.accounts.auth import token_create

    return {"Authorization": f"Bearer {token_create(user=user)}"}


@pytest.fixture
def api_client() -> Client:
    return Client()


def logged_in(user: Any) -> Client:
    """A signed-in web client; clinicians and admins also passed two-factor (a confirmed TOTP device)."""
    client = Client()
    client.force_login(user)
    verify_otp_session(client, user)
    return client


def verify_otp_session(client: Client, user: Any) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user.role not in ("clinician", "admin"):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
