"""Submitting, scoring, storing and flagging through the services (no HTTP)."""

import datetime as dt

import pytest
from django.utils import timezone

from painwise.audit.models import AuditEvent
from painwise.core.errors import DomainError, NotFound
from painwise.core.instruments import codes, score
from painwise.monitoring.models import Flag
from painwise.monitoring.services import flag_acknowledge
from painwise.patients.services import grant_create, grant_revoke
from painwise.questionnaires.models import QuestionnaireResponse
from painwise.questionnaires.selectors import due_list
from painwise.questionnaires.serialise import stored_score
from painwise.questionnaires.services import questionnaire_submit, schedule_set
from tests.questionnaires.helpers import COWS_MILD, EXAMPLES, PHQ9_ITEM9_POSITIVE, PHQ9_NEGATIVE

pytestmark = pytest.mark.django_db


def submit(cast, code, answers, actor=None, **kwargs):
    return questionnaire_submit(
        actor=actor or cast.alice, patient=cast.alice_patient, code=code, answers=answers, **kwargs
    )


@pytest.mark.parametrize("code", codes())
def test_it_reproduces_the_stored_score_by_rescoring_the_answers(cast, code):
    actor = cast.bob if code == "cows" else cast.alice
    response = submit(cast, code, EXAMPLES[code], actor=actor)
    reloaded = QuestionnaireResponse.objects.get(id=response.id)
    assert stored_score(reloaded) == score(code, reloaded.answers).to_dict()
    assert reloaded.total is not None


def test_it_reproduces_a_peg_mean_and_an_unscorable_response(cast):
    peg = submit(cast, "peg", [6, 7, 6])
    assert stored_score(QuestionnaireResponse.objects.get(id=peg.id))["total"] == 6.33
    partial = submit(cast, "gad7", [1, None, 2, 0, 1, 2, 3])
    again = QuestionnaireResponse.objects.get(id=partial.id)
    assert again.total is None and again.answers[1] is None
    assert stored_score(again) == score("gad7", again.answers).to_dict()


def test_it_flags_item_9_for_every_granted_clinician_in_the_same_transaction(cast):
    response = submit(cast, "phq9", PHQ9_ITEM9_POSITIVE)
    flags = Flag.objects.filter(source_id=str(response.id))
    assert [f.recipient for f in flags] == [cast.bob]
    flag = flags.get()
    assert flag.rule_id == "mood.self_harm" and flag.severity == "urgent"
    assert flag.acknowledged_at is None and flag.patient == cast.alice_patient
    assert "Kroenke" in flag.evidence and "1 (Several days)" in flag.rationale
    assert response.total == 2 and response.band == "minimal"  # a low total never suppresses the flag


def test_it_raises_no_flag_when_item_9_is_zero(cast):
    submit(cast, "phq9", PHQ9_NEGATIVE)
    assert not Flag.objects.exists()


def test_it_stores_nothing_when_the_answers_are_invalid(cast):
    with pytest.raises(DomainError) as caught:
        submit(cast, "phq9", [*PHQ9_ITEM9_POSITIVE[:8], 4])
    assert caught.value.field == "answers[8]"
    assert not QuestionnaireResponse.objects.exists() and not Flag.objects.exists()


def test_it_keeps_a_pending_flag_until_a_clinician_is_granted_access(cast):
    grant_revoke(actor=cast.alice, grant=cast.grant)
    response = submit(cast, "phq9", PHQ9_ITEM9_POSITIVE)
    pending = Flag.objects.get(source_id=str(response.id))
    assert pending.recipient is None and pending.severity == "urgent"
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=cast.carol, scopes=["diary"])
    pending.refresh_from_db()
    assert pending.recipient == cast.carol and pending.acknowledged_at is None
    assert AuditEvent.objects.filter(action="flag_assign", object_id=str(pending.id)).exists()


def test_it_raises_a_high_flag_when_item_9_is_missing(cast):
    response = submit(cast, "phq9", [*PHQ9_NEGATIVE[:8], None])
    assert response.flags == ["self_harm_unanswered"] and response.total is None
    flag = Flag.objects.get(source_id=str(response.id))
    assert flag.rule_id == "mood.self_harm_unanswered" and flag.severity == "high"


