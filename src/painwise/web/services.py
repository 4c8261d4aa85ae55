"""Writes made from the account pages that have no service elsewhere: starting and confirming an
authenticator, revoking an API token by id. Each is one transaction with one audit event, like every service.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from painwise.accounts.models import ApiToken
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError, NotFound


@transaction.atomic
def otp_device_start(*, actor: Any) -> TOTPDevice:
    """The actor's authenticator being enrolled (unconfirmed): the pending one, or a new one (audited)."""
    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="authenticator app", confirmed=False)
        audit_record(
            actor=actor, action="otp_enrol_start", patient_key=None, object_type="otp_device", object_id=device.pk
        )
    return device


@transaction.atomic
def otp_device_confirm(*, actor: Any, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm a new authenticator with a current code; it replaces any earlier one (one per user)."""
    if device.user_id != actor.pk or device.confirmed:
        raise NotFound("authenticator")
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or not device.verify_token(token):
        raise DomainError("auth.otp_invalid", "that code is wrong or too old: enter the code shown now", "token")
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=actor, action="otp_enrol", patient_key=None, object_type="otp_device", object_id=device.pk)
    return device


@transaction.atomic
def api_token_revoke(*, actor: Any, token_id: uuid.UUID) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(id=token_id, user=actor).first()
    if token is None:
        raise NotFound("token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token_revoke", patient_key=None, object_type="api_token", object_id=token.id)
    return token
