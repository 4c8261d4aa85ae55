"""The report and CSV downloads: who may download what, which sections each reader sees, bad input, audit."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from pypdf import PdfReader

from painwise.audit.models import AuditEvent
from painwise.reports.services import CSV_FILES
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def client_for(user):
    return logged_in(user)


def period(erin, **extra):
    return {"from": erin.start.isoformat(), "to": erin.end.isoformat(), **extra}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_patient_downloads_her_report_as_a_pdf_with_patient_period_and_page_numbers(erin):
    response = client_for(erin.user).get("/reports/report/", period(erin, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "erin" in text
        assert f"{erin.start.isoformat()} to {erin.end.isoformat()}" in text
        assert f"Page {number} of {len(reader.pages)}" in text
    first = reader.pages[0].extract_text()
    for heading in ("Pain trend", "IMMPACT category", "Kratom use", "Labs out of range", "PHQ-9"):
        assert heading in first
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    tags = structure_tags(root["/StructTreeRoot"])
    assert tags["/H1"] >= 1 and tags["/H2"] >= 5 and tags["/Table"] >= 1
    assert tags["/Figure"] >= 1 and tags["alt"] == tags["/Figure"]  # every chart has alt text


def structure_tags(node, counts=None):
    """Count the tagged-PDF structure elements (and those carrying /Alt) under ``node``."""
    counts = counts if counts is not None else {"alt": 0}
    node = node.get_object()
    if not isinstance(node, dict):
        return counts
    kind = node.get("/S")
    if kind:
        counts[kind] = counts.get(kind, 0) + 1
        counts["alt"] += "/Alt" in node and kind == "/Figure"
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        if hasattr(kid, "get_object"):
            structure_tags(kid, counts)
    return counts


def test_the_html_report_has_headings_and_alt_text_on_every_chart(erin):
    response = client_for(erin.user).get("/reports/report/", period(erin, format="html"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html and "<h1>Pain care report</h1>" in html and "<h2" in html
    images = html.count("<img ")
    assert images >= 2
    assert html.count('alt="') >= images
    assert 'alt=""' not in html


def test_a_clinician_with_the_reports_scope_downloads_it_and_the_read_is_audited(erin):
    before = AuditEvent.objects.filter(object_type="reports", actor_id=erin.bob.id).count()
    response = client_for(erin.bob).get(f"/reports/patients/{erin.patient.id}/report/", period(erin, format="html"))
    assert response.status_code == 200
    assert "Labs out of range" in response.content.decode()
    assert "Open flags" in response.content.decode()
    events = AuditEvent.objects.filter(object_type="reports", actor_id=erin.bob.id)
    assert events.count() == before + 1
    scope_reads = AuditEvent.objects.filter(actor_id=erin.bob.id, action="read", detail={"view": "report.html"})
    assert sorted(scope_reads.values_list("object_type", flat=True)) == ["diary", "labs", "plan", "questionnaires"]


def test_each_section_read_is_audited_under_its_own_scope(erin):
    logged_in(erin.lena).get(f"/reports/patients/{erin.patient.id}/csv/", period(erin))
    reads = AuditEvent.objects.filter(actor_id=erin.lena.id, action="read", detail={"view": "csv"})
    assert sorted(reads.values_list("object_type", flat=True)) == ["diary", "plan", "questionnaires", "reports"]


def test_sections_follow_the_grants_scopes(erin):
    html = client_for(erin.lena).get(f"/reports/patients/{erin.patient.id}/report/", period(erin, format="html"))
    text = html.content.decode()
    assert html.status_code == 200
    assert "Not shared with this reader, so not shown: " in text and "Labs" in text.split("Not shared")[1][:200]
    assert "Labs out of range" not in text and "Lab results with reference ranges" not in text
    assert "Pain trend" in text and "Kratom use" in text


def test_a_grant_without_the_reports_scope_gets_not_found(erin):
    client = client_for(erin.nora)
    assert client.get(f"/reports/patients/{erin.patient.id}/report/", period(erin)).status_code == 404
    assert client.get(f"/reports/patients/{erin.patient.id}/csv/", period(erin)).status_code == 404
    assert client.get(f"/reports/patients/{erin.patient.id}/").status_code == 404
    assert not AuditEvent.objects.filter(object_type="reports", actor_id=erin.nora.id).exists()


def test_a_clinician_without_any_grant_gets_not_found(erin):
    client = client_for(erin.carol)
    assert client.get(f"/reports/patients/{erin.patient.id}/report/", period(erin)).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-02-30", "to": "2026-03-01"}, "from must be a date"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "to must not be before from"),
        ({"to": "2026-02-01"}, "from is required"),
        ({"from": "2026-01-01", "to": "2026-02-01", "format": "docx"}, "format must be pdf or html"),
    ],
)
def test_bad_periods_are_a_400_with_the_reason(erin, params, message):
    response = client_for(erin.user).get("/reports/report/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_csv_zip_has_one_documented_file_per_record_type_limited_to_the_period(erin):
    response = client_for(erin.user).get("/reports/csv/", period(erin))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {spec.name for spec in CSV_FILES} | {"README.txt"} == names
    for spec in CSV_FILES:
        rows = list(csv.reader(io.StringIO(archive.read(spec.name).decode())))
        assert tuple(rows[0]) == spec.columns
    pain = list(csv.DictReader(io.StringIO(archive.read("pain_entries.csv").decode())))
    assert pain
    assert all(erin.start.isoformat() <= row["local_day"] <= erin.end.isoformat() for row in pain)


def test_the_csv_leaves_out_files_whose_scope_the_grant_lacks(erin):
    response = client_for(erin.lena).get(f"/reports/patients/{erin.patient.id}/csv/", period(erin))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "lab_results.csv" not in archive.namelist()
    assert "pain_entries.csv" in archive.namelist()
    assert "lab_results.csv" in archive.read("README.txt").decode()


def test_the_patient_sees_her_insights_page_in_plain_language(erin):
    response = client_for(erin.user).get("/reports/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Insights: how is my plan going?" in html
    assert 'role="img"' in html and "<desc" in html
    assert "not a recommended dose" in html or "Too few days with kratom" in html or "No kratom use" in html
    assert "Download report" in html and "Download CSV" in html
    for phrase in ("increase your dose", "take more", "you should take"):
        assert phrase not in html.lower()


def test_clinicians_see_the_report_link_only_with_the_reports_scope(erin):
    assert "Report and CSV export" in client_for(erin.bob).get(f"/patients/{erin.patient.id}/").content.decode()
    page = client_for(erin.nora).get(f"/patients/{erin.patient.id}/")
    assert page.status_code == 200 and "Report and CSV export" not in page.content.decode()


def test_the_insights_page_is_for_patients(erin):
    assert client_for(erin.bob).get("/reports/insights/").status_code == 403


def test_a_reports_only_grant_gets_a_report_with_every_data_section_withheld(erin):
    from painwise.patients.services import grant_create
    from tests.personas import make_user

    only = make_user("only_reports", "clinician")
    grant_create(actor=erin.user, patient=erin.patient, grantee=only, scopes=["reports"])
    html = logged_in(only).get(f"/reports/patients/{erin.patient.id}/report/", period(erin, format="html"))
    assert html.status_code == 200
    text = html.content.decode()
    for title in ("Pain trend", "Conditions and plan", "Kratom use", "Questionnaires", "Labs"):
        assert title in text.split("Not shared with this reader, so not shown: ")[1].split("</p>")[0]
    medication_names = [item.name for item in erin.patient.therapies.all()]
    assert medication_names and not any(name in text for name in medication_names)
    assert "<img " not in text  # no charts: each shows diary data
    archive = zipfile.ZipFile(io.BytesIO(logged_in(only).get(f"/reports/patients/{erin.patient.id}/csv/").content))
    assert archive.namelist() == ["README.txt"]


def test_open_flags_reach_the_clinicians_report_but_not_the_patients(erin):
    from painwise.monitoring.models import Flag

    for recipient in (erin.bob, erin.lena):
        Flag.objects.create(
            patient=erin.patient,
            recipient=recipient,
            rule_id="hair.workup_due",
            severity="routine",
            title=f"Hair-loss work-up due ({recipient.username})",
            evidence="e",
            consider="c",
        )
    bob = logged_in(erin.bob).get(f"/reports/patients/{erin.patient.id}/report/", period(erin, format="html"))
    text = bob.content.decode()
    assert "Hair-loss work-up due (bob)" in text and "Hair-loss work-up due (lena)" not in text
    own = logged_in(erin.user).get("/reports/report/", period(erin, format="html")).content.decode()
    assert "Open flags" not in own and "work-up due" not in own
