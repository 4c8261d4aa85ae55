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


def token_issue(*, request: HttpRequest | None, username: str, password: str) -> str:
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise DomainError("auth.invalid_credentials", "username or password is wrong", "password", status=401)
    assert isinstance(user, User)
    if user.is_demo and not settings.DEMO_MODE:
        raise DomainError("auth.demo_disabled", "demo accounts work only in demo mode", "username", status=401)
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    audit_record(actor=user, action="token_issue", patient_key=None, object_type="api_token")
    return raw


def current_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]
