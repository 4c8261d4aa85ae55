"""The policy table in patients/access.py, read as a story: who may read and who may write each scope.
Written from docs/security.md ("One access policy"), not derived from the code."""

import pytest

from tests.personas import make_user

pytestmark = pytest.mark.django_db

R, W = "read", "write"
SCOPES = (
    "diary", "plan", "labs", "questionnaires", "questionnaires.clinician_rated", "flags", "reports", "research",
)  # fmt: skip

# What alice may do with her own record.
OWNER = {
    "diary": {R, W}, "plan": {R, W}, "labs": {R, W}, "questionnaires": {R, W},
    "questionnaires.clinician_rated": {R}, "flags": set(), "reports": {R}, "research": set(),
}  # fmt: skip
# bob: every grant scope, with data entry.
FULL_GRANT_WITH_ENTRY = {
    "diary": {R}, "plan": {R, W}, "labs": {R, W}, "questionnaires": {R},
    "questionnaires.clinician_rated": {R, W}, "flags": {R, W}, "reports": {R}, "research": set(),
}  # fmt: skip
NOTHING = {scope: set() for scope in SCOPES}


def allowed(user, patient):
    from painwise.patients.access import may

    return {scope: {m for m in (R, W) if may(user, patient, scope, write=m == W)} for scope in SCOPES}


def test_the_table_has_exactly_the_documented_scopes():
    from painwise.patients.access import POLICY

    assert tuple(POLICY) == SCOPES


def test_a_patient_reads_and_writes_her_own_record_but_not_clinician_rated_instruments(cast):
    assert allowed(cast.alice, cast.alice_patient) == OWNER
    assert allowed(cast.dave, cast.alice_patient) == NOTHING  # another patient


def test_a_clinician_gets_what_the_grant_says(cast):
    assert allowed(cast.bob, cast.alice_patient) == FULL_GRANT_WITH_ENTRY
    assert allowed(cast.carol, cast.alice_patient) == NOTHING  # no grant


def test_without_data_entry_a_clinician_only_reads(cast):
    from painwise.patients.services import grant_create

    reader = make_user("reader", "clinician")
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=reader, scopes=["plan", "questionnaires"])
    expected = NOTHING | {"plan": {R}, "questionnaires": {R}, "questionnaires.clinician_rated": {R}, "flags": {R, W}}
    assert allowed(reader, cast.alice_patient) == expected


def test_researchers_and_admins_read_no_patient_record(cast):
    assert allowed(cast.rita, cast.alice_patient) == NOTHING
    assert allowed(cast.adam, cast.alice_patient) == NOTHING


def test_a_revoked_grant_gives_nothing_at_once(cast):
    from painwise.patients.services import grant_revoke

    grant_revoke(actor=cast.alice, grant=cast.grant)
    assert allowed(cast.bob, cast.alice_patient) == NOTHING


def test_patient_for_audits_reads_by_others_and_only_those(cast):
    from painwise.audit.models import AuditEvent
    from painwise.patients.access import patient_for

    patient_for(cast.alice, cast.alice_patient.id, "labs")
    patient_for(cast.bob, cast.alice_patient.id, "plan", write=True)
    assert not AuditEvent.objects.filter(action="read").exists()
    patient_for(cast.bob, cast.alice_patient.id, "labs", view="test")
    read = AuditEvent.objects.get(action="read")
    assert (read.actor_id, read.object_type, read.detail) == (cast.bob.id, "labs", {"view": "test"})
