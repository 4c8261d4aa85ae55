"""Erin opens Insights, downloads her visit report as a PDF, and the PDF carries the key figures."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
END = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def erin(transactional_db):
    from painwise.core.synth import generate_patient
    from painwise.exchange.importer import import_patient

    patient = import_patient(generate_patient(3, username="erin", years=0.5, rich=True, end_date=END).record)
    patient.user.set_password(PASSWORD)
    patient.user.save()
    return patient


def test_it_downloads_the_pdf_report_with_the_key_figures(live_server, page, erin, tmp_path):
    from painwise.reports.services import report_content

    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Insights").click()
    page.get_by_role("heading", name="Insights: how is my plan going?").wait_for()
    assert page.locator("svg[role=img]").count() >= 2
    if os.environ.get("PAINWISE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["PAINWISE_SCREENSHOTS"], "insights-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=os.path.join(os.environ["PAINWISE_SCREENSHOTS"], "insights-phone.png"), full_page=True)

    start = END - dt.timedelta(days=89)
    page.locator("#report-from").fill(start.isoformat())
    page.locator("#report-to").fill(END.isoformat())
    page.get_by_label("Format").select_option("pdf")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download report").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)

    reader = PdfReader(str(path))
    first = reader.pages[0].extract_text()
    expected = report_content(erin, start, END).pain
    assert "erin" in first and f"{start.isoformat()} to {END.isoformat()}" in first
    assert expected["category_label"] in first
    if expected["change"] is not None:
        assert f"{expected['baseline_mean']:.1f} → {expected['current_mean']:.1f}" in first
        assert f"{expected['change_text']} points" in first
    assert f"Page 1 of {len(reader.pages)}" in first
    assert csp_errors == []
