"""Writes of the research app: consent decisions and researcher runs (each audited)."""

from __future__ import annotations

import shutil
from typing import Any

from django.db import transaction

from painwise.audit.services import audit_record
from painwise.core.errors import DomainError, NotFound
from painwise.core.research.analyses import ANALYSIS_NAMES, run_analysis
from painwise.core.research.cohort import load_cohort, read_saved_cohort, save_cohort
from painwise.patients.models import Patient
from painwise.research.consent import CONSENT_TEXT, CONSENT_VERSION
from painwise.research.exports import CohortFilters, research_dir, research_export_create
from painwise.research.models import Decision, ResearchConsent, ResearchRun, RunStatus

STEPS = ("export", *ANALYSIS_NAMES)
PAGE_BOOTSTRAP = 200
COHORT_CACHE = ".cohort"  # the loaded cohort, kept beside the export between steps (never downloaded)


@transaction.atomic
def research_consent_set(*, actor: Any, patient: Patient, decision: str, version: str) -> ResearchConsent:
    """Record a patient's decision about research use, with the text and version they were shown."""
    if actor is None or patient.user_id != getattr(actor, "id", None):
        raise NotFound("patient")  # only the patient decides
    if decision not in Decision.values:
        raise DomainError("research.bad_decision", "decision must be opt_in or opt_out", "decision")
    if version != CONSENT_VERSION:
        raise DomainError(
            "research.stale_consent",
            "The consent text has changed since this page was opened; read the current text and decide again.",
            "version",
        )
    consent = ResearchConsent.objects.create(
        patient=patient, decision=decision, version=CONSENT_VERSION, text=CONSENT_TEXT
    )
    audit_record(
        actor=actor,
        action="research_consent",
        patient_key=patient.audit_key,
        object_type="research_consent",
        object_id=consent.id,
        detail={"decision": decision, "version": CONSENT_VERSION},
    )
    return consent


@transaction.atomic
def research_run_create(*, actor: Any, filters: CohortFilters) -> ResearchRun:
    run = ResearchRun.objects.create(researcher=actor, filters=filters.as_dict())
    audit_record(
        actor=actor, action="create", patient_key=None, object_type="research_run", object_id=run.id,
        detail={"filters": filters.as_dict()},
    )  # fmt: skip
    return run


def run_directory(run: ResearchRun) -> Any:
    return research_dir() / str(run.id)


def research_run_step(*, actor: Any, run_id: Any) -> ResearchRun:
    """Do the run's next step — build the export, or one analysis — and save the outcome.

    The row is locked for the step, so two overlapping requests cannot run the same step twice."""
    with transaction.atomic():
        run = ResearchRun.objects.select_for_update().filter(id=run_id, researcher=actor).first()
        if run is None:
            raise NotFound("run")
        if run.status in (RunStatus.DONE, RunStatus.FAILED):
            return run
        step = STEPS[run.steps_done]
        folder = run_directory(run)
        run.status = RunStatus.RUNNING
        if step == "export":
            _export_step(run, actor, folder)
        else:
            _analysis_step(run, step, folder)
        run.steps_done += 1
        if run.steps_done >= len(STEPS) and run.status == RunStatus.RUNNING:
            run.status = RunStatus.DONE
        run.save()
        return run


def _export_step(run: ResearchRun, actor: Any, folder: Any) -> None:
    filters = CohortFilters.parse(
        sex=run.filters.get("sex"), age_bands=run.filters.get("age_bands", []),
        kratom_only=run.filters.get("kratom_only", False),
    )  # fmt: skip
    if folder.exists():
        shutil.rmtree(folder)
    try:
        manifest = research_export_create(actor=actor, out_dir=folder, filters=filters)
    except DomainError as exc:
        run.status, run.error = RunStatus.FAILED, exc.message
        shutil.rmtree(folder, ignore_errors=True)
        return
    run.patients = manifest["patients"]
    run.results = {"export": {k: manifest[k] for k in ("export_id", "patients", "consent_versions", "tables")}}
    save_cohort(load_cohort(folder), folder / COHORT_CACHE)


def _analysis_step(run: ResearchRun, step: str, folder: Any) -> None:
    cohort = read_saved_cohort(folder / COHORT_CACHE, folder)
    try:
        result = run_analysis(step, cohort, n_bootstrap=PAGE_BOOTSTRAP)
    except DomainError as exc:
        run.results = {**run.results, step: exc.as_dict()}
        return
    run.results = {**run.results, step: {**result.to_dict(), "chart_svg": result.chart()}}
