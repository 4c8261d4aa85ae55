"""GET /api/v1/patients/{id}/report and /csv: the web downloads' rules over the API (docs/reports.md)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from painwise.audit.models import AuditEvent
from tests.personas import bearer

pytestmark = pytest.mark.django_db


def get(client, user, erin, what, **params):
    headers = bearer(user) if user else {}
    return client.get(f"/api/v1/patients/{erin.patient.id}/{what}", params, headers=headers)


def period(erin, **extra):
    return {"from": erin.start.isoformat(), "to": erin.end.isoformat(), **extra}


def test_the_patient_gets_her_report_as_pdf_by_default_and_as_html(client, erin):
    pdf = get(client, erin.user, erin, "report", **period(erin))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    html = get(client, erin.user, erin, "report", **period(erin, format="html"))
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert "Labs out of range" in html.content.decode()


def test_without_dates_the_report_covers_the_last_90_days(client, erin):
    response = get(client, erin.user, erin, "report", format="html")
    assert response.status_code == 200
    start, end = (dt.date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", response["Content-Disposition"]))
    assert (end - start).days == 89


def test_a_clinician_sees_only_the_sections_of_the_grants_scopes_and_the_read_is_audited(client, erin):
    html = get(client, erin.lena, erin, "report", **period(erin, format="html"))
    text = html.content.decode()
    assert html.status_code == 200
    assert "Labs out of range" not in text and "Not shared with this reader" in text
    reads = AuditEvent.objects.filter(actor_id=erin.lena.id, action="read", detail={"view": "report.html"})
    assert sorted(reads.values_list("object_type", flat=True)) == ["diary", "plan", "questionnaires", "reports"]


def test_the_csv_zip_follows_the_grant_file_by_file(client, erin):
    own = zipfile.ZipFile(io.BytesIO(get(client, erin.user, erin, "csv", **period(erin)).content))
    assert "lab_results.csv" in own.namelist() and "pain_entries.csv" in own.namelist()
    response = get(client, erin.lena, erin, "csv", **period(erin))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "lab_results.csv" not in names and "pain_entries.csv" in names


@pytest.mark.parametrize("what", ["report", "csv"])
def test_without_the_reports_scope_or_a_grant_it_is_not_found(client, erin, what):
    for user in (erin.nora, erin.carol):
        response = get(client, user, erin, what, **period(erin))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not AuditEvent.objects.filter(object_type="reports", actor_id__in=[erin.nora.id, erin.carol.id]).exists()
    assert get(client, None, erin, what).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "to"),
        ({"to": "2026-02-01"}, "from"),
        ({"from": "2026-02-01"}, "to"),
        ({"from": "1990-01-01", "to": "2026-02-01"}, "from"),
        ({"format": "docx"}, "format"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "from"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "from"),
        ({"from": "1700000000", "to": "2026-02-01"}, "from"),
        ({"from": "2024-1-1", "to": "2026-02-01"}, "from"),
    ],
)
def test_bad_periods_and_formats_are_a_422_naming_the_field_and_nothing_is_read(client, erin, params, field):
    response = get(client, erin.bob, erin, "report", **params)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    assert not AuditEvent.objects.filter(actor_id=erin.bob.id, action="read").exists()
