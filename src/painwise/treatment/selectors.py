"""Reads of the treatment plan, for the patient's own plan page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from painwise.core.errors import NotFound
from painwise.diary.models import DoseEvent, TherapySession
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy


@dataclass(frozen=True)
class PlanRow:
    therapy: Therapy
    has_records: bool  # live dose events or sessions point at it: stop it rather than delete it
    entered_by_other: str  # username of a clinician who entered it, "" when the patient did


def plan_rows(patient: Patient) -> list[PlanRow]:
    """The patient's live plan items, current first, in one query."""
    doses = DoseEvent.objects.filter(product=OuterRef("pk"), deleted_at__isnull=True)
    sessions = TherapySession.objects.filter(therapy=OuterRef("pk"), deleted_at__isnull=True)
    therapies = (
        Therapy.objects.filter(patient=patient, deleted_at__isnull=True)
        .select_related("entered_by")
        .annotate(has_doses=Exists(doses), has_sessions=Exists(sessions))
        .order_by("stop_date", "kind", "name")
    )
    rows = []
    for therapy in therapies:
        other = therapy.entered_by if therapy.entered_by_id and therapy.entered_by_id != patient.user_id else None
        rows.append(
            PlanRow(
                therapy=therapy,
                has_records=bool(therapy.has_doses or therapy.has_sessions),  # type: ignore[attr-defined]
                entered_by_other=other.username if other else "",
            )
        )
    rows.sort(key=lambda r: (r.therapy.stop_date is not None, r.therapy.kind, r.therapy.name.lower()))
    return rows


def plan_item(patient: Patient, therapy_id: uuid.UUID) -> Therapy:
    therapy = Therapy.objects.filter(patient=patient, id=therapy_id, deleted_at__isnull=True).first()
    if therapy is None:
        raise NotFound("plan item")
    return therapy
