"""Plan reads, always for a patient that painwise.patients.access.patient_for() has already cleared."""

from __future__ import annotations

from painwise.core.vocabularies import SESSION_THERAPY_KINDS, TherapyKind
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
