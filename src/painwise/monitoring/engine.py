"""Evaluate patients' records with the rules engine and turn findings into flags.

The app (after every relevant write: on commit, or queued for `painwise monitor work`), `painwise
monitor run` (all patients) and `painwise evaluate` (a file) run the same ``painwise.core.rules.evaluate``
on the same PatientSnapshot.
Each patient is evaluated in its own transaction holding a lock on the patient's row (PostgreSQL), so
overlapping runs and request-time evaluations of one patient take turns; the unique constraint on
active flags is the backstop (monitoring.services.flags_raise).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
import uuid
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from painwise.core.rules import REGISTRY, RulesConfig, evaluate
from painwise.monitoring.config import rules_config
from painwise.monitoring.services import clinicians_for, flags_clear, flags_raise
from painwise.patients.models import Patient
from painwise.patients.snapshot import build_snapshot

log = logging.getLogger(__name__)


def local_today(patient: Patient) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(patient.time_zone)).date()


@transaction.atomic
def evaluate_patient(
    patient_id: uuid.UUID | str, *, as_of: dt.date | None = None, config: RulesConfig | None = None
) -> dict[str, int]:
    """Evaluate one patient as of ``as_of`` (default: their local today) and raise, keep or clear flags.
    Idempotent: a second run with nothing new changes nothing."""
    # NO KEY UPDATE: evaluations of one patient take turns, but inserts of its records (which take KEY
    # SHARE on the patient row for their foreign key) are not blocked while it runs.
    patient = Patient.objects.select_for_update(no_key=True, of=("self",)).select_related("user").get(pk=patient_id)
    snapshot = build_snapshot(patient.pk)
    findings = evaluate(snapshot, as_of or local_today(patient), config or rules_config())
    recipients = clinicians_for(patient) or [None]
    raised = kept = 0
    for finding in findings:
        created = flags_raise(actor=None, patient=patient, finding=finding, recipients=recipients)
        raised += len(created)
        kept += len(recipients) - len(created)
    cleared = flags_clear(patient=patient, found={(f.rule, f.subject) for f in findings}, rules=REGISTRY)
    return {"findings": len(findings), "raised": raised, "kept": kept, "cleared": cleared}


def monitor_all(*, as_of: dt.date | None = None, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Evaluate every patient (one transaction each, so the app keeps serving in between)."""
    ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    config = rules_config()
    totals: dict[str, Any] = {"patients": 0, "findings": 0, "raised": 0, "kept": 0, "cleared": 0}
    for done, patient_id in enumerate(ids, start=1):
        try:
            counts = evaluate_patient(patient_id, as_of=as_of, config=config)
        except Patient.DoesNotExist:
            continue  # erased while the run was going
        totals["patients"] += 1
        for key, value in counts.items():
            totals[key] += value
        if progress is not None:
            progress(done, len(ids))
    totals["as_of"] = as_of.isoformat() if as_of else "each patient's local today"
    return totals


_tickets = itertools.count()
_thread = threading.local()


class _Evaluation:
    """One queued re-evaluation of a patient, run once the transaction commits.

    Every write queues one, but after a commit only the first runs: an evaluation that began after
    this one was queued (in this thread, so after this transaction committed, or inside it) has
    already seen these writes. An import of thousands of records thus costs one evaluation."""

    def __init__(self, patient_id: str) -> None:
        self.patient_id = patient_id
        self.ticket = next(_tickets)

    def __call__(self) -> None:
        began: dict[str, int] = _thread.__dict__.setdefault("began", {})
        if began.get(self.patient_id, -1) > self.ticket:
            return
        began[self.patient_id] = next(_tickets)
        try:
            evaluate_patient(self.patient_id)
        except Patient.DoesNotExist:
            pass
        except Exception:  # the write is saved; a failed evaluation is logged and retried by the batch job
            log.exception("monitoring evaluation failed for patient %s", self.patient_id)


def evaluate_after_commit(patient_id: uuid.UUID | str) -> None:
    """Re-evaluate a patient once the current transaction commits (a relevant write happened): inside
    the request, or, with PAINWISE_EVALUATION=queue, by `painwise monitor work` (monitoring.queue)."""
    if settings.PAINWISE_EVALUATION == "queue":
        from painwise.monitoring.queue import request_evaluation

        request_evaluation(patient_id)
        return
    transaction.on_commit(_Evaluation(str(patient_id)))
