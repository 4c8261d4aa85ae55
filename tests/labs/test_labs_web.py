"""Alice's lab pages: a table that marks out-of-range results, an entry form, a CSV upload and a trend
chart with the reference band and her plan overlaid. Bob (data-entry grant) may enter; Carol and Dave get 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from painwise.labs.models import LabResult
from painwise.labs.services import lab_result_create
from tests.labs.helpers import days_ago
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def add(cast, analyte, value, unit, days=5, user=None, **extra):
    data = {"analyte": analyte, "value": value, "unit": unit, "collected_at": days_ago(days), **extra}
    return lab_result_create(actor=user or cast.alice, patient=cast.alice_patient, data=data)


def page(cast, user, name, *args, **kwargs):
    return logged_in(user).get(reverse(name, args=[cast.alice_patient.id, *args]), **kwargs)


def test_it_highlights_out_of_range_results_in_alices_table(cast):
    add(cast, "ferritin", 12, "ng/mL", ref_low=15, ref_high=150, lab_name="City Lab")
    add(cast, "tsh", 2.0, "uIU/mL", days=6)
    add(cast, "alt", 99, "U/L", days=7, user=cast.bob)
    response = page(cast, cast.alice, "labs:patient_labs")
    assert response.status_code == 200
    html = response.content.decode()
    rows = html.split('<tr class="lab-row')[1:]
    ferritin = next(r for r in rows if "Ferritin" in r)
    tsh = next(r for r in rows if "Thyroid" in r)
    alt = next(r for r in rows if "Alanine" in r)
    assert "lab-out lab-low" in ferritin and "<strong" in ferritin and "lab range" in ferritin
    assert "15–150 ng/mL" in ferritin and "iron deficiency" in ferritin
    assert "lab-out" not in tsh and "catalogue range" in tsh
    assert "lab-out lab-high" in alt and "×2.829 ULN" in alt and "bob (clinician)" in alt
    assert 'href="/static/labs/labs.css"' in html


def test_it_shows_helpful_empty_states(cast):
    html = page(cast, cast.alice, "labs:patient_labs").content.decode()
    assert "No blood results yet." in html and reverse("labs:csv_import", args=[cast.alice_patient.id]) in html
    chart = page(cast, cast.alice, "labs:analyte_chart", "ferritin").content.decode()
    assert "No ferritin, serum results yet." in chart and "<svg" not in chart


def test_it_saves_a_result_from_the_entry_form_in_alices_time_zone(cast):
    client = logged_in(cast.alice)
    url = reverse("labs:entry", args=[cast.alice_patient.id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"analyte": "iron", "value": "45,5", "unit": "mcg/dL", "collected_at": "2025-07-01T09:15", "ref_low": "",
         "ref_high": "", "lab_name": "", "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    stored = LabResult.objects.get()
    assert (stored.value, stored.unit, stored.status) == (45.5, "mcg/dL", "low")
    assert stored.collected_at == dt.datetime(2025, 7, 1, 8, 15, tzinfo=dt.UTC)  # 09:15 BST
    assert "Saved Iron, serum: 45.5 mcg/dL (low)." in client.get(response["Location"]).content.decode()


def test_it_shows_the_accepted_units_when_the_form_has_an_unknown_one(cast):
    response = logged_in(cast.alice).post(
        reverse("labs:entry", args=[cast.alice_patient.id]),
        {"analyte": "iron", "value": "45", "unit": "grains", "collected_at": "2025-07-01T09:15"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Unknown unit" in html and "ug/dL" in html and 'class="field has-error" id="field-unit"' in html
    assert LabResult.objects.count() == 0


def test_it_lets_bob_enter_a_result_for_alice(cast):
    response = logged_in(cast.bob).post(
        reverse("labs:entry", args=[cast.alice_patient.id]),
        {"analyte": "b12", "value": "150", "unit": "pmol/L", "collected_at": "2025-07-01T09:15"},
    )
    assert response.status_code == 302
    assert LabResult.objects.get().entered_by == cast.bob
    assert "bob (clinician)" in page(cast, cast.alice, "labs:patient_labs").content.decode()


def test_it_hides_entry_from_a_clinician_without_data_entry(cast):
    cast.grant.can_enter_data = False
    cast.grant.save()
    html = page(cast, cast.bob, "labs:patient_labs").content.decode()
    assert "Add a result" not in html
    assert page(cast, cast.bob, "labs:entry").status_code == 404


@pytest.mark.parametrize("who", ["carol", "dave"])
def test_it_gives_404_to_people_alice_has_not_shared_with(cast, who):
    result = add(cast, "ferritin", 12, "ng/mL")
    user = getattr(cast, who)
    assert page(cast, user, "labs:patient_labs").status_code == 404
    assert page(cast, user, "labs:entry").status_code == 404
    assert page(cast, user, "labs:csv_import").status_code == 404
    assert page(cast, user, "labs:analyte_chart", "ferritin").status_code == 404
    delete = logged_in(user).post(reverse("labs:delete", args=[cast.alice_patient.id, result.id]))
    assert delete.status_code == 404
    assert LabResult.objects.filter(deleted_at=None).count() == 1


def test_it_draws_a_trend_chart_with_the_reference_band_and_the_plan(cast):
    from painwise.treatment.services import therapy_create

    therapy_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"kind": "supplement", "name": "Ferrous sulfate 200 mg", "start_date": days_ago(60).date()},
    )
    add(cast, "ferritin", 12, "ng/mL", days=80)
    add(cast, "ferritin", 55, "ng/mL", days=10, ref_low=15, ref_high=150)
    add(cast, "ferritin", 40.5, "ug/L", days=2)
    response = page(cast, cast.alice, "labs:analyte_chart", "ferritin")
    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="lab-band"') == 3  # one step per result's range
    assert svg.count("<circle") == 3 and 'fill="#b42318" class="lab-point lab-low"' in svg
    assert "Ferrous sulfate 200 mg (supplement" in svg and 'class="lab-therapy lab-therapy-supplement"' in svg
    assert "Green Maeng Da capsules (kratom product" in svg
    assert "style=" not in svg  # CSP: presentation attributes only
    assert "3 Ferritin, serum results" in svg  # the text alternative


def test_it_imports_a_csv_upload_and_reports_skipped_rows(cast):
    csv = b"analyte,value,unit,collected_at\nferritin,22,ng/mL,2025-03-01\nferritin,22,ng/mL,2025-03-01\n"
    client = logged_in(cast.alice)
    url = reverse("labs:csv_import", args=[cast.alice_patient.id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": SimpleUploadedFile("labs.csv", csv, content_type="text/csv")}, follow=True)
    assert "Imported 1 result; skipped row 3 (already stored)." in response.content.decode()
    assert LabResult.objects.count() == 1


def test_it_lists_every_problem_of_a_bad_csv_and_imports_nothing(cast):
    rows = ["analyte,value,unit,collected_at", "ferritin,22,ng/mL,2025-03-01", "iron,abc,ug/dL,2025-03-01"]
    text = "\n".join([*rows, "tsh,1,pints,2025-03-01"]) + "\n"
    response = logged_in(cast.alice).post(reverse("labs:csv_import", args=[cast.alice_patient.id]), {"text": text})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "row 3, value: &#x27;abc&#x27; is not a number." in html
    assert "row 4, unit: Unknown unit" in html
    assert LabResult.objects.count() == 0


def test_it_sends_a_patient_from_the_labs_home_to_their_own_results(cast):
    response = logged_in(cast.alice).get(reverse("labs:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("labs:patient_labs", args=[cast.alice_patient.id])
    html = logged_in(cast.bob).get(reverse("labs:index")).content.decode()
    assert reverse("labs:patient_labs", args=[cast.alice_patient.id]) in html
    assert "No patient has shared" in logged_in(cast.carol).get(reverse("labs:index")).content.decode()


def test_it_says_which_threshold_status_and_category_come_from(cast):
    from painwise.labs.services import lab_result_create

    lab_result_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"analyte": "ferritin", "value": 19.3, "unit": "ug/L", "collected_at": timezone.now(),
              "ref_low": 13, "ref_high": 150},
    )  # fmt: skip
    html = logged_in(cast.alice).get(reverse("labs:patient_labs", args=[cast.alice_patient.id])).content.decode()
    assert "(against the reference range)" in html and "(against a clinical cut-off)" in html
    assert "clinical cut-off: below 30 ng/mL" in html


def test_it_asks_before_storing_the_same_result_twice(cast):
    from painwise.labs.models import LabResult

    client = logged_in(cast.alice)
    url = reverse("labs:entry", args=[cast.alice_patient.id])
    data = {"analyte": "ferritin", "value": "35", "unit": "ng/mL", "collected_at": "2025-03-01T08:30"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 409 and "already recorded" in again.content.decode()
    assert LabResult.objects.filter(patient=cast.alice_patient).count() == 1
    assert 'name="confirm_duplicate" value="on"' in again.content.decode()
    assert client.post(url, data | {"confirm_duplicate": "on"}).status_code == 302
    assert LabResult.objects.filter(patient=cast.alice_patient).count() == 2


def test_it_lists_each_test_once_with_earlier_results_on_demand(cast):
    for days, value in ((200, 40), (100, 30), (3, 19.3)):
        lab_result_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            data={"analyte": "ferritin", "value": value, "unit": "ug/L", "collected_at": days_ago(days)},
        )
    lab_result_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"analyte": "b12", "value": 400, "unit": "pg/mL", "collected_at": days_ago(10)},
    )
    html = logged_in(cast.alice).get(reverse("labs:patient_labs", args=[cast.alice_patient.id])).content.decode()
    main_rows = html.count('<tr class="lab-row')
    assert main_rows == 2  # ferritin and B12, each once
    assert "Earlier Ferritin, serum results (2)</summary>" in html
    # The latest ferritin leads; the older values sit inside the details.
    details = html[html.index("Earlier Ferritin, serum results") :]
    assert "40 ug/L" in details and "30 ug/L" in details
    assert html.index("19.3 ug/L") < html.index("Earlier Ferritin, serum results")
