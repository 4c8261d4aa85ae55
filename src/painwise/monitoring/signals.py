"""Re-evaluate a patient after every write that can change a finding (on commit).

Connected in MonitoringConfig.ready for the diary kinds, the plan, conditions, labs and questionnaires,
and for a newly created patient (an import creates the patient first and its records in the same
transaction, so the evaluation after commit sees the whole record). Bulk inserts send no signals: bulk
paths evaluate explicitly or rely on `painwise monitor run`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def _record_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from painwise.monitoring.engine import evaluate_after_commit

    evaluate_after_commit(instance.patient_id)


def _patient_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        from painwise.monitoring.engine import evaluate_after_commit

        evaluate_after_commit(instance.pk)


def connect() -> None:
    from painwise.diary.specs import SPECS
    from painwise.labs.models import LabResult
    from painwise.patients.models import PainCondition, Patient
    from painwise.questionnaires.models import QuestionnaireResponse
    from painwise.treatment.models import Therapy

    models = [spec.model for spec in SPECS.values()] + [LabResult, QuestionnaireResponse, Therapy, PainCondition]
    for model in models:
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"monitoring.{model.__name__}")
    post_save.connect(_patient_saved, sender=Patient, dispatch_uid="monitoring.Patient")
