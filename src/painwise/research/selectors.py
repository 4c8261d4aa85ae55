"""Reads of the research app, scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from painwise.core.errors import NotFound
from painwise.core.research.tables import SMALL_CELL
from painwise.patients.models import Patient
from painwise.research.exports import consenting_patients
from painwise.research.models import ResearchConsent, ResearchRun


def own_patient(user: Any) -> Patient:
    patient = Patient.objects.filter(user=user).first()
    if patient is None:
        raise NotFound("patient")
    return patient


def current_consent(patient: Patient) -> ResearchConsent | None:
    return ResearchConsent.objects.filter(patient=patient).order_by("-decided_at", "-id").first()


def consent_history(patient: Patient) -> QuerySet[ResearchConsent]:
    return ResearchConsent.objects.filter(patient=patient).order_by("-decided_at", "-id")


def consenting_count_label() -> str:
    """How many patients consent, as a researcher may see it: small counts are suppressed."""
    n = consenting_patients().count()
    return f"fewer than {SMALL_CELL}" if 0 < n < SMALL_CELL else str(n)


def runs_of(researcher: Any) -> QuerySet[ResearchRun]:
    return ResearchRun.objects.filter(researcher=researcher)


def run_of(researcher: Any, run_id: Any) -> ResearchRun:
    run = ResearchRun.objects.filter(researcher=researcher, id=run_id).first()
    if run is None:
        raise NotFound("run")
    return run
