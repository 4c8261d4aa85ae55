"""Account management for admins: create accounts, deactivate/reactivate, reset two-factor.

Admins manage accounts but read no clinical data: nothing here returns diary, labs or plan records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from painwise.accounts.models import ApiToken, Role, User
from painwise.audit.services import audit_record
from painwise.core.diary import check_choice
from painwise.core.errors import DomainError, NotFound


def require_admin(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.ADMIN or not actor.is_active:
        raise NotFound("page")


def accounts_list(actor: Any) -> QuerySet[User]:
    require_admin(actor)
    return User.objects.order_by("role", "username")


@transaction.atomic
def account_create(
    *,
    actor: Any,
    username: str,
    role: str,
    password: str,
    date_of_birth: dt.date | None = None,
    sex_at_birth: str | None = None,
    time_zone: str = "UTC",
) -> User:
    require_admin(actor)
    check_choice(role, [r.value for r in Role], "role")
    user = new_user(username, role, password)
    user.save()
    if role == Role.PATIENT:
        from painwise.patients.services import patient_create

        if date_of_birth is None or sex_at_birth is None:
            raise DomainError(
                "accounts.missing", "a patient account needs date of birth and sex at birth", "date_of_birth"
            )
        patient_create(
            actor=actor, user=user, date_of_birth=date_of_birth, sex_at_birth=sex_at_birth, time_zone=time_zone
        )
    audit_record(actor=actor, action="account_create", patient_key=None, object_type="user", object_id=user.id,
                 detail={"role": role})  # fmt: skip
    return user


def new_user(username: str, role: str, password: str) -> User:
    """An unsaved user with a checked username and password (the same rules for admins and sign-up)."""
    username = (username or "").strip()
    if not username or len(username) > 150 or not all(c.isalnum() or c in "@.+-_" for c in username):
        raise DomainError("accounts.bad_username", "use letters, digits and @.+-_ only (1-150)", "username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("accounts.duplicate", f"the username {username!r} is taken", "username", status=409)
    user = User(username=username, role=role)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("accounts.weak_password", " ".join(exc.messages), "password") from exc
    user.set_password(password)
    return user


def _target(actor: Any, user_id: Any) -> User:
    require_admin(actor)
    user = User.objects.filter(id=user_id).first()
    if user is None:
        raise NotFound("account")
    return user


@transaction.atomic
def account_set_active(*, actor: Any, user_id: Any, active: bool) -> User:
    user = _target(actor, user_id)
    if user.id == actor.id and not active:
        raise DomainError("accounts.self", "you cannot deactivate your own account", None)
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        # A deactivated account's tokens stop at once (sessions already fail: the user is inactive).
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=dt.datetime.now(dt.UTC))
    audit_record(actor=actor, action="account_activate" if active else "account_deactivate", patient_key=None,
                 object_type="user", object_id=user.id)  # fmt: skip
    return user


@transaction.atomic
def account_reset_2fa(*, actor: Any, user_id: Any) -> User:
    """For a lost phone: removes the user's authenticators; they enrol again at their next sign-in."""
    user = _target(actor, user_id)
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action="otp_reset", patient_key=None, object_type="user", object_id=user.id)
    return user
