"""TOTP two-factor authentication (django-otp) for the roles that must use it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from painwise.core.errors import DomainError


def otp_required(user: Any) -> bool:
    if user.is_demo and settings.DEMO_MODE:
        return False  # the documented demo logins must keep working in demo mode
    return user.role in settings.OTP_REQUIRED_ROLES


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def verify_otp(user: Any, token: str | None) -> None:
    """Raise unless `token` is a current TOTP code of one of the user's confirmed devices."""
    device = confirmed_device(user)
    if device is None:
        raise DomainError(
            "auth.otp_enrolment_required",
            "two-factor authentication is required for this role: enrol an authenticator app on the web first",
            "otp",
            status=401,
        )
    if not token or not token.strip().isdigit() or not device.verify_token(token.strip()):
        raise DomainError("auth.otp_invalid", "the one-time code is missing or wrong", "otp", status=401)
