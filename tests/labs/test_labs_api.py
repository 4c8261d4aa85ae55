"""Alice enters her blood results through the API; Bob (data-entry grant) enters one for her;
Carol (no grant) and Dave (another patient) get 404."""

import datetime as dt

import pytest
from django.utils import timezone

from painwise.audit.models import AuditEvent
from painwise.labs.models import LabResult
from tests.labs.helpers import days_ago, labs_url, post_json, result_body
from tests.personas import bearer

pytestmark = pytest.mark.django_db


def create(client, patient, body, user):
    return post_json(client, labs_url(patient), body, bearer(user))


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "canonical", "loinc"),
    [
        ("iron", 80, "µg/dL", 80.0, "2498-4"),
        ("iron", 80, "mcg/dL", 80.0, "2498-4"),
        ("iron", 14.3, "umol/L", pytest.approx(79.85, abs=0.05), "14798-3"),
        ("tsh", 2.1, "uIU/mL", 2.1, "3016-3"),
        ("tsh", 2.1, "mU/L", 2.1, "3016-3"),
        ("b12", 221.34, "pmol/L", pytest.approx(300, abs=0.1), "14685-2"),
        ("B12", 300, "pg/mL", 300.0, "2132-9"),
        ("2132-9", 300, "pg/mL", 300.0, "2132-9"),
        ("alt", 40, "IU/L", 40.0, "1742-6"),
    ],
)
def test_it_creates_results_in_any_accepted_unit_or_spelling(cast, client, analyte, value, unit, canonical, loinc):
    response = post_json(client, labs_url(cast.alice_patient), result_body(analyte, value, unit), bearer(cast.alice))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == unit  # kept as entered
    assert body["value"] == value
    assert body["canonical_value"] == canonical
    assert body["loinc"] == loinc  # the code of the unit's property, never the one typed for another
    stored = LabResult.objects.get(id=body["id"])
    assert (stored.unit, stored.canonical_value) == (unit, canonical)


def test_it_interprets_on_entry_with_the_catalogue_range_for_alices_sex(cast, client):
    body = post_json(
        client, labs_url(cast.alice_patient), result_body("ferritin", 12, "ng/mL"), bearer(cast.alice)
    ).json()
    assert body["status"] == "low"
    assert body["category"] == "iron deficiency"
    assert body["range_used"]["source"] == "catalogue"
    assert (body["range_used"]["low"], body["range_used"]["high"]) == (30.0, 300.0)
    assert body["entered_by"]["username"] == "alice"


def test_it_prefers_the_lab_range_to_the_catalogue(cast, client):
    body = post_json(
        client,
        labs_url(cast.alice_patient),
        result_body("ferritin", 12, "ng/mL", ref_low=10, ref_high=150, lab_name="City Lab"),
        bearer(cast.alice),
    ).json()
    assert body["status"] == "normal"  # 12 is inside the lab's 10-150
    assert body["range_used"]["source"] == "lab"
    assert (body["ref_low"], body["ref_high"]) == (10.0, 150.0)
    assert body["category"] == "iron deficiency"  # the decision aid still reads the canonical value


def test_it_compares_with_the_sex_specific_catalogue_range(cast, client):
    # Haemoglobin 12.5 g/dL: normal for Alice (F 12-16), low for Dave (M 13-17).
    alice = post_json(client, labs_url(cast.alice_patient), result_body("hb", 12.5, "g/dL"), bearer(cast.alice))
    dave = post_json(client, labs_url(cast.dave_patient), result_body("hb", 12.5, "g/dL"), bearer(cast.dave))
    assert alice.json()["status"] == "normal"
    assert dave.json()["status"] == "low"


def test_it_reports_multiples_of_the_uln_for_liver_tests(cast, client):
    body = post_json(
        client, labs_url(cast.alice_patient), result_body("alt", 120, "U/L", ref_high=40), bearer(cast.alice)
    ).json()
    assert body["status"] == "high"
    assert body["multiple_of_uln"] == 3.0


