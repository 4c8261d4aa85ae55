"""The researcher's report-signals page: choose a dataset, see a product's top signals, filter, download, upload.

Who may open it at all is in the authorisation matrix (tests/security); these are the researcher's stories.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.personas import logged_in

CAERS = Path(__file__).parent / "data" / "caers.csv.gz"


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.PV_DATA_DIR = str(tmp_path / "pv")
    Path(settings.PV_DATA_DIR).mkdir()
    shutil.copy(CAERS, Path(settings.PV_DATA_DIR) / "caers2012.csv.gz")
    return Path(settings.PV_DATA_DIR)


def test_it_shows_a_products_top_signals_with_intervals(cast, data_dir):
    client = logged_in(cast.rita)
    page = client.get("/pharmacovigilance/", {"dataset": "caers2012", "product": "reumofan plus"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "pv-interval" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>")[0]
    # openEBGM's top pair for this product (EBGM 23.26 under its prior; ours is fitted on the full data).
    assert "WEIGHT INCREASED" in html
    assert "Top signals for REUMOFAN PLUS" in html  # the dataset's own name for the typed product
    assert "3356 reports" in html
    assert "not evidence that a product" in html


def test_kratom_is_the_default_product(cast, data_dir):
    client = logged_in(cast.rita)
    html = client.get("/pharmacovigilance/", {"dataset": "caers2012"}).content.decode()
    assert 'value="KRATOM"' in html
    assert "No pair for this product" in html  # the 2012 supplement subset has no kratom report


def test_it_filters_by_event_and_downloads_the_table(cast, data_dir):
    client = logged_in(cast.rita)
    html = client.get("/pharmacovigilance/", {"dataset": "caers2012", "product": "REUMOFAN PLUS", "event": "immob"})
    assert "IMMOBILE" in html.content.decode() and "WEIGHT INCREASED" not in html.content.decode()
    response = client.get("/pharmacovigilance/signals.csv", {"dataset": "caers2012", "product": "REUMOFAN PLUS"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["var1"] for r in rows} == {"REUMOFAN PLUS"}
    assert [float(r["EB05"]) for r in rows] == sorted((float(r["EB05"]) for r in rows), reverse=True)
    assert {"EBGM", "EB05", "EB95", "PRR", "ROR", "IC025"} <= set(rows[0])


def test_an_unknown_dataset_is_404(cast, data_dir):
    assert logged_in(cast.rita).get("/pharmacovigilance/", {"dataset": "nope"}).status_code == 404


def test_an_upload_is_validated_and_stored(cast, data_dir):
    client = logged_in(cast.rita)
    good = SimpleUploadedFile("reports.csv", b"id,var1,var2\n1,KRATOM,NAUSEA\n2,IBUPROFEN,NAUSEA\n")
    response = client.post("/pharmacovigilance/upload/", {"name": "mine", "file": good})
    assert response.status_code == 302
    assert (data_dir / "mine.csv").exists()
    from painwise.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="pv_upload", object_id="mine").exists()


def test_a_bad_upload_names_line_and_column_and_keeps_nothing(cast, data_dir):
    client = logged_in(cast.rita)
    bad = SimpleUploadedFile("reports.csv", b"id,var1,var2\n1,KRATOM,NAUSEA\n2,,NAUSEA\n")
    response = client.post("/pharmacovigilance/upload/", {"name": "broken", "file": bad})
    assert response.status_code == 422
    html = response.content.decode()
    assert "reports.csv, line 3, column &#x27;var1&#x27;: empty value" in html
    assert not list(data_dir.glob("broken*"))
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".incoming")]


def test_an_oversized_upload_is_refused(cast, data_dir, settings):
    settings.PV_MAX_UPLOAD_BYTES = 1024
    client = logged_in(cast.rita)
    big = SimpleUploadedFile("big.csv", b"id,var1,var2\n" + b"1,KRATOM,NAUSEA\n" * 200)
    response = client.post("/pharmacovigilance/upload/", {"name": "big", "file": big})
    assert response.status_code == 413
    assert not list(data_dir.glob("big*"))


def test_the_page_is_in_the_researchers_navigation(cast, data_dir):
    html = logged_in(cast.rita).get("/").content.decode()
    assert "/pharmacovigilance/" in html
    assert settings.PV_DATA_DIR
