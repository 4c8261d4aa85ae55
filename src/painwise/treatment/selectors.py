"""Plan reads, always for a patient that painwise.patients.access.patient_for() has already cleared."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from painwise.core.errors import NotFound
from painwise.core.vocabularies import SESSION_THERAPY_KINDS, TherapyKind
from painwise.diary.models import DoseEvent, TherapySession
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy


def plan_items(patient: Patient) -> tuple[Therapy, ...]:
    return tuple(
        Therapy.objects.live()
        .filter(patient=patient)
        .select_related("entered_by")
        .order_by("kind", "start_date", "name")
    )


def kratom_products(therapies: tuple[Therapy, ...]) -> tuple[Therapy, ...]:
    """Products a dose can be recorded against: the plan's kratom items not yet stopped."""
    return tuple(t for t in therapies if t.kind == TherapyKind.KRATOM and t.stop_date is None)


def session_therapies(therapies: tuple[Therapy, ...]) -> tuple[Therapy, ...]:
    return tuple(t for t in therapies if t.kind in SESSION_THERAPY_KINDS)


@dataclass(frozen=True)
class PlanRow:
    therapy: Therapy
    has_records: bool  # live dose events or sessions point at it: stop it rather than delete it
    entered_by_other: str  # username of a clinician who entered it, "" when the patient did


def plan_rows(patient: Patient) -> list[PlanRow]:
    """The patient's live plan items for their plan page, current first, in one query."""
    doses = DoseEvent.objects.live().filter(product=OuterRef("pk"))
    sessions = TherapySession.objects.live().filter(therapy=OuterRef("pk"))
    therapies = (
        Therapy.objects.live()
        .filter(patient=patient)
        .select_related("entered_by")
        .annotate(has_doses=Exists(doses), has_sessions=Exists(sessions))
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
    therapy = Therapy.objects.live().filter(patient=patient, id=therapy_id).first()
    if therapy is None:
        raise NotFound("plan item")
    return therapy
