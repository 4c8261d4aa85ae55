"""Who may see or change a patient's records: the one policy table, and the one function that applies it.

Selectors, services, pages, API routes and CLI commands ask here; nothing else decides, and nothing else
writes the audit event for a read. Unauthorised access is reported as "not found" so that ids cannot be
probed.

The table (POLICY) says, for each scope, who may read and who may write:

- diary: read by the patient and a clinician whose grant has `diary`; written by the patient.
- plan, labs: read by the patient and a clinician with the scope; written by the patient and a
  clinician with the scope and data entry.
- questionnaires: read by the patient and a clinician with `questionnaires`; self-reports are
  written by the patient only.
- questionnaires.clinician_rated (COWS, schedules): read as questionnaires; written only by a
  clinician with `questionnaires` and data entry.
- flags: read (and acknowledged) by a clinician with any active grant from the patient: flags are
  addressed to the clinicians the patient shares with.
- reports: read by the patient and a clinician with `reports`; nobody writes (reports are generated).
- research: nobody, per patient: researchers see de-identified research data only.

Admins read no clinical data (they hold no grants); researchers never hold grants. Grants hold scopes
from `AccessGrant.ALL_SCOPES`; `flags` is not a grant scope (any active grant carries it, as a flag
is raised for every clinician the patient shares with), and `questionnaires.clinician_rated` is
granted by the `questionnaires` scope. A page or route that shows data of several scopes asks for
each scope it shows (`patient_for` for the first, `allows` for the others, audited alike).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from painwise.accounts.models import Role
from painwise.audit.services import audit_record
from painwise.core.errors import NotFound
from painwise.patients.models import AccessGrant, Patient

# Who, in the policy table.
PATIENT = "patient"  # the patient whose record it is
CLINICIAN = "clinician"  # a clinician whose active grant holds the rule's grant scope
DATA_ENTRY = "clinician_data_entry"  # ... and whose grant allows data entry
ANY_GRANT = "clinician_any_grant"  # a clinician with any active grant from the patient


@dataclass(frozen=True)
class Rule:
    read: frozenset[str]
    write: frozenset[str]
    grant_scope: str | None  # the AccessGrant scope the clinician rules need (None: no grant scope)


def _rule(read: Iterable[str], write: Iterable[str], grant_scope: str | None) -> Rule:
    return Rule(frozenset(read), frozenset(write), grant_scope)


POLICY: dict[str, Rule] = {
    "diary": _rule({PATIENT, CLINICIAN}, {PATIENT}, "diary"),
    "plan": _rule({PATIENT, CLINICIAN}, {PATIENT, DATA_ENTRY}, "plan"),
    "labs": _rule({PATIENT, CLINICIAN}, {PATIENT, DATA_ENTRY}, "labs"),
    "questionnaires": _rule({PATIENT, CLINICIAN}, {PATIENT}, "questionnaires"),
    "questionnaires.clinician_rated": _rule({PATIENT, CLINICIAN}, {DATA_ENTRY}, "questionnaires"),
    "flags": _rule({ANY_GRANT}, {ANY_GRANT}, None),
    "reports": _rule({PATIENT, CLINICIAN}, set(), "reports"),
    "research": _rule(set(), set(), None),
}
SCOPES = tuple(POLICY)
CLINICIAN_RATED = "questionnaires.clinician_rated"


def active_grants() -> QuerySet[AccessGrant]:
    now = timezone.now()
    return AccessGrant.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def visible_patients(user: Any) -> QuerySet[Patient]:
    """Patients whose records `user` may read at all (any scope)."""
    if not _signed_in(user):
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user)
    if user.role != Role.CLINICIAN:
        return Patient.objects.none()
    granted = active_grants().filter(grantee=user).values("patient_id")
    return Patient.objects.filter(id__in=granted)


def grant_for(user: Any, patient: Patient) -> AccessGrant | None:
    return active_grants().filter(grantee=user, patient=patient).order_by("-created_at").first()


def _allowed(who: frozenset[str], rule: Rule, user: Any, patient: Patient, grant: AccessGrant | None) -> bool:
    if patient.user_id == user.id:
        return PATIENT in who
    if user.role != Role.CLINICIAN or grant is None:
        return False
    if ANY_GRANT in who:
        return True
    if rule.grant_scope is None or rule.grant_scope not in grant.scopes:
        return False
    return CLINICIAN in who or (DATA_ENTRY in who and grant.can_enter_data)


def may(user: Any, patient: Patient, scope: str, *, write: bool = False) -> bool:
    """What the policy table says about `user` and `patient` in `scope` (no audit: use for links/buttons)."""
    rule = POLICY[scope]
    if not _signed_in(user):
        return False
    grant = None if patient.user_id == user.id else grant_for(user, patient)
    return _allowed(rule.write if write else rule.read, rule, user, patient, grant)


def _audit_read(user: Any, patient: Patient, scope: str, view: str | None) -> None:
    if patient.user_id != user.id:
        detail: dict[str, object] | None = {"view": view} if view else None
        audit_record(
            actor=user, action="read", patient_key=patient.audit_key, object_type=scope, object_id=patient.id,
            detail=detail,
        )  # fmt: skip


_CHECKED = "_painwise_checked_access"


def remember_checked(user: Any, patient: Patient, scope: str, *, write: bool) -> None:
    """Note on this request's user object that `may` allowed it (the API's auth class checks before the
    body is read); `patient_for` in the same request then reuses the answer instead of asking again."""
    setattr(user, _CHECKED, (patient, scope, write))


def _checked_earlier(user: Any, key: uuid.UUID, scope: str, write: bool) -> Patient | None:
    checked = getattr(user, _CHECKED, None)
    if checked is not None and checked[0].pk == key and checked[1:] == (scope, write):
        return checked[0]  # type: ignore[no-any-return]
    return None


def patient_for(
    user: Any, patient_id: uuid.UUID | str, scope: str, *, write: bool = False, view: str | None = None
) -> Patient:
    """The patient `user` may access in `scope`, or NotFound. Reads by others are audited here, and only
    here (`view` names the page or listing in the audit detail)."""
    try:
        key = uuid.UUID(str(patient_id))
    except ValueError as exc:
        raise NotFound("patient") from exc
    patient = _checked_earlier(user, key, scope, write)
    if patient is None:
        patient = Patient.objects.select_related("user").filter(id=key).first()
        if patient is None or not may(user, patient, scope, write=write):
            raise NotFound("patient")
    if not write:
        _audit_read(user, patient, scope, view)
    return patient


def allows(user: Any, patient: Patient, scope: str, *, view: str | None = None) -> bool:
    """For a page showing another scope's data next to its main one (an overlay, a panel): whether
    `user` may read `scope` too; the read is audited when it is allowed."""
    if not may(user, patient, scope):
        return False
    _audit_read(user, patient, scope, view)
    return True


def readable_among(user: Any, patients: Iterable[Patient], scope: str, *, view: str) -> list[Patient]:
    """For listings (the clinician overview, the flag list): those of `patients` whose `scope` the user
    may read, each read audited with `view`. One grant query whatever the number of patients."""
    patients = list(patients)
    if not _signed_in(user) or not patients:
        return []
    rule = POLICY[scope]
    grants: dict[uuid.UUID, AccessGrant] = {}
    for grant in active_grants().filter(grantee=user, patient__in=patients).order_by("created_at"):
        grants[grant.patient_id] = grant  # the newest wins, as in grant_for()
    readable = [p for p in patients if _allowed(rule.read, rule, user, p, grants.get(p.id))]
    for patient in readable:
        _audit_read(user, patient, scope, view)
    return readable


def patient_by_user(user: Any) -> Patient | None:
    return Patient.objects.filter(user=user).first() if getattr(user, "is_authenticated", False) else None
