"""Clinician pages: patients who shared with them, and one patient's chart, timeline and plan (read-only).

Access always goes through painwise.patients.access (via the selectors), which audits each read and
answers NotFound, shown as 404, for patients who have not shared.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from painwise.accounts.models import Role
from painwise.patients.access import may
from painwise.treatment.exposure import exposure_summary
from painwise.web import charts, selectors
from painwise.web.views.common import signed_in, window_param
from painwise.web.views.patient import chart_context


def home(request: HttpRequest) -> HttpResponse:
    """Clinician home (reached through views.home, which has already checked sign-in and role)."""
    rows = [
        (
            s,
            charts.sparkline(s.sparkline, label=f"Pain trend, last {selectors.SPARKLINE_DAYS} days")
            if s.sparkline
            else None,
        )
        for s in selectors.clinician_overview(request.user)
    ]
    return render(request, "web/clinician/home.html", {"rows": rows, "spark_days": selectors.SPARKLINE_DAYS})


@require_GET
@signed_in(Role.CLINICIAN)
def patient_detail(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.readable_patient(request.user, patient_id)
    with timezone.override(patient.time_zone):
        board = selectors.dashboard(patient, window_param(request), cursor=request.GET.get("cursor"), with_plan=False)
        context = {
            "patient": patient,
            "board": board,
            "page": board.timeline,
            "plan": (plan := selectors.readable_plan(request.user, patient)),
            # Only with the plan scope: exposure is derived from the plan's products and doses.
            "exposure": exposure_summary(patient) if plan is not None else None,
            "timeline_url": reverse("web:patient_timeline", args=[patient.id]),
            "may_report": may(request.user, patient, "reports"),
            **chart_context(board.series, board.window, reverse("web:patient_chart", args=[patient.id])),
        }
        return render(request, "web/clinician/patient.html", context)


@require_GET
@signed_in(Role.CLINICIAN)
def patient_chart(request: HttpRequest, patient_id: str) -> HttpResponse:
    window = window_param(request)
    patient = selectors.readable_patient(request.user, patient_id)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(f"{reverse('web:patient_detail', args=[patient.id])}?window={window}")
    series = selectors.trend_series(patient, window)
    url = reverse("web:patient_chart", args=[patient.id])
    return render(request, "web/partials/chart.html", {**chart_context(series, window, url), "patient_view": True})


@require_GET
@signed_in(Role.CLINICIAN)
def patient_timeline(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = selectors.readable_patient(request.user, patient_id)
    with timezone.override(patient.time_zone):
        context = {
            "page": selectors.timeline(patient, request.GET.get("cursor")),
            "cursor": request.GET.get("cursor") or "",
            "patient_view": True,
            "timeline_url": reverse("web:patient_timeline", args=[patient.id]),
        }
        return render(request, "web/partials/timeline_items.html", context)
