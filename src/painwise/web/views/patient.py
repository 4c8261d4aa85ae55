"""The patient's own pages: dashboard, quick entry (HTMX or plain POST), chart and timeline fragments.

Every HTMX endpoint also answers a plain request (by redirecting to the full page), so the site
works with JavaScript off.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from painwise.accounts.models import Role
from painwise.core import trends
from painwise.core.errors import DomainError
from painwise.diary.services import diary_record_create, diary_record_create_once
from painwise.patients.models import Patient
from painwise.reminders.models import Reminder
from painwise.treatment.models import Therapy
from painwise.web import charts, selectors
from painwise.web.forms import ENTRY_KINDS, DoseForm, EntryForm, EntryKind, SessionForm
from painwise.web.record_forms import show_domain_error
from painwise.web.views.common import signed_in, window_param

WINDOW_CHOICES = (("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("all", "All"))


def _kind(slug: str) -> EntryKind:
    if slug not in ENTRY_KINDS:
        raise Http404("No such entry type.")
    return ENTRY_KINDS[slug]


def _form(kind: EntryKind, therapies: tuple[Therapy, ...], data: Any = None) -> EntryForm:
    if kind.form is DoseForm:
        return DoseForm(data, products=selectors.kratom_products(therapies))
    if kind.form is SessionForm:
        return SessionForm(data, therapies=selectors.session_therapies(therapies))
    return kind.form(data)


def entry_context(
    kind: EntryKind, form: EntryForm, therapies: tuple[Therapy, ...], window: str, patient: Patient | None = None
) -> dict[str, Any]:
    # Patients who use no kratom may hide its tab (profile setting); the page still answers if asked.
    hide_kratom = patient is not None and not patient.show_kratom_tab
    return {
        "entry_kinds": [k for k in ENTRY_KINDS.values() if not (hide_kratom and k.slug == "dose")],
        "entry": kind,
        "form": form,
        "has_products": bool(selectors.kratom_products(therapies)),
        "window": window,
    }


def chart_context(series: trends.TrendSeries, window: str, chart_url: str) -> dict[str, Any]:
    summary = charts.summary_text(series)
    return {
        "series": series,
        "chart": charts.pain_chart(series, summary=summary),
        "chart_summary": summary,
        "window": window,
        "windows": WINDOW_CHOICES,
        "chart_url": chart_url,
    }


def _page(board: selectors.Dashboard, kind: EntryKind, form: EntryForm, **extra: Any) -> dict[str, Any]:
    return {
        "board": board,
        "patient": board.patient,
        "page": board.timeline,
        "timeline_url": reverse("web:timeline"),
        **chart_context(board.series, board.window, reverse("web:chart")),
        **entry_context(kind, form, board.therapies, board.window, board.patient),
        **extra,
    }


def _own_or_none(request: HttpRequest) -> Patient | None:
    try:
        return selectors.own_patient(request.user)
    except DomainError:
        return None


def dashboard(request: HttpRequest) -> HttpResponse:
    """Patient home (reached through views.home, which has already checked sign-in and role)."""
    patient = _own_or_none(request)
    if patient is None:
        return render(request, "web/patient/no_record.html")
    kind = ENTRY_KINDS.get(request.GET.get("entry", "pain"), ENTRY_KINDS["pain"])
    # Local days and times on the page are the patient's own (DESIGN.md: a diary day is the local day).
    with timezone.override(patient.time_zone):
        board = selectors.dashboard(patient, window_param(request), cursor=request.GET.get("cursor"))
        unread = Reminder.objects.filter(patient=patient, read_at__isnull=True).count()
        context = _page(board, kind, _form(kind, board.therapies), unread_reminders=unread)
        return render(request, "web/patient/dashboard.html", context)


@require_POST
@signed_in(Role.PATIENT)
def entry_create(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    patient = selectors.own_patient(request.user)
    window = request.POST.get("window") or trends.DEFAULT_WINDOW
    window = window if window in trends.WINDOWS else trends.DEFAULT_WINDOW
    if request.headers.get("X-Painwise-Sync") == "1":
        return _sync_entry(request, kind, patient)
    with timezone.override(patient.time_zone):
        therapies = selectors.plan(patient)
        form = _form(kind, therapies, request.POST)
        saved = False
        if form.is_valid():
            try:
                diary_record_create(
                    actor=request.user, patient=patient, kind=kind.record_kind, data=form.data_for_service()
                )
                saved = True
            except DomainError as exc:
                # The service names the field it rejected; the message goes next to that field, in
                # the words of the field's label (the API keeps the field name).
                show_domain_error(form, exc)
        if not saved:
            if request.htmx:  # type: ignore[attr-defined]
                context = entry_context(kind, form, therapies, window, patient)
                return render(request, "web/partials/quick_entry.html", context, status=422)
            board = selectors.dashboard(patient, window)
            return render(request, "web/patient/dashboard.html", _page(board, kind, form), status=422)
        message = f"Saved your {kind.label.lower()} entry."
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, message)
            return redirect(f"{reverse('web:home')}?entry={kind.slug}&window={window}")
        # HTMX: a fresh form in place; the timeline and the chart are swapped out-of-band.
        board = selectors.dashboard(patient, window)
        context = _page(board, kind, _form(kind, board.therapies), saved=message)
        return render(request, "web/partials/entry_saved.html", context)


def _sync_entry(request: HttpRequest, kind: EntryKind, patient: Patient) -> JsonResponse:
    """An entry recorded offline, replayed by the page's sync queue (static/web/offline.js).

    `client_id` is the id the device gave the entry: a retried sync finds it already stored and
    answers "duplicate"; the same id with other values is a "conflict" (409), kept on the device and
    shown to the patient, never overwritten. The answer is JSON for the queue, not a page.
    """
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return JsonResponse(
            {"status": "invalid", "errors": {"client_id": ["a client id (UUID) is required"]}}, status=422
        )
    with timezone.override(patient.time_zone):
        form = _form(kind, selectors.plan(patient), request.POST)
        if form.is_valid():
            try:
                _, created = diary_record_create_once(
                    actor=request.user,
                    patient=patient,
                    kind=kind.record_kind,
                    data=form.data_for_service(),
                    record_id=client_id,
                )
            except DomainError as exc:
                if exc.status == 409:
                    return JsonResponse({"status": "conflict", "message": exc.message}, status=409)
                show_domain_error(form, exc)
            else:
                return JsonResponse({"status": "saved" if created else "duplicate"}, status=201 if created else 200)
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"status": "invalid", "errors": errors}, status=422)


@require_GET
@signed_in(Role.PATIENT)
def entry_form(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    window = window_param(request)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(f"{reverse('web:home')}?entry={kind.slug}&window={window}#quick-entry")
    patient = selectors.own_patient(request.user)
    therapies = selectors.plan(patient)
    with timezone.override(patient.time_zone):
        context = entry_context(kind, _form(kind, therapies), therapies, window, patient)
        return render(request, "web/partials/quick_entry.html", context)


@require_GET
@signed_in(Role.PATIENT)
def chart(request: HttpRequest) -> HttpResponse:
    window = window_param(request)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(f"{reverse('web:home')}?window={window}")
    patient = selectors.own_patient(request.user)
    series = selectors.trend_series(patient, window)
    return render(request, "web/partials/chart.html", chart_context(series, window, reverse("web:chart")))


@require_GET
@signed_in(Role.PATIENT)
def timeline(request: HttpRequest) -> HttpResponse:
    cursor = request.GET.get("cursor") or ""
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(f"{reverse('web:home')}?{urlencode({'cursor': cursor})}#timeline")
    patient = selectors.own_patient(request.user)
    with timezone.override(patient.time_zone):
        context = {"page": selectors.timeline(patient, cursor), "timeline_url": reverse("web:timeline")}
        return render(request, "web/partials/timeline_items.html", context)
