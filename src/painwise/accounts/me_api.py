from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from painwise.accounts.auth import RoleAccess
from painwise.accounts.erasure import account_erase
from painwise.api_common import ERRORS, ErrorOut, caller
from painwise.core.errors import NotFound
from painwise.exchange.export import export_patient
from painwise.patients.access import patient_by_user

router = Router(tags=["me"])
PREFIX = "/me"


class MeOut(Schema):
    username: str
    role: str
    patient_id: uuid.UUID | None


class EraseIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    password: str = Field(..., max_length=256)
    confirm: str = Field(..., max_length=150, description="your username, to confirm")


@router.get("", response={200: MeOut, **ERRORS}, url_name="me")
def me(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    patient = patient_by_user(user)
    return {"username": user.username, "role": user.role, "patient_id": patient.id if patient else None}


@router.get("/export", response={200: dict[str, Any], **ERRORS}, url_name="me_export")
def my_data(request: HttpRequest) -> dict[str, Any]:
    """Download all my data in the documented JSON format (docs/import-format.md)."""
    patient = patient_by_user(caller(request))
    if patient is None:
        raise NotFound("patient")
    return export_patient(patient, actor=caller(request))


@router.post("/erase", response={204: None, 403: ErrorOut, **ERRORS}, url_name="me_erase", auth=RoleAccess("patient"))
def erase(request: HttpRequest, payload: EraseIn) -> Status[None]:
    """Erase my account and clinical data, irreversibly (audit facts kept: see docs/security.md)."""
    account_erase(actor=caller(request), password=payload.password, confirm=payload.confirm)
    return Status(204, None)
