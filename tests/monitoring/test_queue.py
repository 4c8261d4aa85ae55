"""PAINWISE_EVALUATION=queue: writes ask for an evaluation in their own transaction and
`painwise monitor work` serves it (monitoring.queue). Alice's clinician Bob receives the flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from painwise.diary.services import diary_record_create
from painwise.monitoring import engine, queue
from painwise.monitoring.models import EvaluationRequest, Flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    settings.PAINWISE_EVALUATION = "queue"


def add_lab(cast, analyte="hemoglobin", value=10.5, unit="g/dL"):
    from painwise.labs.services import lab_result_create

    return lab_result_create(
        actor=cast.bob,
        patient=cast.alice_patient,
        data={"analyte": analyte, "value": value, "unit": unit, "collected_at": timezone.now() - dt.timedelta(days=2)},
    )


def add_pain(cast, hours=1):
    return diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="pain_entries",
        data={"occurred_at": timezone.now() - dt.timedelta(hours=hours), "body_site": "neck", "nrs": 4},
    )


def test_a_write_queues_a_request_instead_of_evaluating_and_the_worker_raises_the_flag(
    cast, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_lab(cast)
    assert not Flag.objects.filter(rule_id="blood.anemia").exists()  # nothing ran inside the write
    assert list(EvaluationRequest.objects.values_list("patient_id", flat=True)) == [cast.alice_patient.pk]
    stats = queue.work(once=True)
    assert stats.evaluated == 1 and stats.failed == 0
    assert Flag.objects.get(rule_id="blood.anemia").recipient == cast.bob
    assert not EvaluationRequest.objects.exists()


def test_many_writes_in_one_transaction_make_one_request(cast, queued):
    with transaction.atomic():
        for hours in (1, 2, 3):
            add_pain(cast, hours)
    assert EvaluationRequest.objects.count() == 1


def test_a_write_rolled_back_leaves_no_request(cast, queued):
    with pytest.raises(RuntimeError), transaction.atomic():
        add_pain(cast)
        raise RuntimeError("the write fails after its record was inserted")
    assert not EvaluationRequest.objects.exists()


def test_a_request_whose_savepoint_rolled_back_is_made_again_by_the_next_write(cast, queued):
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            add_pain(cast, 1)
            raise RuntimeError("inner block fails")
        add_pain(cast, 2)  # the marker went with the savepoint, so this write queues its own request
    assert EvaluationRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # separate commits, as in the server
def test_requests_of_separate_writes_are_served_by_one_evaluation(cast, queued, monkeypatch):
    add_pain(cast, 1)
    add_pain(cast, 2)
    add_lab(cast)
    assert EvaluationRequest.objects.count() == 3
    evaluated = []
    monkeypatch.setattr(engine, "evaluate_patient", lambda patient_id, **kw: evaluated.append(patient_id))
    queue.work(once=True)
    assert evaluated == [cast.alice_patient.pk] and not EvaluationRequest.objects.exists()


@pytest.mark.django_db(transaction=True)  # separate commits, as in the server
def test_a_request_made_while_the_patient_is_evaluated_stays_for_the_next_pass(cast, queued, monkeypatch):
    add_pain(cast, 1)

    def evaluate_while_a_write_commits(patient_id, **kw):
        add_pain(cast, 2)  # committed during the evaluation: it may not have been seen

    monkeypatch.setattr(engine, "evaluate_patient", evaluate_while_a_write_commits)
    assert queue.serve_one(cast.alice_patient.pk)
    assert EvaluationRequest.objects.count() == 1


def test_a_failed_evaluation_keeps_its_request_and_the_worker_goes_on(cast, queued, monkeypatch, caplog):
    add_pain(cast)
    monkeypatch.setattr(engine, "evaluate_patient", lambda *a, **kw: (_ for _ in ()).throw(RuntimeError("boom")))
    stats = queue.work(once=True)
    assert stats.failed == 1 and EvaluationRequest.objects.count() == 1
    assert "monitoring evaluation failed" in caplog.text


def test_a_request_waits_for_the_delay_so_a_burst_coalesces(cast, queued):
    add_pain(cast)
    assert queue._due_patients(delay=60, batch=10) == []
    assert queue._due_patients(delay=0, batch=10) == [cast.alice_patient.pk]


def test_inline_mode_queues_nothing(cast, settings, django_capture_on_commit_callbacks):
    settings.PAINWISE_EVALUATION = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        add_lab(cast)
    assert not EvaluationRequest.objects.exists()
    assert Flag.objects.filter(rule_id="blood.anemia").exists()


def test_an_erased_patient_takes_its_requests_along(cast, queued):
    add_pain(cast)
    cast.alice_patient.delete()
    assert not EvaluationRequest.objects.exists()


def test_the_worker_command_serves_the_queue_and_reports(cast, queued, capsys):
    from typer.testing import CliRunner

    from painwise.cli import app

    add_lab(cast)
    result = CliRunner().invoke(app, ["monitor", "work", "--once", "--json"])
    assert result.exit_code == 0, result.output
    assert '"evaluated": 1' in result.output and '"waiting": 0' in result.output
    assert Flag.objects.filter(rule_id="blood.anemia").exists()


def test_a_failing_patient_waits_before_its_retry_and_others_are_still_served(cast, queued, monkeypatch):
    add_pain(cast)
    tries = []

    def fail(patient_id, **kw):
        tries.append(patient_id)
        raise RuntimeError("broken record")

    monkeypatch.setattr(engine, "evaluate_patient", fail)
    monkeypatch.setattr(queue.time, "sleep", lambda seconds: None)
    passes = iter(range(5))
    stats = queue.work(delay=0, retry_after=60, should_stop=lambda: next(passes, None) is None)
    assert len(tries) == 1 and stats.failed == 1  # not once per pass: it waits for its retry time
    assert EvaluationRequest.objects.count() == 1


def test_a_stop_request_is_honoured_between_patients(cast, queued, monkeypatch):
    add_pain(cast)
    EvaluationRequest.objects.create(patient=cast.dave_patient, requested_at=timezone.now())
    evaluated = []
    monkeypatch.setattr(engine, "evaluate_patient", lambda patient_id, **kw: evaluated.append(patient_id))
    stats = queue.work(delay=0, should_stop=lambda: len(evaluated) == 1)
    assert stats.evaluated == 1 and EvaluationRequest.objects.count() == 1


def test_a_failing_patient_with_many_requests_does_not_crowd_out_the_others(cast, queued, monkeypatch):
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    EvaluationRequest.objects.bulk_create(
        [EvaluationRequest(patient=cast.alice_patient, requested_at=long_ago) for _ in range(30)]
    )
    EvaluationRequest.objects.create(patient=cast.dave_patient, requested_at=timezone.now())
    evaluated = []

    def fail_for_alice(patient_id, **kw):
        if patient_id == cast.alice_patient.pk:
            raise RuntimeError("broken record")
        evaluated.append(patient_id)

    monkeypatch.setattr(engine, "evaluate_patient", fail_for_alice)
    monkeypatch.setattr(queue.time, "sleep", lambda seconds: None)
    passes = iter(range(4))
    queue.work(delay=0, batch=1, should_stop=lambda: next(passes, None) is None)
    assert evaluated == [cast.dave_patient.pk]
    assert EvaluationRequest.objects.filter(patient=cast.alice_patient).count() == 30
