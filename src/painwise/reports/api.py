"""/api/v1/patients/{id}/report and /csv: the visit report (PDF or HTML) and the CSV export (a zip).

The same rules as the web downloads (docs/reports.md): the patient gets everything; a clinician needs
an active grant with the `reports` scope (else 404), and sees only the sections (CSV files) whose data
scopes the grant also holds. Access goes through painwise.reports.services (patient_for for `reports`,
allows for each data scope), which audits the read; nothing is audited here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from painwise.api_common import ERRORS, IsoDate, caller
from painwise.core.errors import DomainError
from painwise.patients.models import Patient
from painwise.patients.snapshot import build_snapshot
from painwise.reports import services

PREFIX = "/patients"  # mounted at /api/v1/patients by painwise.api

router = Router(tags=["reports"])

DEFAULT_PERIOD_DAYS = 90
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)  # as the exposure windows (docs/api.md)


class PeriodQuery(Schema):
    date_from: IsoDate | None = Field(
        None, alias="from", description="first day, inclusive (with `to`; neither: the last 90 days)"
    )
    date_to: IsoDate | None = Field(
        None, alias="to", description="last day, inclusive (with `from`); both between 1900-01-01 and 2200-12-31"
    )


class ReportQuery(PeriodQuery):
    format: Literal["pdf", "html"] = Field("pdf", description="pdf (default) or html")


def _given_period(query: PeriodQuery) -> tuple[dt.date, dt.date] | None:
    """The period asked for (checked before any record is read), or None for the default."""
    if query.date_from is None and query.date_to is None:
        return None
    if query.date_from is None or query.date_to is None:
        name = "from" if query.date_from is None else "to"
        raise DomainError("reports.missing_date", f"{name} is required with the other date (YYYY-MM-DD)", name)
    for name, day in (("from", query.date_from), ("to", query.date_to)):
        if not EARLIEST <= day <= LATEST:
            raise DomainError("reports.out_of_range", f"{name} must lie between {EARLIEST} and {LATEST}", name)
    return services.parse_period(query.date_from.isoformat(), query.date_to.isoformat())


def _period(patient: Patient, given: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date]:
    if given is not None:
        return given
    with timezone.override(patient.time_zone):
        today = timezone.localdate()
    return today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def _binary(content_type: str, description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


REPORT_DOC = _binary("application/pdf", "the report (PDF; with format=html, text/html)")
REPORT_DOC["responses"][200]["content"]["text/html"] = {"schema": {"type": "string"}}
CSV_DOC = _binary("application/zip", "a zip of CSV files, one per record type the caller may read")


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/{patient_id}/report",
    response={200: None, **ERRORS},
    url_name="patient_report",
    operation_id="patient_report",
    summary="Visit report (PDF or HTML)",
    openapi_extra=REPORT_DOC,
)
def patient_report(request: HttpRequest, patient_id: str, query: Query[ReportQuery]) -> HttpResponse:
    """The visit report for the period: the patient's own, or a clinician's with the `reports` scope
    (sections limited to the grant's data scopes; those left out are named "not shared")."""
    user, given = caller(request), _given_period(query)
    patient = services.readable_report_patient(user, patient_id, view=f"report.{query.format}")
    start, end = _period(patient, given)
    scopes = services.scopes_for(user, patient, view=f"report.{query.format}")
    content = services.report_content(
        patient, start, end, actor=user, scopes=scopes, snapshot=build_snapshot(patient.id)
    )
    data = services.render(content, query.format)
    content_type = "application/pdf" if query.format == "pdf" else "text/html; charset=utf-8"
    return _attachment(data, content_type, f"painwise-report-{patient.id}-{start}-{end}.{query.format}")


@router.get(
    "/{patient_id}/csv",
    response={200: None, **ERRORS},
    url_name="patient_csv",
    operation_id="patient_csv",
    summary="CSV export (zip)",
    openapi_extra=CSV_DOC,
)
def patient_csv(request: HttpRequest, patient_id: str, query: Query[PeriodQuery]) -> HttpResponse:
    """The records of the period as CSV files in a zip, by the same rules as the report (file by file)."""
    user, given = caller(request), _given_period(query)
    patient = services.readable_report_patient(user, patient_id, view="csv")
    start, end = _period(patient, given)
    scopes = services.scopes_for(user, patient, view="csv")
    data = services.csv_zip(build_snapshot(patient.id), start, end, scopes)
    return _attachment(data, "application/zip", f"painwise-{patient.id}-{start}-{end}-csv.zip")
