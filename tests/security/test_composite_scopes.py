"""Composite views — pages and routes that show data of more than one scope — against a grant for each
single scope (docs/security.md, "One access policy"). Each view asks the policy for every scope it
shows: its main scope decides whether it answers at all (404 otherwise), and each other scope decides
whether that part is shown.

One clinician per scope holds a grant with only that scope (with data entry, which must not widen
reads). The rows below are written from the policy table, not from the code.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.personas import bearer, logged_in, make_user

pytestmark = pytest.mark.django_db

SCOPES = ("diary", "plan", "questionnaires", "labs", "reports")
MEDICATION = "Sertraline 50 mg"  # a plan item whose name must not leak outside the plan scope
KRATOM = "Green Maeng Da capsules"


@pytest.fixture
def world(cast):
    from painwise.diary.services import diary_record_create
    from painwise.labs.services import lab_result_create
    from painwise.patients.services import grant_create
    from painwise.questionnaires.services import questionnaire_submit
    from painwise.treatment.services import therapy_create

    alice, patient = cast.alice, cast.alice_patient
    now = timezone.now()
    therapy_create(
        actor=alice,
        patient=patient,
        data={"kind": "medication", "name": MEDICATION, "start_date": timezone.localdate() - dt.timedelta(days=60),
              "drug_class": "ssri_snri"},
    )  # fmt: skip
    diary_record_create(
        actor=alice, patient=patient, kind="pain_entries",
        data={"occurred_at": now - dt.timedelta(hours=2), "body_site": "lower_back", "nrs": 6},
    )  # fmt: skip
    diary_record_create(
        actor=alice, patient=patient, kind="dose_events",
        data={"occurred_at": now - dt.timedelta(hours=3), "product_id": cast.kratom.id, "amount": 4,
              "unit": "capsule", "status": "taken"},
    )  # fmt: skip
    for days in (40, 5):
        lab_result_create(
            actor=alice, patient=patient,
            data={"analyte": "ferritin", "value": 20, "unit": "ng/mL", "collected_at": now - dt.timedelta(days=days)},
        )  # fmt: skip
    clinicians = {}
    for scope in SCOPES:
        clinician = make_user(f"only_{scope}", "clinician")
        grant_create(actor=alice, patient=patient, grantee=clinician, scopes=[scope], can_enter_data=True)
        clinicians[scope] = clinician
    both = make_user("plan_and_diary", "clinician")
    grant_create(actor=alice, patient=patient, grantee=both, scopes=["plan", "diary"])
    clinicians["plan+diary"] = both
    # A positive PHQ-9 item 9: a flag for every clinician alice shares with, whatever the scopes.
    questionnaire_submit(actor=alice, patient=patient, code="phq9", answers=[1, 1, 1, 1, 1, 1, 1, 1, 1],
                         completed_at=now - dt.timedelta(minutes=5))  # fmt: skip
    return cast, clinicians


# view -> the scope whose grant opens it (everyone else: 404), and what each may see besides.
# fmt: off
WEB_PAGES = {
    "patient_detail": ("/patients/{id}/", "diary"),
    "patient_timeline": ("/patients/{id}/timeline/", "diary"),
    "lab_chart": ("/labs/patients/{id}/chart/ferritin/", "labs"),
    "questionnaires": ("/questionnaires/patients/{id}/", "questionnaires"),
}
# fmt: on


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("view", WEB_PAGES)
def test_each_composite_page_answers_only_to_its_main_scope(world, view, scope):
    cast, clinicians = world
    path, main = WEB_PAGES[view]
    answer = logged_in(clinicians[scope]).get(path.format(id=cast.alice_patient.id))
    assert answer.status_code == (200 if scope == main else 404)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("view", ["patient_detail", "lab_chart", "patient_timeline"])
def test_no_composite_page_shows_plan_item_names_without_the_plan_scope(world, view, scope):
    cast, clinicians = world
    path, _ = WEB_PAGES[view]
    page = logged_in(clinicians[scope]).get(path.format(id=cast.alice_patient.id)).content.decode()
    assert MEDICATION not in page
    # A dose record names the product taken: that is part of the diary record, so only a diary grant
    # shows the kratom product's name (in the timeline), and only there.
    assert (KRATOM in page) == (scope == "diary" and view != "lab_chart")


def test_the_lab_chart_overlays_the_plan_only_for_whoever_may_read_the_plan(world):
    """The leak this policy closes: a labs-only grant saw every plan item's name in the overlay."""
    from painwise.patients.services import grant_create

    cast, clinicians = world
    url = f"/labs/patients/{cast.alice_patient.id}/chart/ferritin/"
    labs_only = logged_in(clinicians["labs"]).get(url).content.decode()
    assert MEDICATION not in labs_only and KRATOM not in labs_only
    assert "this share does not include the plan" in labs_only
    labs_and_plan = make_user("labs_and_plan", "clinician")
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=labs_and_plan, scopes=["labs", "plan"])
    full = logged_in(labs_and_plan).get(url).content.decode()
    assert MEDICATION in full and KRATOM in full
    assert logged_in(cast.bob).get(url).status_code == 200