def test_it_refuses_an_unknown_unit_listing_the_accepted_ones_and_stores_nothing(cast, client):
    response = post_json(
        client, labs_url(cast.alice_patient), result_body("iron", 80, "mg/furlong"), bearer(cast.alice)
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("labs.unknown_unit", "unit")
    assert "ug/dL" in error["message"] and "umol/L" in error["message"]
    assert LabResult.objects.count() == 0


def test_it_refuses_an_unknown_analyte_listing_the_accepted_ones(cast, client):
    response = post_json(client, labs_url(cast.alice_patient), result_body("unobtainium", 1, "g/L"), bearer(cast.alice))
    error = response.json()["error"]
    assert (response.status_code, error["field"]) == (422, "analyte")
    assert "ferritin" in error["message"] and "tsh" in error["message"]
    assert LabResult.objects.count() == 0


def test_it_refuses_an_impossible_value(cast, client):
    # Haemoglobin 120 "g/dL" is really 120 g/L typed with the wrong unit.
    response = post_json(
        client, labs_url(cast.alice_patient), result_body("hemoglobin", 120, "g/dL"), bearer(cast.alice)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "labs.implausible_value"
    assert response.json()["error"]["field"] == "value"
    assert LabResult.objects.count() == 0


@pytest.mark.parametrize("value", [-1, "12", True])
def test_it_refuses_values_that_are_not_non_negative_numbers(cast, client, value):
    response = post_json(client, labs_url(cast.alice_patient), result_body("ferritin", value), bearer(cast.alice))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "value"


def test_it_accepts_an_unusual_value_and_marks_it(cast, client):
    response = post_json(client, labs_url(cast.alice_patient), result_body("ferritin", 6000), bearer(cast.alice))
    assert response.status_code == 201
    assert response.json()["unusual"] is True
    assert any("Unusual" in note for note in response.json()["notes"])
    assert LabResult.objects.get().unusual is True


def test_it_refuses_a_collection_time_in_the_future(cast, client):
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = post_json(client, labs_url(cast.alice_patient), result_body(collected_at=tomorrow), bearer(cast.alice))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "labs.future_time"
    assert response.json()["error"]["field"] == "collected_at"


def test_it_refuses_a_lab_range_whose_low_is_above_its_high(cast, client):
    response = post_json(
        client, labs_url(cast.alice_patient), result_body(ref_low=300, ref_high=30), bearer(cast.alice)
    )
    assert (response.status_code, response.json()["error"]["field"]) == (422, "ref_low")


def test_it_lets_bob_enter_a_result_for_alice_and_shows_him_as_the_enterer(cast, client):
    response = post_json(client, labs_url(cast.alice_patient), result_body(), bearer(cast.bob))
    assert response.status_code == 201
    assert response.json()["entered_by"] == {"id": str(cast.bob.id), "username": "bob", "role": "clinician"}
    listed = client.get(labs_url(cast.alice_patient), headers=bearer(cast.alice)).json()
    assert listed["items"][0]["entered_by"]["username"] == "bob"
    assert AuditEvent.objects.filter(actor_username="bob", action="create", object_type="lab_results").exists()


def test_it_refuses_a_clinician_whose_grant_does_not_allow_data_entry(cast, client):
    cast.grant.can_enter_data = False
    cast.grant.save()
    assert client.get(labs_url(cast.alice_patient), headers=bearer(cast.bob)).status_code == 200
    assert post_json(client, labs_url(cast.alice_patient), result_body(), bearer(cast.bob)).status_code == 404


@pytest.mark.parametrize("who", ["carol", "dave"])
def test_it_answers_404_to_people_alice_has_not_shared_with(cast, client, who):
    post_json(client, labs_url(cast.alice_patient), result_body(), bearer(cast.alice))
    headers = bearer(getattr(cast, who))
    result_id = LabResult.objects.get().id
    assert client.get(labs_url(cast.alice_patient), headers=headers).status_code == 404
    assert client.get(labs_url(cast.alice_patient, result_id), headers=headers).status_code == 404
    assert post_json(client, labs_url(cast.alice_patient), result_body(), headers).status_code == 404
    assert client.delete(labs_url(cast.alice_patient, result_id), headers=headers).status_code == 404
    assert LabResult.objects.count() == 1


def test_it_reads_changes_and_soft_deletes_a_result(cast, client):
    headers = bearer(cast.alice)
    created = post_json(client, labs_url(cast.alice_patient), result_body("ferritin", 12), headers).json()
    assert client.get(labs_url(cast.alice_patient, created["id"]), headers=headers).json()["status"] == "low"
    patched = client.patch(
        labs_url(cast.alice_patient, created["id"]),
        data='{"value": 45}',
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["value"], patched.json()["status"], patched.json()["category"]) == (45.0, "normal", None)
    assert client.delete(labs_url(cast.alice_patient, created["id"]), headers=headers).status_code == 204
    assert client.get(labs_url(cast.alice_patient, created["id"]), headers=headers).status_code == 404
    assert client.get(labs_url(cast.alice_patient), headers=headers).json()["count"] == 0
    assert LabResult.objects.get().deleted_at is not None  # kept, only hidden
    actions = set(AuditEvent.objects.filter(object_type="lab_results").values_list("action", flat=True))
    assert actions == {"create", "update", "delete"}


def test_it_paginates_and_filters_by_analyte_and_local_day(cast, client):
    headers = bearer(cast.alice)
    for days in range(4):
        body = result_body("ferritin", 20 + days, collected_at=days_ago(days * 10 + 1).isoformat())
        post_json(client, labs_url(cast.alice_patient), body, headers)
    post_json(client, labs_url(cast.alice_patient), result_body("tsh", 2, "mIU/L"), headers)
    first = client.get(labs_url(cast.alice_patient) + "?page_size=2", headers=headers).json()
    assert (first["count"], len(first["items"]), first["next_page"]) == (5, 2, 2)
    ferritin = client.get(labs_url(cast.alice_patient) + "?analyte=2276-4", headers=headers).json()
    assert [i["value"] for i in ferritin["items"]] == [20.0, 21.0, 22.0, 23.0]  # newest first
    day = days_ago(11).astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).date()
    one_day = client.get(labs_url(cast.alice_patient) + f"?from={day}&to={day}", headers=headers).json()
    assert [i["value"] for i in one_day["items"]] == [21.0]
    unknown = client.get(labs_url(cast.alice_patient) + "?analyte=unobtainium", headers=headers)
    assert (unknown.status_code, unknown.json()["error"]["field"]) == (422, "analyte")
