"""The patient's own profile, conditions and plan pages. Every change goes through a service (one
transaction, one audit event); these views only parse forms and pick the page to show.

The plan pages record what the patient already uses. Their wording invites nobody to start or
increase anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.patients import selectors as patient_reads
from painwise.patients.models import Patient
from painwise.patients.services import condition_create, condition_delete, condition_update, patient_profile_update
from painwise.questionnaires.config import crisis_for
from painwise.treatment import selectors as plan_reads
from painwise.treatment.services import therapy_create, therapy_delete, therapy_update
from painwise.web import selectors
from painwise.web.record_forms import (
    KIND_LABELS,
    ConditionForm,
    PlanItemForm,
    ProfileForm,
    StopForm,
    show_domain_error,
    site_label,
)
from painwise.web.views.common import signed_in

HAS_RECORDS_MESSAGE = (
    "“{name}” has diary records that refer to it, so it cannot be deleted: deleting is for items entered "
    "in error. If you no longer use it, set a stop date instead; the item and its records stay in your diary."
)


def _own(request: HttpRequest) -> Patient:
    return selectors.own_patient(request.user)


def _submit(
    request: HttpRequest, form: forms.Form, save: Callable[[], object], done: Callable[[], str], to: str
) -> HttpResponse | None:
    """Validate, save through the service, then say `done()` and go to `to`. None means the form now holds
    its errors (its own or the service's refusal) and the caller shows it again. `save` and `done` are
    called only once the form is valid, so they may read `form.cleaned_data`."""
    if not form.is_valid():
        return None
    try:
        save()
    except DomainError as exc:
        show_domain_error(form, exc)
        return None
    messages.success(request, done())
    return redirect(to)


# --- profile and conditions --------------------------------------------------------------------


def _profile_page(request: HttpRequest, patient: Patient, form: ProfileForm, status: int = 200) -> HttpResponse:
    conditions = patient_reads.conditions_of(patient)
    for condition in conditions:
        condition.site_labels = [site_label(s) for s in condition.body_sites]  # type: ignore[attr-defined]
    context = {
        "patient": patient,
        "form": form,
        "conditions": conditions,
        "crisis": crisis_for(patient.country, patient.time_zone),
    }
    return render(request, "web/me/profile.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in(Role.PATIENT)
def profile(request: HttpRequest) -> HttpResponse:
    patient = _own(request)
    with timezone.override(patient.time_zone):
        if request.method != "POST":
            initial = {
                "country": patient.country,
                "time_zone": patient.time_zone,
                "show_kratom_tab": patient.show_kratom_tab,
            }
            return _profile_page(request, patient, ProfileForm(initial=initial))
        form = ProfileForm(request.POST)
        saved = _submit(
            request,
            form,
            lambda: patient_profile_update(actor=request.user, patient=patient, changes=dict(form.cleaned_data)),
            lambda: "Saved your settings.",
            "web:profile",
        )
        return saved or _profile_page(request, patient, form, status=422)


def _condition_page(
    request: HttpRequest, form: ConditionForm, *, condition: Any = None, status: int = 200
) -> HttpResponse:
    return render(request, "web/me/condition_form.html", {"form": form, "condition": condition}, status=status)


@require_http_methods(["GET", "POST"])
@signed_in(Role.PATIENT)
def condition_new(request: HttpRequest) -> HttpResponse:
    patient = _own(request)
    with timezone.override(patient.time_zone):
        if request.method != "POST":
            return _condition_page(request, ConditionForm())
        form = ConditionForm(request.POST)
        saved = _submit(
            request,
            form,
            lambda: condition_create(actor=request.user, patient=patient, data=dict(form.cleaned_data)),
            lambda: f"Added “{form.cleaned_data['label']}”.",
            "web:profile",
        )
        return saved or _condition_page(request, form, status=422)


@require_http_methods(["GET", "POST"])
@signed_in(Role.PATIENT)
def condition_edit(request: HttpRequest, condition_id: uuid.UUID) -> HttpResponse:
    patient = _own(request)
    condition = patient_reads.condition_of(patient, condition_id)
    with timezone.override(patient.time_zone):
        if request.method != "POST":
            initial = {name: getattr(condition, name) for name in ConditionForm.base_fields}
            return _condition_page(request, ConditionForm(initial=initial), condition=condition)
        form = ConditionForm(request.POST)
        saved = _submit(
            request,
            form,
            lambda: condition_update(
                actor=request.user, patient=patient, condition_id=condition.id, changes=dict(form.cleaned_data)
            ),
            lambda: f"{'Ended' if form.cleaned_data.get('end_date') else 'Saved'} “{form.cleaned_data['label']}”.",
            "web:profile",
        )
        return saved or _condition_page(request, form, condition=condition, status=422)


@require_POST
@signed_in(Role.PATIENT)
def condition_remove(request: HttpRequest, condition_id: uuid.UUID) -> HttpResponse:
    patient = _own(request)
    condition_delete(actor=request.user, patient=patient, condition_id=condition_id)
    messages.success(request, "Deleted the condition entered in error.")
    return redirect("web:profile")


# --- plan --------------------------------------------------------------------------------------


def _plan_page(request: HttpRequest, patient: Patient, **extra: Any) -> HttpResponse:
    rows = plan_reads.plan_rows(patient)
    context = {
        "patient": patient,
        "current": [r for r in rows if r.therapy.stop_date is None],
        "stopped": [r for r in rows if r.therapy.stop_date is not None],
        "kinds": KIND_LABELS.items(),
        "today": timezone.localdate(),
        **extra,
    }
    return render(request, "web/me/plan.html", context)


@signed_in(Role.PATIENT)
def plan(request: HttpRequest) -> HttpResponse:
    patient = _own(request)
    with timezone.override(patient.time_zone):
        return _plan_page(request, patient)


def _item_page(request: HttpRequest, form: PlanItemForm, *, item: Any = None, status: int = 200) -> HttpResponse:
    context = {"form": form, "item": item, "kind_label": KIND_LABELS[form.kind], "kind": form.kind}
    return render(request, "web/me/plan_item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in(Role.PATIENT)
def plan_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KIND_LABELS:
        raise Http404("No such kind of plan item.")
    patient = _own(request)
    with timezone.override(patient.time_zone):
        if request.method != "POST":
            return _item_page(request, PlanItemForm(kind=kind))
        form = PlanItemForm(request.POST, kind=kind)
        saved = _submit(
            request,
            form,
            lambda: therapy_create(actor=request.user, patient=patient, data=form.data_for_service()),
            lambda: f"Added “{form.cleaned_data['name']}” to your plan.",
            "web:plan",
        )
        return saved or _item_page(request, form, status=422)


@require_http_methods(["GET", "POST"])
@signed_in(Role.PATIENT)
def plan_edit(request: HttpRequest, therapy_id: uuid.UUID) -> HttpResponse:
    patient = _own(request)
    item = plan_reads.plan_item(patient, therapy_id)
    with timezone.override(patient.time_zone):
        if request.method != "POST":
            form = PlanItemForm(kind=item.kind, editing=True)
            form.initial = {name: getattr(item, name) for name in form.fields}
            return _item_page(request, form, item=item)
        form = PlanItemForm(request.POST, kind=item.kind, editing=True)
        saved = _submit(
            request,
            form,
            lambda: therapy_update(
                actor=request.user, patient=patient, therapy_id=item.id, changes=form.data_for_service(partial=True)
            ),
            lambda: f"Saved “{form.cleaned_data['name']}”.",
            "web:plan",
        )
        return saved or _item_page(request, form, item=item, status=422)


@require_POST
@signed_in(Role.PATIENT)
def plan_stop(request: HttpRequest, therapy_id: uuid.UUID) -> HttpResponse:
    patient = _own(request)
    item = plan_reads.plan_item(patient, therapy_id)
    with timezone.override(patient.time_zone):
        form = StopForm(request.POST)
        stopped = _submit(
            request,
            form,
            lambda: therapy_update(
                actor=request.user,
                patient=patient,
                therapy_id=item.id,
                changes={"stop_date": form.cleaned_data["stop_date"]},
            ),
            lambda: f"Recorded that you stopped “{item.name}”.",
            "web:plan",
        )
        if stopped:
            return stopped
        errors = " ".join(str(e) for e in form.errors.get("stop_date", form.non_field_errors()))
        messages.error(request, f"Could not stop “{item.name}”: {errors or 'give the stop date.'}")
        return redirect("web:plan")


@require_POST
@signed_in(Role.PATIENT)
def plan_delete(request: HttpRequest, therapy_id: uuid.UUID) -> HttpResponse:
    patient = _own(request)
    item = plan_reads.plan_item(patient, therapy_id)
    row = next((r for r in plan_reads.plan_rows(patient) if r.therapy.id == item.id), None)
    if row is not None and row.has_records:
        # Also refused by the service (409 plan.has_records); said here in the patient's words.
        messages.error(request, HAS_RECORDS_MESSAGE.format(name=item.name))
        return redirect(f"{reverse('web:plan')}#item-{item.id}")
    try:
        therapy_delete(actor=request.user, patient=patient, therapy_id=item.id)
    except DomainError as exc:
        if exc.code != "plan.has_records":
            raise
        messages.error(request, HAS_RECORDS_MESSAGE.format(name=item.name))
        return redirect(f"{reverse('web:plan')}#item-{item.id}")
    messages.success(request, f"Deleted “{item.name}” (entered in error).")
    return redirect("web:plan")
