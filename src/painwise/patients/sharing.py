"""Patient-controlled sharing: share codes, grants with scopes and expiry, revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.accounts.models import Role, User
from painwise.audit.services import audit_record
from painwise.core.diary import check_choice
from painwise.core.errors import DomainError, NotFound
from painwise.patients.models import AccessGrant, Patient, ShareInvitation
from painwise.patients.services import grant_create, grant_revoke

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed
CODE_LENGTH = 12
CODE_VALID_FOR = dt.timedelta(days=7)


def _hash(code: str) -> str:
    normalised = code.replace("-", "").replace(" ", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _format(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    patient: Patient,
    scopes: list[str] | None = None,
    can_comment: bool = False,
    can_enter_data: bool = False,
    grant_expires_at: dt.datetime | None = None,
) -> tuple[ShareInvitation, str]:
    """A new share code (returned once, in clear) for the patient to hand to a clinician."""
    if patient.user_id != actor.id:
        raise NotFound("patient")
    chosen = list(scopes or AccessGrant.ALL_SCOPES)
    if not chosen:
        raise DomainError("sharing.no_scope", "choose at least one thing to share", "scopes")
    for scope in chosen:
        check_choice(scope, AccessGrant.ALL_SCOPES, "scopes")
    now = timezone.now()
    if grant_expires_at is not None and grant_expires_at <= now:
        raise DomainError("sharing.past_expiry", "the access expiry must be in the future", "expires_at")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invitation = ShareInvitation.objects.create(
        patient=patient,
        code_hash=_hash(code),
        scopes=sorted(set(chosen), key=AccessGrant.ALL_SCOPES.index),
        can_comment=can_comment,
        can_enter_data=can_enter_data,
        grant_expires_at=grant_expires_at,
        code_expires_at=now + CODE_VALID_FOR,
    )
    audit_record(
        actor=actor, action="invite", patient_key=patient.audit_key, object_type="invitation", object_id=invitation.id
    )
    return invitation, _format(code)


@transaction.atomic
def invitation_redeem(*, actor: User, code: str) -> AccessGrant:
    if actor.role != Role.CLINICIAN:
        raise DomainError("sharing.not_a_clinician", "only clinicians can redeem a share code", "code", status=403)
    invitation = (
        ShareInvitation.objects.select_for_update()
        .select_related("patient")
        .filter(code_hash=_hash(code or ""))
        .first()
    )
    now = timezone.now()
    usable = (
        invitation is not None
        and invitation.redeemed_at is None
        and invitation.cancelled_at is None
        and invitation.code_expires_at > now
    )
    if not usable:
        raise DomainError("sharing.invalid_code", "this share code is unknown, used or expired", "code")
    assert invitation is not None
    grant = grant_create(
        actor=actor,
        patient=invitation.patient,
        grantee=actor,
        scopes=list(invitation.scopes),
        can_comment=invitation.can_comment,
        can_enter_data=invitation.can_enter_data,
        expires_at=invitation.grant_expires_at,
    )
    invitation.redeemed_at, invitation.grant = now, grant
    invitation.save(update_fields=["redeemed_at", "grant"])
    return grant


def grants_of_patient(*, actor: Any, patient: Patient) -> list[AccessGrant]:
    """Everyone who has (or had) access: the patient's own "who can see my data" list."""
    if patient.user_id != actor.id:
        raise NotFound("patient")
    return list(patient.grants.select_related("grantee").order_by("-created_at"))


def grants_received(*, actor: Any) -> list[AccessGrant]:
    return list(AccessGrant.objects.filter(grantee=actor).select_related("patient__user").order_by("-created_at"))


@transaction.atomic
def grant_revoke_by_patient(*, actor: Any, grant_id: Any) -> AccessGrant:
    grant = AccessGrant.objects.select_related("patient").filter(id=grant_id, patient__user=actor).first()
    if grant is None:
        raise NotFound("grant")
    return grant_revoke(actor=actor, grant=grant)


def invitations_pending(*, actor: Any, patient: Patient) -> list[ShareInvitation]:
    """The patient's share codes that could still be redeemed (not used, cancelled or expired)."""
    if patient.user_id != actor.id:
        raise NotFound("patient")
    return list(
        patient.invitations.filter(
            redeemed_at__isnull=True, cancelled_at__isnull=True, code_expires_at__gt=timezone.now()
        ).order_by("-created_at", "id")
    )


@transaction.atomic
def invitation_cancel(*, actor: Any, invitation_id: Any) -> ShareInvitation:
    """The patient cancels a pending share code: it can no longer be redeemed. Only pending codes can
    be cancelled (a redeemed code became a grant: revoke the grant instead)."""
    invitation = (
        ShareInvitation.objects.select_for_update()
        .select_related("patient")
        .filter(id=invitation_id, patient__user=actor)
        .first()
    )
    if invitation is None:
        raise NotFound("share code")
    if invitation.redeemed_at is not None:
        raise DomainError(
            "sharing.already_redeemed", "this code was already used: revoke the grant instead", "invitation_id", 409
        )
    if invitation.cancelled_at is None:
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        audit_record(
            actor=actor,
            action="invite_cancel",
            patient_key=invitation.patient.audit_key,
            object_type="invitation",
            object_id=invitation.id,
        )
    return invitation
