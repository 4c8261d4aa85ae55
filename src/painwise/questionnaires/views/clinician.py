"""Clinician pages: a patient's questionnaires and schedules, their history, and COWS entry."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.core.instruments import get
from painwise.patients.access import CLINICIAN_RATED, may, patient_for
from painwise.questionnaires.due import describe_interval
from painwise.questionnaires.forms import INTERVAL_CHOICES, ClinicianRatingForm, ScheduleForm
from painwise.questionnaires.models import QuestionnaireResponse
from painwise.questionnaires.selectors import due_list, responses_for
from painwise.questionnaires.serialise import published_total
from painwise.questionnaires.services import questionnaire_submit, schedule_set
from painwise.questionnaires.views.common import history_context, signed_in

SCOPE = "questionnaires"
COWS = "cows"


@signed_in(Role.CLINICIAN)
def patient_overview(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id, SCOPE)  # audits the read
    latest: dict[str, QuestionnaireResponse] = {}
    for response in responses_for(patient)[:500]:
        latest.setdefault(response.code, response)
    rows = []
    for status in due_list(patient):
        last = latest.get(status.code)
        rows.append(
            {
                "instrument": get(status.code),
                "status": status,
                "how_often": describe_interval(status.interval_days),
                "latest": last,
                "latest_total": published_total(last.code, last.total) if last else None,
                "interval_value": "" if status.interval_days is None else str(status.interval_days),
            }
        )
    cows = latest.get(COWS)
    context: dict[str, Any] = {
        "patient": patient,
        "rows": rows,
        "can_enter": may(request.user, patient, CLINICIAN_RATED, write=True),
        "interval_choices": INTERVAL_CHOICES,
        "cows": get(COWS),
        "cows_latest": cows,
        "cows_total": published_total(COWS, cows.total) if cows else None,
    }
    return render(request, "questionnaires/clinician_patient.html", context)


@signed_in(Role.CLINICIAN)
def patient_history(request: HttpRequest, patient_id: uuid.UUID, code: str) -> HttpResponse:
    patient = patient_for(request.user, patient_id, SCOPE)
    try:
        context = history_context(patient, code, request.GET.get("page", 1))
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return render(request, "questionnaires/history.html", context | {"clinician_view": True})


@signed_in(Role.CLINICIAN)
@require_POST
def schedule(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = patient_for(request.user, patient_id, CLINICIAN_RATED, write=True)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how often from the list.")
    else:
        try:
            schedule_set(
                actor=request.user,
                patient=patient,
                code=form.cleaned_data["code"],
                interval_days=form.cleaned_data["interval_days"],
            )
            name = get(form.cleaned_data["code"]).name
            messages.success(request, f"{name}: {describe_interval(form.cleaned_data['interval_days'])}.")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("questionnaires:clinician_patient", patient_id=patient.id)


@signed_in(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def cows_enter(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """COWS for a patient who granted this clinician the questionnaires scope with data entry."""
    patient = patient_for(request.user, patient_id, CLINICIAN_RATED, write=True)
    instrument = get(COWS)
    if request.method == "GET":
        form = ClinicianRatingForm(instrument, initial={"submission_id": uuid.uuid4()}, time_zone=patient.time_zone)
        return render(request, "questionnaires/cows.html", {"form": form, "instrument": instrument, "patient": patient})
    form = ClinicianRatingForm(instrument, request.POST, time_zone=patient.time_zone)
    if form.is_valid():
        submission_id = form.cleaned_data["submission_id"]
        if QuestionnaireResponse.objects.filter(id=submission_id).exists():
            return redirect("questionnaires:clinician_history", patient_id=patient.id, code=COWS)
        try:
            response = questionnaire_submit(
                actor=request.user,
                patient=patient,
                code=COWS,
                answers=form.answers(),
                completed_at=form.completed_at(),
                response_id=submission_id,
            )
        except DomainError as exc:
            form.add_error("assessed_at" if exc.field == "completed_at" else None, exc.message)
        else:
            total = published_total(COWS, response.total)
            messages.success(request, f"COWS saved: {total} ({response.band}).")
            return redirect("questionnaires:clinician_history", patient_id=patient.id, code=COWS)
    context = {"form": form, "instrument": instrument, "patient": patient}
    return render(request, "questionnaires/cows.html", context, status=422)
