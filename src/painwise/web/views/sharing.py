"""Patients share (codes, grants, revoke); clinicians add a patient by redeeming a code."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from painwise.core.errors import DomainError, NotFound
from painwise.patients.access import patient_by_user
from painwise.patients.models import Patient
from painwise.patients.sharing import (
    CODE_VALID_FOR,
    grant_revoke_by_patient,
    grants_of_patient,
    invitation_create,
    invitation_redeem,
)
from painwise.web.account_forms import SCOPE_LABELS, RedeemForm, ShareForm, show_domain_error
from painwise.web.views.common import signed_in


def _own_patient(request: HttpRequest) -> Patient:
    patient = patient_by_user(request.user)
    if patient is None:
        raise NotFound("patient")
    return patient


def _page(request: HttpRequest, patient: Patient, form: ShareForm, **extra: Any) -> dict[str, Any]:
    grants = grants_of_patient(actor=request.user, patient=patient)
    for grant in grants:
        grant.scope_labels = [SCOPE_LABELS.get(s, s) for s in grant.scopes]  # type: ignore[attr-defined]
    return {"form": form, "grants": grants, "code_valid_days": CODE_VALID_FOR.days, **extra}


@signed_in("patient")
def sharing(request: HttpRequest) -> HttpResponse:
    patient = _own_patient(request)
    return render(request, "web/account/sharing.html", _page(request, patient, ShareForm()))


@require_POST
@signed_in("patient")
def share_create(request: HttpRequest) -> HttpResponse:
    patient = _own_patient(request)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            invitation, code = invitation_create(
                actor=request.user,
                patient=patient,
                scopes=form.cleaned_data["scopes"],
                can_comment=form.cleaned_data["access"] == "comment",
                can_enter_data=form.cleaned_data["can_enter_data"],
                grant_expires_at=form.grant_expires_at(patient.time_zone),
            )
        except DomainError as exc:
            show_domain_error(form, exc, {"expires_at": "expires_on"})
        else:
            # Rendered, not redirected: the code exists in clear only in this response.
            context = _page(request, patient, ShareForm(), code=code, invitation=invitation)
            return render(request, "web/account/sharing.html", context, status=201)
    return render(request, "web/account/sharing.html", _page(request, patient, form), status=422)


@require_POST
@signed_in("patient")
def grant_revoke(request: HttpRequest, grant_id: uuid.UUID) -> HttpResponse:
    grant = grant_revoke_by_patient(actor=request.user, grant_id=grant_id)
    messages.success(request, f"{grant.grantee.username} no longer has access to your data.")
    return redirect("web:sharing")


@signed_in("clinician")
def redeem(request: HttpRequest) -> HttpResponse:
    form = RedeemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = invitation_redeem(actor=request.user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, f"{grant.patient.user.username} shared their data with you.")
            return redirect("web:home")
    return render(request, "web/account/redeem.html", {"form": form}, status=422 if form.errors else 200)
