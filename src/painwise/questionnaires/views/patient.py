"""Patient pages: what is due, one form per instrument, the result (with crisis resources), history."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from painwise.accounts.models import Role
from painwise.core.countries import COUNTRIES
from painwise.core.errors import DomainError
from painwise.core.instruments import Instrument, get
from painwise.patients.access import patient_by_user, visible_patients
from painwise.patients.models import Patient
from painwise.questionnaires.config import crisis_for, require_all_items
from painwise.questionnaires.due import describe_interval
from painwise.questionnaires.forms import InstrumentForm
from painwise.questionnaires.models import QuestionnaireResponse
from painwise.questionnaires.selectors import clinician_notified, due_list, response_for
from painwise.questionnaires.serialise import published_total
from painwise.questionnaires.services import questionnaire_submit
from painwise.questionnaires.views.common import history_context, signed_in


def _own_patient(request: HttpRequest) -> Patient:
    patient = patient_by_user(request.user)
    if patient is None:
        raise Http404("No patient record for this account.")
    return patient


def _self_report(code: str) -> Instrument:
    try:
        instrument = get(code)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if instrument.clinician_only:
        # COWS is rated by a clinician; a patient never gets a form for it (docs/questionnaires.md).
        raise Http404(f"{instrument.name} is completed by your clinician.")
    return instrument


@signed_in(Role.PATIENT, Role.CLINICIAN)
def index(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) == Role.CLINICIAN:
        patients = visible_patients(request.user).select_related("user").order_by("user__username")
        return render(request, "questionnaires/clinician_index.html", {"patients": patients})
    patient = _own_patient(request)
    statuses = due_list(patient)
    rows: list[dict[str, Any]] = [
        {"status": status, "instrument": get(status.code), "how_often": describe_interval(status.interval_days)}
        for status in statuses
    ]
    rows.sort(key=lambda row: (not row["status"].is_due, row["status"].status == "on_demand"))
    return render(request, "questionnaires/index.html", {"rows": rows})


def _result_page(request: HttpRequest, response: QuestionnaireResponse) -> HttpResponse:
    self_harm = "self_harm" in response.flags
    context: dict[str, Any] = {
        "response": response,
        "instrument": get(response.code),
        "total": published_total(response.code, response.total),
        "self_harm": self_harm,
    }
    if self_harm:
        # The patient's own country (profile), else the deployment default; the note names the country.
        crisis = crisis_for(response.patient.country, response.patient.time_zone)
        context["crisis_resources"] = crisis.resources
        context["crisis_note"] = crisis.note
        context["clinician_notified"] = clinician_notified(response)
    return render(request, "questionnaires/result.html", context)


@signed_in(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the form. POST: score and store, then show the result in the same response (no redirect), so a
    positive item 9 puts crisis resources on screen at once. The hidden submission_id becomes the response
    id: a second POST of the same form (refresh, back button) shows the first result instead of storing twice.
    """
    patient = _own_patient(request)
    instrument = _self_report(code)
    if request.method == "GET":
        form = InstrumentForm(instrument, initial={"submission_id": uuid.uuid4()}, require_all=require_all_items())
        return render(request, "questionnaires/fill.html", {"form": form, "instrument": instrument})
    form = InstrumentForm(instrument, request.POST, require_all=require_all_items())
    if not form.is_valid():
        return render(request, "questionnaires/fill.html", {"form": form, "instrument": instrument}, status=422)
    submission_id = form.cleaned_data["submission_id"]
    existing = QuestionnaireResponse.objects.filter(id=submission_id).first()
    if existing is not None and existing.patient_id == patient.id:
        return _result_page(request, existing)
    if existing is not None:
        submission_id = uuid.uuid4()  # a forged id of someone else's response: store as a new one
    try:
        response = questionnaire_submit(
            actor=request.user, patient=patient, code=instrument.code, answers=form.answers(), response_id=submission_id
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "questionnaires/fill.html", {"form": form, "instrument": instrument}, status=422)
    return _result_page(request, response)


@signed_in(Role.PATIENT)
def result(request: HttpRequest, response_id: uuid.UUID) -> HttpResponse:
    return _result_page(request, response_for(_own_patient(request), response_id))


@signed_in(Role.PATIENT)
def history(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _self_report(code)
    return render(request, "questionnaires/history.html", history_context(_own_patient(request), instrument.code))


def crisis(request: HttpRequest) -> HttpResponse:
    """Open to anyone, signed in or not: help must never sit behind a login. A signed-in patient sees
    their profile's country; anyone may pick another country (?country=GB); the note names it."""
    patient = patient_by_user(request.user) if request.user.is_authenticated else None
    chosen = request.GET.get("country", "").strip().upper()
    country = patient.country if patient else ""
    if chosen in COUNTRIES:
        crisis = crisis_for(chosen)
        if not (patient and patient.country == chosen):
            crisis = replace(crisis, note=crisis.note.replace(" (the country in your profile)", ""))
    else:
        crisis = crisis_for(country, patient.time_zone if patient else "")
    context = {
        "crisis_resources": crisis.resources,
        "crisis_note": crisis.note,
        "countries": sorted(COUNTRIES.items(), key=lambda item: item[1]),
        "country": crisis.country,
    }
    return render(request, "questionnaires/crisis.html", context)
