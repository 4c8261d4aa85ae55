"""Bearer-token authentication for the API, and token issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from painwise.accounts.models import ApiToken, User, hash_token
from painwise.accounts.otp import otp_required, verify_otp
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError


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


def token_revoke(*, user: User, raw: str) -> None:
    updated = ApiToken.objects.filter(user=user, key_hash=hash_token(raw), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit_record(actor=user, action="token_revoke", patient_key=None, object_type="api_token")


def current_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]
