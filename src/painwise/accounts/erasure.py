"""Patient rights: erase my account. Audited, irreversible; the append-only audit trail stays.

What is removed: the user account, the patient record and every clinical record hanging from it
(conditions, plan, diary, labs, questionnaires, flags, grants, share codes, API tokens, sessions).
What stays: audit events, which name the patient only by a random key (and patients' own actions
only by a now-meaningless account id) — see docs/security.md.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction

from painwise.accounts.models import Role
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError


@transaction.atomic
def account_erase(*, actor: Any, password: str, confirm: str) -> None:
    if actor.role != Role.PATIENT:
        raise DomainError("erase.not_a_patient", "only patients can erase their own account here", None, status=403)
    if confirm != actor.username:
        raise DomainError("erase.not_confirmed", "type your username to confirm erasure", "confirm")
    if not actor.check_password(password):
        raise DomainError("erase.wrong_password", "the password is wrong", "password", status=401)
    patient = getattr(actor, "patient", None)
    audit_record(
        actor=actor,
        action="erase",
        patient_key=patient.audit_key if patient else None,
        object_type="patient",
        object_id=patient.id if patient else "",
    )
    user_id = str(actor.pk)
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
    if patient is not None:
        _delete_patient_records(patient)
    actor.delete()


def _delete_patient_records(patient: Any) -> None:
    from painwise.diary.specs import SPECS

    # Diary rows first: dose events PROTECT their product, so the plan can go only after them.
    for spec in SPECS.values():
        spec.model.objects.filter(patient=patient).delete()  # type: ignore[attr-defined]
    patient.delete()
