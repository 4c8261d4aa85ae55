"""Nothing recorded yet, or a period without entries: every page and download still answers, saying what is missing."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def test_the_insights_page_for_an_empty_record_says_there_is_not_enough_data(cast):
    response = logged_in(cast.alice).get("/reports/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There are no days with pain entries yet" in html
    assert "not enough data yet" in html.lower()


def test_a_report_for_a_period_without_entries_is_still_a_report(cast):
    client = logged_in(cast.alice)
    response = client.get("/reports/report/", {"from": "2020-01-01", "to": "2020-03-31", "format": "pdf"})
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Too few data to tell" in text and "2020-01-01 to 2020-03-31" in text
    zipped = client.get("/reports/csv/", {"from": "2020-01-01", "to": "2020-03-31"})
    assert zipped.status_code == 200


def test_a_clinician_with_a_full_grant_downloads_an_empty_report(cast):
    response = logged_in(cast.bob).get(
        f"/reports/patients/{cast.alice_patient.id}/report/",
        {"from": "2026-01-01", "to": "2026-01-31", "format": "html"},
    )
    assert response.status_code == 200
    assert "Not shared with this reader" not in response.content.decode()
