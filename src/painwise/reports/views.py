"""Insights page (patient), and report / CSV downloads for the patient and for clinicians with the reports scope.

Access: painwise.reports.services (the reports scope for clinicians; sections by their own scopes).
Bad dates re-render the form with the message and status 400; nothing is stored.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from painwise.accounts.models import Role
from painwise.core.analytics import insights
from painwise.core.analytics.common import MODALITY_LABELS
from painwise.core.errors import DomainError
from painwise.patients.access import patient_by_user
from painwise.patients.models import Patient
from painwise.patients.snapshot import build_snapshot
from painwise.reports import services
from painwise.web.views.common import signed_in

DEFAULT_PERIOD_DAYS = 90


def _default_period(patient: Patient) -> dict[str, str]:
    with timezone.override(patient.time_zone):
        today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat(), "to": today.isoformat()}


def _download(request: HttpRequest, patient: Patient, kind: str, *, own: bool) -> HttpResponse:
    fmt = request.GET.get("format", "pdf") if kind == "report" else "zip"
    # Neither date given: the last DEFAULT_PERIOD_DAYS days (one date alone is an error).
    given = request.GET if ("from" in request.GET or "to" in request.GET) else _default_period(patient)
    try:
        start, end = services.parse_period(given.get("from"), given.get("to"))
        if kind == "report" and fmt not in services.FORMATS:
            raise DomainError("reports.unknown_format", "format must be pdf or html", "format")
    except DomainError as error:
        context = {
            "own": own,
            "patient": patient,
            "error": error,
            "period": {k: request.GET.get(k, "") for k in ("from", "to")},
        }
        return render(request, "reports/download_form.html", context, status=400)
    view = f"report.{fmt}" if kind == "report" else "csv"
    scopes = services.scopes_for(request.user, patient, view=view)
    snapshot = build_snapshot(patient.id)
    if kind == "report":
        content = services.report_content(patient, start, end, actor=request.user, scopes=scopes, snapshot=snapshot)
        data = services.render(content, fmt)
        content_type = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
        filename = f"painwise-report-{patient.user.username}-{start}-{end}.{fmt}"
    else:
        data = services.csv_zip(snapshot, start, end, scopes)
        content_type, filename = "application/zip", f"painwise-{patient.user.username}-{start}-{end}-csv.zip"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _own_patient(request: HttpRequest) -> Patient | None:
    return patient_by_user(request.user)


def _own_download(request: HttpRequest, kind: str) -> HttpResponse:
    patient = _own_patient(request)
    if patient is None:
        return render(request, "web/patient/no_record.html", status=404)
    return _download(request, patient, kind, own=True)


@require_GET
@signed_in(Role.PATIENT)
def insights_page(request: HttpRequest) -> HttpResponse:
    patient = _own_patient(request)
    if patient is None:
        return render(request, "web/patient/no_record.html", status=404)
    snapshot = build_snapshot(patient.id)
    result = insights(snapshot)
    effects = [
        {**e, "label": MODALITY_LABELS[e["modality"]]} for e in result.modalities.effects if e["outcome"] == "same_day"
    ]
    context = {
        "patient": patient,
        "r": result,
        "response": result.response.to_dict(),
        "effects": effects,
        "charts": {
            "response": mark_safe(result.response.chart("response-chart")),  # noqa: S308 - numbers and escaped text
            "peg": mark_safe(result.peg.chart("peg-chart")),  # noqa: S308
            "modalities": mark_safe(result.modalities.chart("modality-chart")),  # noqa: S308
            "dose": mark_safe(result.dose_response.chart("dose-chart")),  # noqa: S308
            "hair": mark_safe(result.hair_timeline.chart("hair-chart")),  # noqa: S308
            "shifts": mark_safe(result.change_points.chart("changepoint-chart")),  # noqa: S308
        },
        "period": _default_period(patient),
    }
    return render(request, "reports/insights.html", context)


@require_GET
@signed_in(Role.PATIENT)
def own_report(request: HttpRequest) -> HttpResponse:
    return _own_download(request, "report")


@require_GET
@signed_in(Role.PATIENT)
def own_csv(request: HttpRequest) -> HttpResponse:
    return _own_download(request, "csv")


@require_GET
@signed_in(Role.CLINICIAN)
def clinician_reports(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = services.readable_report_patient(request.user, patient_id, view="report_form")
    scopes = services.scopes_for(request.user, patient)
    context = {"patient": patient, "period": _default_period(patient), "scopes": sorted(scopes), "own": False}
    return render(request, "reports/download_form.html", context)


@require_GET
@signed_in(Role.CLINICIAN)
def clinician_report(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = services.readable_report_patient(request.user, patient_id, view="report")
    return _download(request, patient, "report", own=False)


@require_GET
@signed_in(Role.CLINICIAN)
def clinician_csv(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = services.readable_report_patient(request.user, patient_id, view="csv")
    return _download(request, patient, "csv", own=False)