def test_reading_the_overlay_is_audited_as_a_read_of_the_plan(world):
    from painwise.audit.models import AuditEvent
    from painwise.patients.services import grant_create

    cast, clinicians = world
    url = f"/labs/patients/{cast.alice_patient.id}/chart/ferritin/"
    logged_in(clinicians["labs"]).get(url)
    reads = AuditEvent.objects.filter(actor_id=clinicians["labs"].id, action="read")
    assert sorted(reads.values_list("object_type", flat=True)) == ["labs"]
    both = make_user("labs_and_plan", "clinician")
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=both, scopes=["labs", "plan"])
    logged_in(both).get(url)
    reads = AuditEvent.objects.filter(actor_id=both.id, action="read")
    assert sorted(reads.values_list("object_type", flat=True)) == ["labs", "plan"]
    assert reads.get(object_type="plan").detail == {"view": "lab_chart_overlay"}


@pytest.mark.parametrize("scope", SCOPES)
def test_the_clinician_patient_page_shows_the_plan_and_exposure_only_with_the_plan_scope(world, scope):
    cast, clinicians = world
    url = f"/patients/{cast.alice_patient.id}/"
    answer = logged_in(clinicians[scope]).get(url)
    if scope != "diary":
        assert answer.status_code == 404
        return
    page = answer.content.decode()
    assert MEDICATION not in page
    assert "The patient has not shared their plan with you." in page
    assert "Kratom exposure (as recorded)" not in page  # the exposure panel
    full = logged_in(clinicians["plan+diary"]).get(url).content.decode()
    assert MEDICATION in full and "Kratom exposure (as recorded)" in full


@pytest.mark.parametrize("scope", [*SCOPES, "plan+diary"])
def test_exposure_needs_both_the_plan_and_the_diary_scope(world, client, scope):
    cast, clinicians = world
    url = f"/api/v1/patients/{cast.alice_patient.id}/exposure"
    answer = client.get(url, headers=bearer(clinicians[scope]))
    assert answer.status_code == (200 if scope == "plan+diary" else 404)


@pytest.mark.parametrize("scope", SCOPES)
def test_the_clinician_overview_shows_a_diary_sparkline_only_with_the_diary_scope(world, scope):
    from painwise.audit.models import AuditEvent

    _, clinicians = world
    page = logged_in(clinicians[scope]).get("/").content.decode()
    assert "alice" in page  # she shared something with each of them
    assert ("Pain trend, last 30 days" in page) == (scope == "diary")
    diary_reads = AuditEvent.objects.filter(actor_id=clinicians[scope].id, action="read", object_type="diary")
    assert diary_reads.count() == (1 if scope == "diary" else 0)


@pytest.mark.parametrize("scope", SCOPES)
def test_flags_reach_every_clinician_with_a_grant_and_their_reads_are_audited(world, client, scope):
    """`flags` is not a grant scope: any active grant carries it (docs/security.md)."""
    from painwise.audit.models import AuditEvent

    cast, clinicians = world
    body = client.get("/api/v1/flags", headers=bearer(clinicians[scope])).json()
    assert [item["patient_id"] for item in body["items"]] == [str(cast.alice_patient.id)]
    read = AuditEvent.objects.get(actor_id=clinicians[scope].id, action="read", object_type="flags")
    assert read.patient_key == cast.alice_patient.audit_key and read.detail == {"view": "flags"}
    page = logged_in(clinicians[scope]).get("/monitoring/")
    assert page.status_code == 200 and "alice" in page.content.decode()
