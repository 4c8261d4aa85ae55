"""Bearer-token authentication for the API, and token issue."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from painwise.accounts.models import ApiToken, User, hash_token
from painwise.accounts.otp import otp_required, verify_otp
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError, NotFound


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        record = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        now = timezone.now()
        if record is None or not record.is_active(now) or not record.user.is_active:
            return None
        if record.user.is_demo and not settings.DEMO_MODE:
            return None
        # Touch at most once a minute: a write per request would serialise readers on SQLite.
        if record.last_used_at is None or now - record.last_used_at > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


def token_issue(*, request: HttpRequest, username: str, password: str, otp: str | None = None) -> str:
    """Check password (with django-axes lockout) and, for clinicians and admins, the TOTP code."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise DomainError("auth.locked_out", "too many failed attempts: try again later", "password", status=429)
    if user is None or not user.is_active:
        raise DomainError("auth.invalid_credentials", "username or password is wrong", "password", status=401)
    assert isinstance(user, User)
    if user.is_demo and not settings.DEMO_MODE:
        raise DomainError("auth.demo_disabled", "demo accounts work only in demo mode", "username", status=401)
    if otp_required(user):
        verify_otp(user, otp)
    return token_create(user=user)


@transaction.atomic
def token_create(*, user: User) -> str:
    """A new bearer token for `user`; only its hash is stored."""
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    audit_record(actor=user, action="token_issue", patient_key=None, object_type="api_token")
    return raw


@transaction.atomic
def token_revoke(*, user: User, raw: str) -> None:
    updated = ApiToken.objects.filter(user=user, key_hash=hash_token(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit_record(actor=user, action="token_revoke", patient_key=None, object_type="api_token")


class PatientAccess(BearerAuth):
    """Bearer auth that also refuses callers without access to the patient in the URL.

    It runs before django-ninja reads the body, so a caller who may not write here learns nothing
    from validation errors: they get 404, whatever they send.
    """

    def __init__(self, scope: str, *, write: bool = True) -> None:
        super().__init__()
        self.scope, self.write = scope, write

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        from painwise.patients.access import may, remember_checked
        from painwise.patients.models import Patient

        user = super().authenticate(request, token)
        match = request.resolver_match
        patient_id = match.kwargs.get("patient_id") if match else None
        if user is None or patient_id is None:
            return user
        try:
            patient = Patient.objects.select_related("user").filter(id=uuid.UUID(str(patient_id))).first()
        except ValueError:
            patient = None
        if patient is None or not may(user, patient, self.scope, write=self.write):
            raise NotFound("patient")
        remember_checked(user, patient, self.scope, write=self.write)
        return user


class RoleAccess(BearerAuth):
    """Bearer auth for routes only one role may use; the role is checked before the body is read."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = super().authenticate(request, token)
        if user is not None and user.role != self.role:
            raise DomainError("auth.wrong_role", f"only a {self.role} can do this", None, status=403)
        return user
