"""Alice uploads her lab report as CSV: all rows or none, each problem named by row and column."""

import pytest

from painwise.audit.models import AuditEvent
from painwise.labs.csv_import import MAX_CSV_BYTES, CsvImportError
from painwise.labs.models import LabResult
from painwise.labs.services import lab_results_import_csv
from tests.labs.helpers import labs_url
from tests.personas import bearer

pytestmark = pytest.mark.django_db

HEADER = "analyte,value,unit,collected_at,ref_low,ref_high,lab_name,note\n"
GOOD = (
    HEADER
    + "ferritin,12,ng/mL,2025-03-01T08:30:00+00:00,15,150,City Lab,fasting\n"
    + "2132-9,250,pg/mL,2025-03-01,,,City Lab,\n"
    + 'tsh,"2,5",uIU/mL,2025-03-01 08:30,,,,\n'
)


def csv_import(cast, text, user=None):
    return lab_results_import_csv(actor=user or cast.alice, patient=cast.alice_patient, text=text)


def test_it_imports_every_row_of_a_good_file(cast):
    text = GOOD.replace('"2,5"', "2.5")
    done = csv_import(cast, text)
    assert len(done.created) == 3 and done.skipped == []
    by_analyte = {r.analyte: r for r in LabResult.objects.all()}
    assert by_analyte["ferritin"].range_source == "lab" and by_analyte["ferritin"].status == "low"
    assert by_analyte["b12"].loinc == "2132-9" and by_analyte["b12"].category == "borderline"
    # No offset: the patient's local time (Europe/London is UTC+0 in March).
    assert by_analyte["tsh"].collected_at.isoformat() == "2025-03-01T08:30:00+00:00"
    assert all(r.entered_by == cast.alice for r in by_analyte.values())
    assert AuditEvent.objects.filter(action="import", object_type="lab_results").count() == 1


def test_it_stores_nothing_when_one_row_is_bad_and_names_row_and_column(cast):
    text = GOOD.replace("tsh,", "tsh,") + "iron,80,mg/furlong,2025-03-01,,,,\n"
    with pytest.raises(CsvImportError) as caught:
        csv_import(cast, text)
    problems = caught.value.problems
    assert problems[0].startswith("row 4, value: '2,5' is not a number (use a dot for decimals)")
    assert problems[1].startswith("row 5, unit: Unknown unit 'mg/furlong' for iron; accepted: ug/dL")
    assert caught.value.field == "rows[4].value"
    assert "Nothing was imported" in caught.value.message
    assert LabResult.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "row 1: the file is empty"),
        ("analyte;value;unit;collected_at\n", "row 1: columns must be separated by commas"),
        ("analyte,value,unit\n", "row 1: the collected_at column is missing"),
        (HEADER.replace("note", "colour"), "row 1, colour: unknown column"),
        (HEADER + "ferritin,12,ng/mL\n", "row 2: expected 8 cells"),
        (HEADER + "ferritin,<5,ng/mL,2025-03-01,,,,\n", "row 2, value: '<5' is a censored value"),
        (HEADER + "ferritin,12,ng/mL,yesterday,,,,\n", "row 2, collected_at: 'yesterday' is not a date"),
        (HEADER + "ferritin,12,ng/mL,2999-01-01,,,,\n", "row 2, collected_at: collected_at is in the future"),
        (HEADER + "hemoglobin,120,g/dL,2025-03-01,,,,\n", "row 2, value: 120 g/dL is not a possible hemoglobin"),
        (HEADER + "kryptonite,1,g/L,2025-03-01,,,,\n", "row 2, analyte: Unknown analyte 'kryptonite'"),
        (HEADER + "ferritin,12,ng/mL,2025-03-01,150,15,,\n", "row 2, ref_low: ref_low (150) is above ref_high"),
    ],
)
def test_it_explains_what_is_wrong_with_a_file(cast, text, expected):
    with pytest.raises(CsvImportError) as caught:
        csv_import(cast, text)
    assert caught.value.problems[0].startswith(expected), caught.value.problems
    assert LabResult.objects.count() == 0


def test_it_accepts_optional_columns_missing_and_a_byte_order_mark(cast):
    done = csv_import(cast, "\ufeffAnalyte,Value,Unit,Collected_at\nferritin,40,ng/mL,2025-02-01\n\n")
    assert len(done.created) == 1
    assert LabResult.objects.get().lab_name == ""


def test_it_skips_results_already_stored_even_in_another_unit(cast):
    csv_import(cast, HEADER + "b12,300,pg/mL,2025-03-01,,,,\n")
    again = (
        HEADER + "b12,221.336874723,pmol/L,2025-03-01,,,,\nb12,400,pg/mL,2025-03-01,,,,\nb12,400,pg/mL,2025-03-01,,,,\n"
    )
    done = csv_import(cast, again)
    assert [r.value for r in done.created] == [400.0]
    assert [s["row"] for s in done.skipped] == [2, 4]
    assert LabResult.objects.count() == 2


def test_it_refuses_an_oversized_file(cast):
    with pytest.raises(CsvImportError) as caught:
        csv_import(cast, HEADER + "x" * MAX_CSV_BYTES)
    assert caught.value.status == 413


def test_it_imports_through_the_api_as_text_csv(cast, client):
    text = GOOD.replace('"2,5"', "2.5")
    response = client.post(
        labs_url(cast.alice_patient, suffix="/import"), data=text, content_type="text/csv", headers=bearer(cast.bob)
    )
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 3 and len(response.json()["ids"]) == 3
    assert set(LabResult.objects.values_list("entered_by__username", flat=True)) == {"bob"}


def test_it_answers_the_api_with_the_first_problems_and_stores_nothing(cast, client):
    response = client.post(
        labs_url(cast.alice_patient, suffix="/import"), data=GOOD, content_type="text/csv", headers=bearer(cast.alice)
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("labs.csv_invalid", "rows[4].value")
    assert "row 4, value:" in error["message"]
    assert LabResult.objects.count() == 0


def test_it_wants_text_csv_and_404s_for_carol(cast, client):
    url = labs_url(cast.alice_patient, suffix="/import")
    as_json = client.post(url, data='{"csv": ""}', content_type="application/json", headers=bearer(cast.alice))
    assert as_json.status_code == 415
    assert client.post(url, data=GOOD, content_type="text/csv", headers=bearer(cast.carol)).status_code == 404
