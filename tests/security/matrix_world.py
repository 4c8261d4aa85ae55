"""The nine personas of the authorisation matrix and the records its requests point at.

Built on the `cast` of tests/personas.py (alice owns the records; bob holds an active full-scope grant
with data entry; carol has no grant; dave is another patient; rita a researcher; adam an admin) plus two
clinicians alice also shared everything with: erin, whose grant has expired (`expires_at` in the past),
and ray, whose grant alice revoked. Records are made on first use, so each case builds only what its
route needs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cached_property
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.personas import Cast, make_user

# Column order of the expectation table.
PERSONAS = ("alice", "dave", "bob", "erin_expired", "ray_revoked", "carol", "rita", "adam", "anon")
PERSONA_HELP = {
    "alice": "the patient who owns the records",
    "dave": "another patient",
    "bob": "clinician with an active full-scope grant from alice, with data entry",
    "erin_expired": "clinician whose full-scope grant from alice has expired",
    "ray_revoked": "clinician whose full-scope grant alice revoked",
    "carol": "clinician alice never shared with",
    "rita": "researcher",
    "adam": "admin",
    "anon": "not signed in / no bearer token",
}
SECOND_FACTOR_ROLES = ("clinician", "admin")


def ago(**kwargs: float) -> dt.datetime:
    return (timezone.now() - dt.timedelta(**kwargs)).replace(microsecond=0)


class World:
    """Everything one matrix case needs; a fresh one (and a fresh database) for every case."""

    def __init__(self, cast: Cast) -> None:
        from painwise.patients.services import grant_create, grant_revoke

        self.cast = cast
        self.alice, self.patient, self.bob = cast.alice, cast.alice_patient, cast.bob
        erin = make_user("erin", "clinician")
        ray = make_user("ray", "clinician")
        full = {"actor": cast.alice, "patient": cast.alice_patient, "can_enter_data": True, "can_comment": True}
        expiring = grant_create(grantee=erin, expires_at=timezone.now() + dt.timedelta(days=1), **full)
        type(expiring).objects.filter(id=expiring.id).update(expires_at=ago(days=1))
        grant_revoke(actor=cast.alice, grant=grant_create(grantee=ray, **full))
        self.users: dict[str, Any] = {
            "alice": cast.alice,
            "dave": cast.dave,
            "bob": cast.bob,
            "erin_expired": erin,
            "ray_revoked": ray,
            "carol": cast.carol,
            "rita": cast.rita,
            "adam": cast.adam,
            "anon": None,
        }
        self._records: dict[str, Any] = {}

    # --- clients -------------------------------------------------------------------------------

    def device(self, user: Any) -> Any:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.get_or_create(user=user, name="phone", defaults={"confirmed": True})[0]

    def web_client(self, persona: str) -> Client:
        """Signed in with force_login (client.login trips django-axes); clinicians and admins also
        pass TOTP: a confirmed device and a django-otp-verified session."""
        client = Client()
        user = self.users[persona]
        if user is None:
            return client
        client.force_login(user)
        if user.role in SECOND_FACTOR_ROLES:
            from django_otp import DEVICE_ID_SESSION_KEY

            session = client.session
            session[DEVICE_ID_SESSION_KEY] = self.device(user).persistent_id
            session.save()
        return client

    def api_headers(self, persona: str) -> dict[str, str]:
        from tests.personas import bearer

        user = self.users[persona]
        return {} if user is None else bearer(user)

    def otp_code(self, user: Any) -> str:
        from django_otp.oath import totp

        return f"{totp(self.device(user).bin_key):06d}"

    # --- alice's records, made on first use ----------------------------------------------------

    def _diary(self, kind: str, data: dict[str, Any]) -> Any:
        from painwise.diary.services import diary_record_create

        return diary_record_create(
            actor=self.alice, patient=self.patient, kind=kind, data={"occurred_at": ago(hours=5), **data}
        )

    DIARY_DATA: dict[str, dict[str, Any]] = {
        "pain_entries": {"body_site": "lower_back", "nrs": 6},
        "check_ins": {"mood": 6, "sleep_hours": 7},
        "dose_events": {"amount": 2, "unit": "capsule", "status": "taken"},  # product: alice's kratom capsules
        "therapy_sessions": {"modality": "cbt", "minutes": 40, "status": "done"},
        "side_effects": {"kind": "nausea", "severity": "mild"},
    }

    def diary_record(self, kind: str) -> Any:
        if kind not in self._records:
            data = dict(self.DIARY_DATA[kind])
            if kind == "dose_events":
                data["product_id"] = self.cast.kratom.id
            self._records[kind] = self._diary(kind, data)
        return self._records[kind]

    @cached_property
    def physio(self) -> Any:
        from painwise.treatment.services import therapy_create

        data = {"kind": "physical_therapy", "name": "Physiotherapy", "start_date": timezone.localdate()}
        return therapy_create(actor=self.alice, patient=self.patient, data=data)

    @cached_property
    def condition(self) -> Any:
        from painwise.patients.services import condition_create

        data = {"label": "Low back pain", "icd11_category": "musculoskeletal", "onset_date": timezone.localdate()}
        return condition_create(actor=self.alice, patient=self.patient, data=data)

    @cached_property
    def reminder(self) -> Any:
        from painwise.reminders.models import Reminder

        return Reminder.objects.create(patient=self.patient, kind="check_in", key="check_in:x", title="t", body="b")

    @cached_property
    def lab_result(self) -> Any:
        from painwise.labs.services import lab_result_create

        data = {"analyte": "ferritin", "value": 22, "unit": "ng/mL", "collected_at": ago(days=3)}
        return lab_result_create(actor=self.alice, patient=self.patient, data=data)

    @cached_property
    def phq9_response(self) -> Any:
        """A PHQ-9 with item 9 positive: raises an urgent flag for bob, the only active grant holder."""
        from painwise.questionnaires.services import questionnaire_submit

        answers = [0, 1, 0, 0, 0, 0, 0, 0, 1]
        return questionnaire_submit(actor=self.alice, patient=self.patient, code="phq9", answers=answers)

    @cached_property
    def bobs_flag(self) -> Any:
        from painwise.monitoring.models import Flag

        response = self.phq9_response
        return Flag.objects.get(recipient=self.bob, source_id=str(response.id))

    def own_flag(self, persona: str) -> Any:
        """A flag addressed to the caller: bob's; for erin and ray, the copy they would have received
        had alice's PHQ-9 been submitted while their grants were still active (same content as bob's,
        as flags_raise makes one per grant holder); everyone else, having none, tries bob's."""
        from painwise.monitoring.models import Flag

        flag = self.bobs_flag
        if persona not in ("erin_expired", "ray_revoked"):
            return flag
        if persona not in self._records:
            copy = Flag.objects.get(id=flag.id)
            copy.pk, copy.recipient = uuid.uuid4(), self.users[persona]
            copy.save(force_insert=True)
            self._records[persona] = copy
        return self._records[persona]

    @cached_property
    def ritas_run(self) -> Any:
        """A research cohort of rita's (not yet built)."""
        from painwise.research.models import ResearchRun

        return ResearchRun.objects.create(researcher=self.cast.rita, filters={"sex": None, "age_bands": []})

    @cached_property
    def alices_token(self) -> Any:
        from painwise.accounts.auth import token_create
        from painwise.accounts.models import ApiToken

        token_create(user=self.alice)
        return ApiToken.objects.filter(user=self.alice).latest("created_at")

    @cached_property
    def share_code(self) -> str:
        """A fresh share code from alice (diary only)."""
        from painwise.patients.sharing import invitation_create

        return invitation_create(actor=self.alice, patient=self.patient, scopes=["diary"])[1]

    @cached_property
    def share_invitation(self) -> Any:
        """A pending share code of alice's (the invitation, for list and cancel)."""
        from painwise.patients.sharing import invitation_create

        return invitation_create(actor=self.alice, patient=self.patient, scopes=["labs"])[0]

    def user(self, persona: str) -> Any:
        return self.users[persona]


def new_id() -> str:
    return str(uuid.uuid4())
