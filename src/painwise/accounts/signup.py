"""Self sign-up: a person creates their own patient account (setting PAINWISE_SELF_SIGNUP).

Clinician, researcher and admin accounts are still created by admins only. The username and password
rules are the admins' ones (`admin_services.new_user`); lockout and two-factor apply as for any account.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from painwise.accounts.admin_services import new_user
from painwise.accounts.models import Role, User
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError
from painwise.patients.services import patient_create


def signup_open() -> bool:
    return bool(getattr(settings, "SELF_SIGNUP", False))


@transaction.atomic
def patient_sign_up(
    *,
    username: str,
    password: str,
    date_of_birth: dt.date,
    sex_at_birth: str,
    time_zone: str,
    country: str,
) -> User:
    """Create a patient account and its record in one transaction, audited as the new user's own act."""
    if not signup_open():
        raise DomainError("accounts.signup_closed", "this service does not take sign-ups", None, status=403)
    user = new_user(username, Role.PATIENT, password)
    user.save()
    patient = patient_create(
        actor=user,
        user=user,
        date_of_birth=date_of_birth,
        sex_at_birth=sex_at_birth,
        time_zone=time_zone,
        country=country,
    )
    audit_record(actor=user, action="signup", patient_key=patient.audit_key, object_type="user", object_id=user.id)
    return user
