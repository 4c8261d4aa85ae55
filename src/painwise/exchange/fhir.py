"""FHIR R4 exchange at the edge: read the database into the pure mapping (painwise.core.fhir) and
hand imported Bundles to the all-or-nothing importer (docs/fhir.md).

Callers obtain the patient through the access policy (painwise.patients.access) and pass the scopes
the caller holds; this module never decides access itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.audit.services import audit_record
from painwise.core.errors import DomainError
from painwise.core.fhir import FlagRecord, bundle_to_export, lab_records, scoped, snapshot_to_bundle
from painwise.core.fhir.cds import citation_for
from painwise.core.fhir.read import ImportReport
from painwise.core.snapshot import Profile
from painwise.monitoring.models import ACTIVE, Flag
from painwise.patients.access import active_grants
from painwise.patients.models import AccessGrant, Patient
from painwise.patients.snapshot import build_snapshot

ALL_SCOPES = AccessGrant.ALL_SCOPES


def flag_record(flag: Flag) -> FlagRecord:
    return FlagRecord(
        id=str(flag.id),
        rule_id=flag.rule_id,
        severity=flag.severity,
        title=flag.title,
        evidence=flag.evidence,
        consider=flag.consider,
        created_at=flag.created_at,
        rationale=str(getattr(flag, "rationale", "") or ""),
        citation=str(getattr(flag, "citation", "") or "") or citation_for(flag.rule_id),
    )


def open_flags(patient: Patient, *, recipient: Any = None) -> list[FlagRecord]:
    """Open flags about `patient`: those addressed to `recipient` (while their grant is active), or
    with no recipient given (an operator's export), one per finding whoever it was addressed to."""
    # Open or acknowledged: the finding still stands (resolved and dismissed flags are closed).
    flags = Flag.objects.filter(patient=patient, status__in=ACTIVE).order_by("created_at", "id")
    if recipient is not None:
        if not active_grants().filter(grantee=recipient, patient=patient).exists():
            return []
        return [flag_record(f) for f in flags.filter(recipient=recipient)]
    seen: set[tuple[str, str, str]] = set()
    out = []
    for flag in flags:
        key = (flag.rule_id, flag.source_type, flag.source_id)
        if key not in seen:
            seen.add(key)
            out.append(flag_record(flag))
    return out


def export_bundle(
    patient: Patient,
    *,
    actor: Any = None,
    scopes: Iterable[str] = ALL_SCOPES,
    flags: list[FlagRecord] | None = None,
    bundle_type: str = "collection",
) -> dict[str, Any]:
    """The patient's record as a FHIR Bundle, limited to `scopes`; one audit event."""
    snapshot = scoped(build_snapshot(patient.id), scopes)
    bundle = snapshot_to_bundle(
        snapshot,
        open_flags(patient) if flags is None else flags,
        bundle_type=bundle_type,
        today=timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action="export",
        patient_key=patient.audit_key,
        object_type="fhir",
        object_id=patient.id,
        detail={"scopes": sorted(scopes), "resources": len(bundle["entry"])},
    )
    return bundle


def _with_origin(exc: DomainError, report: ImportReport) -> DomainError:
    """Name the Bundle resource an importer error comes from (`pain_entries[3].nrs` -> Observation/…)."""
    field = exc.field or ""
    for path, origin in report.origins.items():
        if field == path or field.startswith(path + "."):
            return DomainError(exc.code, f"{origin}: {exc.message}", field, exc.status)
    return exc


def import_bundle(bundle: Any, *, actor: Any = None, patient: Patient | None = None) -> dict[str, Any]:
    """Import a Bundle: a new patient (patient=None) or lab Observations into `patient`.

    All-or-nothing: every kept record is validated as an API write is, and one invalid record aborts
    the import with nothing stored. Returns {"imported": {resourceType: count}, "skipped": [...]}.
    """
    now = timezone.now()
    if patient is None:
        doc, report = bundle_to_export(bundle, now=now)
        from painwise.exchange.importer import import_patient

        try:
            import_patient(doc, actor=actor)
        except DomainError as exc:
            raise _with_origin(exc, report) from exc
        return report.to_dict()
    return _import_labs(bundle, patient, actor=actor, now=now)


def _import_labs(bundle: Any, patient: Patient, *, actor: Any, now: dt.datetime) -> dict[str, Any]:
    from painwise.labs.exchange import load_results
    from painwise.labs.models import LabResult

    profile = Profile(
        str(patient.id), patient.user.username, patient.date_of_birth, patient.sex_at_birth, patient.time_zone
    )
    records, report = lab_records(bundle, profile, now=now)
    existing = set(
        str(i) for i in LabResult.objects.filter(id__in=[r["id"] for r in records]).values_list("id", flat=True)
    )
    keep = []
    for index, record in enumerate(records):
        origin = report.origins[f"lab_results[{index}]"]
        if record["id"] in existing:
            report.skipped.append({"resource": origin, "reason": "already imported (a lab result with this id exists)"})
            report.imported["Observation"] -= 1
        else:
            keep.append((origin, record))
    report.origins = {f"lab_results[{i}]": origin for i, (origin, _r) in enumerate(keep)}
    report.imported = +report.imported  # drop a count that fell to zero
    with transaction.atomic():
        try:
            load_results(patient, [record for _origin, record in keep])
        except DomainError as exc:
            raise _with_origin(exc, report) from exc
        audit_record(
            actor=actor,
            action="import",
            patient_key=patient.audit_key,
            object_type="labs",
            object_id=patient.id,
            detail={"source": "fhir", "imported": len(keep), "skipped": len(report.skipped)},
        )
    return report.to_dict()
