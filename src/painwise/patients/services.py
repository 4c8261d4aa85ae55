"""Patient, condition and grant writes."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.accounts.models import Role, User
from painwise.audit.services import audit_record, soft_delete
from painwise.core.conditions import ICD11_CATEGORIES
from painwise.core.countries import COUNTRIES
from painwise.core.diary import BODY_SITES, check_choice, check_text, require
from painwise.core.errors import DomainError, NotFound
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
    check_time_zone(data.get("time_zone", "UTC"))
    check_country(data.get("country", ""))


def check_time_zone(value: object) -> None:
    try:
        zoneinfo.ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError("patients.unknown_time_zone", "time_zone is not an IANA time zone", "time_zone") from exc


def check_country(value: object) -> None:
    """Blank (the deployment's default) or a two-letter ISO 3166-1 code from the country list."""
    if value in (None, ""):
        return
    require(
        isinstance(value, str) and value in COUNTRIES,
        "patients.unknown_country",
        "country must be a two-letter ISO 3166-1 code",
        "country",
    )


@transaction.atomic
def patient_create(
    *,
    actor: Any,
    user: User,
    date_of_birth: dt.date,
    sex_at_birth: str,
    time_zone: str = "UTC",
    country: str = "",
    patient_id: uuid.UUID | None = None,
    created_at: dt.datetime | None = None,
) -> Patient:
    validate_patient(
        {"date_of_birth": date_of_birth, "sex_at_birth": sex_at_birth, "time_zone": time_zone, "country": country}
    )
    if user.role != Role.PATIENT:
        raise DomainError("patients.wrong_role", "only patient accounts can hold a patient record", "user")
    patient = Patient(
        user=user, date_of_birth=date_of_birth, sex_at_birth=sex_at_birth, time_zone=time_zone, country=country
    )
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
    end = data.get("end_date")
    if end is not None:
        require(isinstance(end, dt.date), "patients.missing", "end_date must be a date", "end_date")
        require(end >= onset, "patients.out_of_range", "end_date is before onset_date", "end_date")  # type: ignore[operator]
        require(end <= timezone.localdate(), "patients.future_date", "end_date is in the future", "end_date")  # type: ignore[operator]


CONDITION_FIELDS = ("label", "icd11_category", "body_sites", "onset_date", "end_date")


def _live_condition(patient: Patient, condition_id: uuid.UUID | str) -> PainCondition:
    try:
        key = uuid.UUID(str(condition_id))
    except ValueError as exc:
        raise NotFound("condition") from exc
    found = PainCondition.objects.live().select_for_update().filter(patient=patient, id=key).first()
    if found is None:
        raise NotFound("condition")
    return found


@transaction.atomic
def condition_update(
    *, actor: Any, patient: Patient, condition_id: uuid.UUID | str, changes: dict[str, Any]
) -> PainCondition:
    """Edit a condition, or end it by setting `end_date` (it stays in the record)."""
    condition = _live_condition(patient, condition_id)
    unknown = set(changes) - set(CONDITION_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError("patients.unknown_field", f"{field} is not a field of a condition", field)
    merged = {name: getattr(condition, name) for name in CONDITION_FIELDS} | changes
    validate_condition(merged)
    for name, value in changes.items():
        setattr(condition, name, value)
    condition.save()
    audit_record(
        actor=actor,
        action="update",
        patient_key=patient.audit_key,
        object_type="condition",
        object_id=condition.id,
        detail={"fields": sorted(changes)},
    )
    return condition


@transaction.atomic
def condition_delete(*, actor: Any, patient: Patient, condition_id: uuid.UUID | str) -> None:
    """For a condition entered in error: hidden and audited (soft delete)."""
    condition = _live_condition(patient, condition_id)
    soft_delete(actor=actor, patient_key=patient.audit_key, record=condition, object_type="condition")


PROFILE_FIELDS = ("time_zone", "country", "show_kratom_tab")


@transaction.atomic
def patient_profile_update(*, actor: Any, patient: Patient, changes: dict[str, Any]) -> Patient:
    """The patient's own settings: time zone, country (crisis resources) and whether the Kratom tab shows."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError("patients.unknown_field", f"{field} is not a profile setting", field)
    if "time_zone" in changes:
        check_time_zone(changes["time_zone"])
    if "country" in changes:
        changes = changes | {"country": changes["country"] or ""}
        check_country(changes["country"])
    if "show_kratom_tab" in changes:
        changes = changes | {"show_kratom_tab": bool(changes["show_kratom_tab"])}
    patient = Patient.objects.select_for_update().get(id=patient.id)
    for name, value in changes.items():
        setattr(patient, name, value)
    patient.save(update_fields=sorted(changes) or None)
    audit_record(
        actor=actor,
        action="update",
        patient_key=patient.audit_key,
        object_type="patient",
        object_id=patient.id,
        detail={"fields": sorted(changes)},
    )
    return patient


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
