"""Re-evaluation off the request path: a durable, per-patient queue served by `painwise monitor work`.

With PAINWISE_EVALUATION=queue a write does not evaluate its patient inside the request; it inserts an
EvaluationRequest row in its own transaction (so the request commits or rolls back with the write, and
survives a crash), and a worker evaluates the patient shortly after. The worker serves all of a
patient's waiting requests with one evaluation, so a burst of diary entries costs one evaluation instead
of one each, and no write waits for one (docs/operations.md has the throughput measured).

Urgent safety events do not wait for this: a positive PHQ-9 item 9 is flagged by the questionnaire
service in the write's own transaction (questionnaires.services), whatever the mode.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db import close_old_connections, connection, transaction
from django.db.models import Min
from django.utils import timezone

from painwise.monitoring.models import EvaluationRequest
from painwise.patients.models import Patient

log = logging.getLogger(__name__)


class _Queued:
    """The on-commit marker of a request inserted in the current transaction.

    Django drops on-commit callbacks with the (save)point they were registered in, so the marker is
    present exactly while the insert it stands for is; a second write to the same patient in the same
    transaction finds it and skips its own (an import of thousands of records makes one request)."""

    def __init__(self, patient_id: str) -> None:
        self.patient_id = patient_id

    def __call__(self) -> None:
        """Nothing to do at commit: the row is the request."""


def request_evaluation(patient_id: uuid.UUID | str) -> None:
    """Ask for the patient to be evaluated once the current transaction commits."""
    key = str(patient_id)
    pending = connection.run_on_commit if connection.in_atomic_block else []
    if any(isinstance(entry[1], _Queued) and entry[1].patient_id == key for entry in pending):
        return
    EvaluationRequest.objects.create(patient_id=uuid.UUID(key), requested_at=timezone.now())
    transaction.on_commit(_Queued(key))


def queue_depth() -> tuple[int, dt.datetime | None]:
    """How many patients wait for an evaluation, and since when the oldest request has waited."""
    rows = EvaluationRequest.objects.all()
    oldest = rows.order_by("requested_at").values_list("requested_at", flat=True).first()
    return rows.values("patient_id").distinct().count(), oldest


@dataclass
class WorkStats:
    evaluated: int = 0
    failed: int = 0


def _due_patients(delay: float, batch: int, backing_off: Collection[uuid.UUID] = ()) -> list[uuid.UUID]:
    """Patients with a request at least `delay` seconds old, oldest request first (waiting a little lets
    a burst of writes coalesce into one evaluation), leaving out those waiting for a retry: grouped in the
    database, so one patient's thousands of rows cannot crowd the others out of a batch."""
    cutoff = timezone.now() - dt.timedelta(seconds=delay)
    rows = (
        EvaluationRequest.objects.filter(requested_at__lte=cutoff)
        .exclude(patient_id__in=list(backing_off))
        .values("patient_id")
        .annotate(first=Min("requested_at"))
        .order_by("first")
    )
    return [row["patient_id"] for row in rows[:batch]]


def serve_one(patient_id: uuid.UUID) -> bool:
    """Evaluate one patient and delete the requests it answered: those committed before the evaluation
    began, which it therefore saw. A request committed meanwhile stays and is served next time."""
    from painwise.monitoring.engine import evaluate_patient

    answered = list(EvaluationRequest.objects.filter(patient_id=patient_id).values_list("id", flat=True))
    try:
        evaluate_patient(patient_id)
    except Patient.DoesNotExist:
        pass  # erased meanwhile; its requests went with it (on delete cascade)
    except Exception:  # one patient's failure must not stop the worker; the requests stay for a retry
        log.exception("monitoring evaluation failed for patient %s", patient_id)
        return False
    EvaluationRequest.objects.filter(id__in=answered).delete()
    return True


def work(
    *,
    once: bool = False,
    poll: float = 0.5,
    delay: float = 1.0,
    batch: int = 50,
    retry_after: float = 60.0,
    should_stop: Callable[[], bool] = lambda: False,
) -> WorkStats:
    """Serve requests until `should_stop()` (checked between patients) or, with `once`, until none is due
    or one failed. A patient whose evaluation failed is tried again after `retry_after` seconds, so one
    broken record neither spins the worker nor floods the log."""
    stats = WorkStats()
    retry_at: dict[uuid.UUID, float] = {}
    while not should_stop():
        if not connection.in_atomic_block:  # (tests run inside one) a long-lived worker drops stale connections
            close_old_connections()
        now = time.monotonic()
        due = _due_patients(0 if once else delay, batch, [p for p, at in retry_at.items() if at > now])
        for patient_id in due:
            if should_stop():
                return stats
            if serve_one(patient_id):
                stats.evaluated += 1
                retry_at.pop(patient_id, None)
            else:
                stats.failed += 1
                retry_at[patient_id] = time.monotonic() + retry_after
        if once and (not due or stats.failed):
            break
        if len(due) < batch:
            time.sleep(poll)
    return stats


def parent_gone(parent_pid: int) -> Callable[[], bool]:
    """A stop test for a worker started by the web server: stop when the server has gone."""
    return lambda: os.getppid() != parent_pid
