"""Alice sees everything she recorded in one timeline, filters it, and edits or deletes her entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from painwise.audit.models import AuditEvent
from painwise.diary.history import history
from painwise.diary.models import CheckIn, PainEntry, SideEffect
from painwise.diary.services import diary_record_create
from painwise.labs.services import lab_result_create
from painwise.questionnaires.services import questionnaire_submit
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def record(cast, record_kind, hours_ago=1, **data):
    moment = timezone.now() - dt.timedelta(hours=hours_ago)
    return diary_record_create(
        actor=cast.alice, patient=cast.alice_patient, kind=record_kind, data={"occurred_at": moment, **data}
    )


def test_it_saves_a_daily_check_in_from_quick_entry(cast):
    client = logged_in(cast.alice)
    form = client.get(reverse("web:home") + "?entry=check-in").content.decode()
    assert 'name="sleep_hours"' in form and 'name="alcoholic_drinks"' in form
    response = client.post(
        reverse("web:entry_create", args=["check-in"]),
        {"sleep_hours": "6.5", "sleep_quality": "4", "mood": "6", "interference": "5", "activity_minutes": "30",
         "alcoholic_drinks": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    check_in = CheckIn.objects.get(patient=cast.alice_patient)
    assert (float(check_in.sleep_hours), check_in.mood, check_in.alcoholic_drinks) == (6.5, 6, 1)


def test_an_empty_check_in_is_refused_and_says_why(cast):
    response = logged_in(cast.alice).post(reverse("web:entry_create", args=["check-in"]), {})
    assert response.status_code == 422
    assert "a check-in needs at least one answer" in response.content.decode().lower()
    assert not CheckIn.objects.exists()


def test_it_records_hair_shedding_with_grade_rating_and_dates(cast):
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["side-effect"]),
        {"kind": "hair_shedding", "ctcae_grade": "1", "shedding_rating": "3", "onset_date": "2025-04-01",
         "free_text": "more in the shower"},
    )  # fmt: skip
    assert response.status_code == 302
    effect = SideEffect.objects.get(patient=cast.alice_patient)
    assert (effect.ctcae_grade, effect.shedding_rating, effect.onset_date) == (1, 3, dt.date(2025, 4, 1))


def test_a_shedding_rating_on_nausea_is_refused_in_words(cast):
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["side-effect"]), {"kind": "nausea", "shedding_rating": "2"}
    )
    assert response.status_code == 422
    assert "“Shedding rating” applies to hair shedding only" in response.content.decode()


def test_a_resolution_before_onset_is_refused(cast):
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["side-effect"]),
        {"kind": "nausea", "onset_date": "2025-04-10", "resolved_date": "2025-04-01"},
    )
    assert response.status_code == 422
    assert "“Ended on” is before “Started on”" in response.content.decode()


def test_the_timeline_holds_every_kind_and_filters(cast):
    record(cast, "pain_entries", 1, body_site="neck", nrs=6)
    record(cast, "check_ins", 2, mood=7)
    record(cast, "side_effects", 3, kind="nausea")
    lab_result_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={
            "analyte": "ferritin",
            "value": 40,
            "unit": "ng/mL",
            "collected_at": timezone.now() - dt.timedelta(days=1),
        },
    )
    questionnaire_submit(actor=cast.alice, patient=cast.alice_patient, code="peg", answers=[5, 5, 5])
    client = logged_in(cast.alice)
    page = client.get(reverse("web:diary")).content.decode()
    for title in ("Pain 6/10", "Check-in", "Side effect: nausea", "Lab: ferritin", "Questionnaire:", "Plan: started"):
        assert title in page, title
    only_labs = client.get(reverse("web:diary") + "?kind=labs").content.decode()
    assert "Lab: ferritin" in only_labs and "Pain 6/10" not in only_labs and "Plan: started" not in only_labs


def test_the_timeline_pages_without_losing_or_repeating(cast):
    for i in range(7):
        record(cast, "pain_entries", i + 1, body_site="neck", nrs=i)
    seen, cursor = [], None
    while True:
        page = history(cast.alice_patient, ["pain", "plan"], cursor=cursor, page_size=3)
        seen += [(item.kind, item.id) for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8  # 7 pain entries and the kratom product's start


def test_the_timeline_pages_records_of_several_kinds_sharing_one_instant(cast):
    moment = timezone.now() - dt.timedelta(hours=1)
    patient = cast.alice_patient
    PainEntry.objects.bulk_create(
        PainEntry(patient=patient, occurred_at=moment, body_site="neck", nrs=i) for i in range(3)
    )
    SideEffect.objects.bulk_create(SideEffect(patient=patient, occurred_at=moment, kind="nausea") for _ in range(3))
    CheckIn.objects.bulk_create(CheckIn(patient=patient, occurred_at=moment, mood=5) for _ in range(3))
    seen, cursor = [], None
    while True:  # pages of 2 end inside each kind and between kinds at the same instant
        page = history(patient, ["pain", "side_effects", "check_ins"], cursor=cursor, page_size=2)
        seen += [(item.kind, item.id) for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 9


def test_it_edits_an_entry_and_audits_it(cast):
    entry = record(cast, "pain_entries", 2, body_site="neck", nrs=6, note="stiff")
    client = logged_in(cast.alice)
    url = reverse("web:diary_edit", args=["pain_entries", entry.pk])
    form = client.get(url).content.decode()
    assert 'value="neck" selected' in form and "stiff" in form
    response = client.post(url, {"body_site": "neck", "nrs": "4", "note": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.nrs, entry.note) == (4, "")
    assert abs(entry.occurred_at - (timezone.now() - dt.timedelta(hours=2))) < dt.timedelta(minutes=1)
    assert AuditEvent.objects.filter(action="update", object_type="pain_entries").count() == 1


def test_an_invalid_edit_changes_nothing(cast):
    entry = record(cast, "pain_entries", 2, body_site="neck", nrs=6)
    response = logged_in(cast.alice).post(
        reverse("web:diary_edit", args=["pain_entries", entry.pk]), {"body_site": "neck", "nrs": "12"}
    )
    assert response.status_code == 422 and "“Pain now” must be from 0 to 10" in response.content.decode()
    entry.refresh_from_db()
    assert entry.nrs == 6


def test_it_soft_deletes_an_entry_with_an_audit_event(cast):
    entry = record(cast, "check_ins", 2, mood=3)
    client = logged_in(cast.alice)
    response = client.post(reverse("web:diary_delete", args=["check_ins", entry.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("web:diary")
    entry.refresh_from_db()
    assert entry.deleted_at is not None
    assert AuditEvent.objects.filter(action="delete", object_type="check_ins").count() == 1
    assert (
        "Check-in" not in client.get(reverse("web:diary") + "?kind=check_ins").content.decode().split("newest first")[1]
    )


def test_dave_cannot_edit_or_delete_alices_entry(cast):
    entry = record(cast, "pain_entries", 2, body_site="neck", nrs=6)
    dave = logged_in(cast.dave)
    assert dave.get(reverse("web:diary_edit", args=["pain_entries", entry.pk])).status_code == 404
    assert dave.post(reverse("web:diary_delete", args=["pain_entries", entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.deleted_at is None and PainEntry.objects.filter(patient=cast.alice_patient).count() == 1


def test_it_does_not_redirect_elsewhere_after_an_edit(cast):
    entry = record(cast, "pain_entries", 2, body_site="neck", nrs=6)
    response = logged_in(cast.alice).post(
        reverse("web:diary_edit", args=["pain_entries", entry.pk]),
        {"body_site": "neck", "nrs": "5", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("web:diary")


def test_the_session_form_labels_cbt_and_marks_stopped_items(cast):
    from painwise.treatment.services import therapy_create

    today = timezone.localdate()
    for start, stop in ((today - dt.timedelta(days=300), today - dt.timedelta(days=200)), (today, None)):
        therapy_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            data={"kind": "cbt", "name": "CBT course", "start_date": start, "stop_date": stop},
        )
    html = logged_in(cast.alice).get(reverse("web:home") + "?entry=session").content.decode()
    assert ">CBT</option>" in html and ">Cbt<" not in html
    assert "CBT course (from" in html and "— stopped" in html
