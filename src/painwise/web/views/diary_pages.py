"""The patient's whole record as one timeline (filterable by kind), and editing or deleting their own
diary entries. Writes go through painwise.diary.services (validated, audited; deletion is soft)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.diary.history import KINDS, history
from painwise.diary.services import diary_record_delete, diary_record_update, live_record
from painwise.diary.specs import SPECS
from painwise.patients.models import Patient
from painwise.web import selectors
from painwise.web.forms import ENTRY_KINDS, DoseForm, EntryForm, EntryKind, SessionForm
from painwise.web.record_forms import show_domain_error
from painwise.web.views.common import signed_in

BY_RECORD_KIND: dict[str, EntryKind] = {k.record_kind: k for k in ENTRY_KINDS.values()}


@require_GET
@signed_in(Role.PATIENT)
def diary(request: HttpRequest) -> HttpResponse:
    patient = selectors.own_patient(request.user)
    chosen = request.GET.getlist("kind")
    with timezone.override(patient.time_zone):
        page = history(patient, chosen, cursor=request.GET.get("cursor"))
        filtered = set(page.kinds) != set(KINDS)
        more_url = None
        if page.next_cursor:
            query = [("kind", k) for k in page.kinds] if filtered else []
            more_url = "?" + urlencode([*query, ("cursor", page.next_cursor)])
        context = {
            "page": page,
            "kinds": [(key, source.label, key in page.kinds and filtered) for key, source in KINDS.items()],
            "filtered": filtered,
            "more_url": more_url,
            "here": request.get_full_path(),
            "patient": patient,
        }
        return render(request, "web/diary/history.html", context)


def _entry_kind(kind: str) -> EntryKind:
    if kind not in BY_RECORD_KIND:
        raise Http404("No such kind of entry.")
    return BY_RECORD_KIND[kind]


def _edit_form(entry: EntryKind, patient: Patient, record: Any, data: Any = None) -> EntryForm:
    therapies = selectors.plan(patient)
    if entry.form is DoseForm:
        products = list(selectors.kratom_products(therapies))
        if record.product_id not in {p.id for p in products}:
            products.append(record.product)  # a stopped product still labels its own old doses
        return DoseForm(data, products=products)
    if entry.form is SessionForm:
        return SessionForm(data, therapies=selectors.session_therapies(therapies))
    return entry.form(data)


def _initial(form: EntryForm, record: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for name in form.fields:
        value = getattr(record, name, None)
        if name in ("product_id", "therapy_id"):
            value = str(value) if value else ""
        elif name == "occurred_at":
            value = timezone.localtime(value)
        initial[name] = value
    return initial


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only our own diary page: never an open redirect.
    return target if target.startswith(reverse("web:diary")) else reverse("web:diary")


@require_http_methods(["GET", "POST"])
@signed_in(Role.PATIENT)
def diary_edit(request: HttpRequest, kind: str, record_id: uuid.UUID) -> HttpResponse:
    entry = _entry_kind(kind)
    patient = selectors.own_patient(request.user)
    record = live_record(patient, kind, record_id, for_update=False)
    with timezone.override(patient.time_zone):
        if request.method != "POST":
            form = _edit_form(entry, patient, record)
            form.initial = _initial(form, record)
            return _edit_page(request, entry, form, record)
        form = _edit_form(entry, patient, record, request.POST)
        if form.is_valid():
            try:
                diary_record_update(
                    actor=request.user,
                    patient=patient,
                    kind=kind,
                    record_id=record.pk,
                    changes=form.changes_for_service(),
                )
            except DomainError as exc:
                show_domain_error(form, exc)
            else:
                messages.success(request, f"Saved your changes to the {SPECS[kind].label}.")
                return redirect(_back(request))
        return _edit_page(request, entry, form, record, status=422)


def _edit_page(request: HttpRequest, entry: EntryKind, form: EntryForm, record: Any, status: int = 200) -> HttpResponse:
    context = {
        "entry": entry,
        "form": form,
        "record": record,
        "kind": entry.record_kind,
        "label": SPECS[entry.record_kind].label,
        "next": _back(request),
    }
    return render(request, "web/diary/edit.html", context, status=status)


@require_POST
@signed_in(Role.PATIENT)
def diary_delete(request: HttpRequest, kind: str, record_id: uuid.UUID) -> HttpResponse:
    _entry_kind(kind)
    patient = selectors.own_patient(request.user)
    diary_record_delete(actor=request.user, patient=patient, kind=kind, record_id=record_id)
    messages.success(request, f"Deleted the {SPECS[kind].label}.")
    return redirect(_back(request))
