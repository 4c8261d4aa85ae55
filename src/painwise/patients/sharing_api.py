from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from painwise.accounts.auth import RoleAccess
from painwise.api_common import ERRORS, ErrorOut, caller
from painwise.core.errors import NotFound
from painwise.patients.access import patient_by_user
from painwise.patients.models import AccessGrant
from painwise.patients.sharing import (
    grant_revoke_by_patient,
    grants_of_patient,
    grants_received,
    invitation_create,
    invitation_redeem,
)

router = Router(tags=["sharing"])
PREFIX = "/sharing"


class InvitationIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    scopes: list[str] = Field(default_factory=lambda: list(AccessGrant.ALL_SCOPES), max_length=5)
    can_comment: bool = False
    can_enter_data: bool = Field(False, description="may the clinician enter labs and plan changes")
    expires_at: dt.datetime | None = Field(None, description="when the access ends (optional)")


class InvitationOut(Schema):
    id: uuid.UUID
    code: str = Field(..., description="shown once: hand it to the clinician")
    code_expires_at: dt.datetime
    scopes: list[str]


class RedeemIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    code: str = Field(..., max_length=32)


class GrantOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    clinician: str
    scopes: list[str]
    can_comment: bool
    can_enter_data: bool
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool


def grant_out(grant: AccessGrant) -> dict[str, Any]:
    return {
        "id": grant.id,
        "patient_id": grant.patient_id,
        "clinician": grant.grantee.username,
        "scopes": grant.scopes,
        "can_comment": grant.can_comment,
        "can_enter_data": grant.can_enter_data,
        "created_at": grant.created_at,
        "expires_at": grant.expires_at,
        "revoked_at": grant.revoked_at,
        "active": grant.is_active(),
    }


def _own_patient(request: HttpRequest) -> Any:
    patient = patient_by_user(caller(request))
    if patient is None:
        raise NotFound("patient")
    return patient


@router.post("/invitations", response={201: InvitationOut, **ERRORS}, url_name="sharing_invite")
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Any:
    """A patient creates a share code (valid 7 days, once) for a clinician."""
    from ninja import Status

    invitation, code = invitation_create(
        actor=caller(request),
        patient=_own_patient(request),
        scopes=payload.scopes,
        can_comment=payload.can_comment,
        can_enter_data=payload.can_enter_data,
        grant_expires_at=payload.expires_at,
    )
    body = {
        "id": invitation.id,
        "code": code,
        "code_expires_at": invitation.code_expires_at,
        "scopes": invitation.scopes,
    }
    return Status(201, body)


@router.post(
    "/redeem",
    response={201: GrantOut, 403: ErrorOut, **ERRORS},
    url_name="sharing_redeem",
    auth=RoleAccess("clinician"),
)
def redeem(request: HttpRequest, payload: RedeemIn) -> Any:
    """A clinician redeems a share code and receives the grant it describes."""
    from ninja import Status

    return Status(201, grant_out(invitation_redeem(actor=caller(request), code=payload.code)))


@router.get("/grants", response={200: list[GrantOut], **ERRORS}, url_name="sharing_grants")
def list_grants(request: HttpRequest) -> list[dict[str, Any]]:
    """Patients: who has (or had) access to my data. Clinicians: the grants I received."""
    user = caller(request)
    if user.role == "patient":
        return [grant_out(g) for g in grants_of_patient(actor=user, patient=_own_patient(request))]
    if user.role == "clinician":
        return [grant_out(g) for g in grants_received(actor=user)]
    return []


@router.post("/grants/{grant_id}/revoke", response={200: GrantOut, **ERRORS}, url_name="sharing_revoke")
def revoke(request: HttpRequest, grant_id: uuid.UUID) -> dict[str, Any]:
    """The patient revokes a grant; it stops working at once, also for tokens already issued."""
    return grant_out(grant_revoke_by_patient(actor=caller(request), grant_id=grant_id))
