"""Patient, condition and grant writes."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.accounts.models import Role, User
from painwise.audit.services import audit_record
from painwise.core.conditions import ICD11_CATEGORIES
from painwise.core.diary import BODY_SITES, check_choice, check_text, require
from painwise.core.errors import DomainError
from painwise.patients.models import AccessGrant, PainCondition, Patient


def validate_patient(data: dict[str, Any]) -> None:
    check_choice(data.get("sex_at_birth"), ("female", "male"), "sex_at_birth")
    dob = data.get("date_of_birth")
    require(isinstance(dob, dt.date), "patients.missing", "date_of_birth is required", "date_of_birth")
    if not isinstance(dob, dt.date):
        raise DomainError("patients.missing", "date_of_birth is required", "date_of_birth")
    today = timezone.localdate()
    plausible = dt.date(1900, 1, 1) <= dob <= today
    require(plausible, "patients.out_of_range", "date_of_birth is not plausible", "date_of_birth")
    try:
        zoneinfo.ZoneInfo(str(data.get("time_zone", "UTC")))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError("patients.unknown_time_zone", "time_zone is not an IANA time zone", "time_zone") from exc


@transaction.atomic
def patient_create(
    *,
    actor: Any,
    user: User,
    date_of_birth: dt.date,
    sex_at_birth: str,
    time_zone: str = "UTC",
    patient_id: uuid.UUID | None = None,
    created_at: dt.datetime | None = None,
) -> Patient:
    validate_patient({"date_of_birth": date_of_birth, "sex_at_birth": sex_at_birth, "time_zone": time_zone})
    if user.role != Role.PATIENT:
        raise DomainError("patients.wrong_role", "only patient accounts can hold a patient record", "user")
    patient = Patient(user=user, date_of_birth=date_of_birth, sex_at_birth=sex_at_birth, time_zone=time_zone)
    if patient_id is not None:
        patient.id = patient_id
    if created_at is not None:
        patient.created_at = created_at
    patient.save(force_insert=True)
    audit_record(
        actor=actor, action="create", patient_key=patient.audit_key, object_type="patient", object_id=patient.id
    )
    return patient


def validate_condition(data: dict[str, Any]) -> None:
    check_text(data.get("label"), 200, "label")
    require(bool(str(data.get("label") or "").strip()), "patients.missing", "label is required", "label")
    check_choice(data.get("icd11_category"), tuple(ICD11_CATEGORIES), "icd11_category")
    sites = data.get("body_sites") or []
    require(isinstance(sites, list), "patients.invalid_choice", "body_sites must be a list", "body_sites")
    for site in sites:
        check_choice(site, BODY_SITES, "body_sites")
    onset = data.get("onset_date")
    require(isinstance(onset, dt.date), "patients.missing", "onset_date is required", "onset_date")
    require(onset <= timezone.localdate(), "patients.future_date", "onset_date is in the future", "onset_date")  # type: ignore[operator]


@transaction.atomic
def condition_create(
    *,
    actor: Any,
    patient: Patient,
    data: dict[str, Any],
    condition_id: uuid.UUID | None = None,
    entered_at: dt.datetime | None = None,
    audit: bool = True,
) -> PainCondition:
    validate_condition(data)
    condition = PainCondition(patient=patient, **data)
    if condition_id is not None:
        condition.id = condition_id
    condition.entered_at = entered_at or timezone.now()
    condition.save(force_insert=True)
    if audit:
        audit_record(
            actor=actor, action="create", patient_key=patient.audit_key, object_type="condition", object_id=condition.id
        )
    return condition


@transaction.atomic
def grant_create(
    *,
    actor: Any,
    patient: Patient,
    grantee: User,
    scopes: list[str] | None = None,
    can_comment: bool = False,
    can_enter_data: bool = False,
    expires_at: dt.datetime | None = None,
) -> AccessGrant:
    if grantee.role != Role.CLINICIAN:
        raise DomainError("sharing.not_a_clinician", "access can be granted to clinicians only", "grantee")
    chosen = list(scopes or AccessGrant.ALL_SCOPES)
    for scope in chosen:
        check_choice(scope, AccessGrant.ALL_SCOPES, "scopes")
    grant = AccessGrant.objects.create(
        patient=patient,
        grantee=grantee,
        scopes=chosen,
        can_comment=can_comment,
        can_enter_data=can_enter_data,
        expires_at=expires_at,
    )
    audit_record(actor=actor, action="grant", patient_key=patient.audit_key, object_type="grant", object_id=grant.id)
    # Safety flags raised while nobody held a grant (e.g. a positive PHQ-9 item 9) go to this clinician.
    # Imported here: monitoring depends on patients, not the other way round.
    from painwise.monitoring.services import flags_assign_pending

    flags_assign_pending(actor=actor, grant=grant)
    return grant


@transaction.atomic
def grant_revoke(*, actor: Any, grant: AccessGrant) -> AccessGrant:
    grant = AccessGrant.objects.select_for_update().get(id=grant.id)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="revoke", patient_key=grant.patient.audit_key, object_type="grant", object_id=grant.id
        )
    return grant