def test_it_refuses_cows_from_the_patient(cast):
    with pytest.raises(DomainError) as caught:
        submit(cast, "cows", COWS_MILD)
    assert caught.value.code == "questionnaires.clinician_only" and caught.value.status == 403
    assert not QuestionnaireResponse.objects.exists()


def test_it_refuses_cows_from_a_clinician_without_data_entry(cast):
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=cast.carol, can_enter_data=False)
    with pytest.raises(DomainError):
        submit(cast, "cows", COWS_MILD, actor=cast.carol)
    response = submit(cast, "cows", COWS_MILD, actor=cast.bob)
    assert response.entered_by == cast.bob and response.entered_by_role == "clinician" and response.band == "mild"


def test_it_refuses_a_self_report_entered_by_a_clinician(cast):
    with pytest.raises(DomainError) as caught:
        submit(cast, "phq9", PHQ9_NEGATIVE, actor=cast.bob)
    assert caught.value.code == "questionnaires.self_report_only"


def test_it_accepts_back_dated_but_not_future_completion(cast):
    last_week = timezone.now() - dt.timedelta(days=7)
    response = submit(cast, "peg", [3, 3, 3], completed_at=last_week)
    assert response.completed_at == last_week and response.entered_at > last_week
    with pytest.raises(DomainError) as caught:
        submit(cast, "peg", [3, 3, 3], completed_at=timezone.now() + dt.timedelta(hours=2))
    assert caught.value.field == "completed_at"


def test_it_audits_submission_flag_raising_and_acknowledgement(cast):
    response = submit(cast, "phq9", PHQ9_ITEM9_POSITIVE)
    flag = Flag.objects.get()
    assert AuditEvent.objects.filter(action="create", object_id=str(response.id), actor_id=cast.alice.id).exists()
    raised = AuditEvent.objects.get(action="flag_raise", object_id=str(flag.id))
    assert raised.detail["rule_id"] == "mood.self_harm" and raised.patient_key == cast.alice_patient.audit_key
    flag_acknowledge(actor=cast.bob, flag=flag)
    acked = AuditEvent.objects.get(action="acknowledge", object_id=str(flag.id))
    assert acked.actor_id == cast.bob.id


def test_it_lets_only_the_recipient_acknowledge(cast):
    submit(cast, "phq9", PHQ9_ITEM9_POSITIVE)
    flag = Flag.objects.get()
    for intruder in (cast.carol, cast.alice, cast.dave):
        with pytest.raises(NotFound):
            flag_acknowledge(actor=intruder, flag=flag)
    flag.refresh_from_db()
    assert flag.acknowledged_at is None
    done = flag_acknowledge(actor=cast.bob, flag=flag)
    assert done.acknowledged_by == cast.bob and done.acknowledged_at is not None


def test_it_uses_the_clinicians_schedule_for_due_dates(cast):
    submit(cast, "peg", [3, 3, 3])
    by_code = {s.code: s for s in due_list(cast.alice_patient)}
    assert by_code["peg"].status == "not_due" and by_code["phq9"].is_due
    assert by_code["sows"].status == "on_demand" and "cows" not in by_code
    schedule_set(actor=cast.bob, patient=cast.alice_patient, code="sows", interval_days=7)
    schedule_set(actor=cast.bob, patient=cast.alice_patient, code="phq9", interval_days=None)
    by_code = {s.code: s for s in due_list(cast.alice_patient)}
    assert by_code["sows"].is_due and by_code["phq9"].status == "on_demand"


def test_it_refuses_schedules_from_patients_and_for_cows(cast):
    with pytest.raises(DomainError):
        schedule_set(actor=cast.alice, patient=cast.alice_patient, code="peg", interval_days=7)
    with pytest.raises(DomainError) as caught:
        schedule_set(actor=cast.bob, patient=cast.alice_patient, code="cows", interval_days=7)
    assert caught.value.code == "questionnaires.not_schedulable"
    with pytest.raises(DomainError) as caught:
        schedule_set(actor=cast.bob, patient=cast.alice_patient, code="peg", interval_days=0)
    assert caught.value.field == "interval_days"
