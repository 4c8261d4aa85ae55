"""The worklist, a flag's page, the evidence page, the badge, the patient-list mark, the clinician's
summary and the patient's plain-language notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from painwise.audit.models import AuditEvent
from painwise.monitoring.engine import evaluate_patient
from painwise.monitoring.models import Flag, Status
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def signed_in(user):
    return logged_in(user)


def add_lab(cast, analyte, value, unit, days_ago=3):
    from painwise.labs.services import lab_result_create

    when = timezone.now() - dt.timedelta(days=days_ago)
    lab_result_create(
        actor=cast.bob,
        patient=cast.alice_patient,
        data={"analyte": analyte, "value": value, "unit": unit, "collected_at": when},
    )


def add_shedding(cast, days_ago=5):
    from painwise.diary.services import diary_record_create

    diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="side_effects",
        data={"occurred_at": timezone.now() - dt.timedelta(days=days_ago), "kind": "hair_shedding", "ctcae_grade": 1},
    )


@pytest.fixture
def flagged(cast):
    add_lab(cast, "ferritin", 12, "ng/mL")
    add_lab(cast, "hemoglobin", 10.5, "g/dL")
    add_shedding(cast)
    evaluate_patient(cast.alice_patient.id)
    return cast


def test_the_worklist_lists_active_flags_urgent_first_with_filters(flagged):
    client = signed_in(flagged.bob)
    page = client.get("/monitoring/").content.decode()
    assert "Anaemia" in page and "Iron deficiency" in page and "Hair shedding" in page
    assert page.index("Anaemia") < page.index("Iron deficiency")  # high before routine
    assert "Observed." in page and "Consider." in page and "Evidence." in page
    only = client.get("/monitoring/?severity=high").content.decode()
    assert "Anaemia" in only and "Iron deficiency" not in only
    by_rule = client.get("/monitoring/?rule=hair.workup_due").content.decode()
    assert "Hair shedding reported without" in by_rule and "Anaemia" not in by_rule
    assert client.get("/monitoring/?severity=loud").status_code == 302


def test_a_lab_flag_shows_the_trend_with_its_reference_band(flagged):
    flag = Flag.objects.get(rule_id="blood.anemia")
    page = signed_in(flagged.bob).get(f"/monitoring/flags/{flag.id}/").content.decode()
    assert "hemoglobin over time" in page and "<svg" in page and "reference range" in page


def test_a_hair_flag_shows_the_timeline(flagged):
    flag = Flag.objects.get(rule_id="hair.workup_due")
    page = signed_in(flagged.bob).get(f"/monitoring/flags/{flag.id}/").content.decode()
    assert "Hair shedding timeline" in page and "hair-timeline" in page and "no cause" in page.lower()


def test_resolving_and_dismissing_from_the_page(flagged):
    client = signed_in(flagged.bob)
    flag = Flag.objects.get(rule_id="blood.anemia")
    client.post(f"/monitoring/flags/{flag.id}/dismiss/", {"reason": ""})
    assert Flag.objects.get(pk=flag.pk).status == Status.OPEN  # a dismissal needs a reason
    client.post(f"/monitoring/flags/{flag.id}/dismiss/", {"reason": "known thalassaemia trait"})
    assert Flag.objects.get(pk=flag.pk).status == Status.DISMISSED
    other = Flag.objects.get(rule_id="nutrition.iron_deficiency")
    client.post(f"/monitoring/flags/{other.id}/resolve/", {"reason": ""})
    assert Flag.objects.get(pk=other.pk).status == Status.RESOLVED


def test_carol_without_a_grant_cannot_open_bobs_flag(flagged):
    flag = Flag.objects.get(rule_id="blood.anemia")
    assert signed_in(flagged.carol).get(f"/monitoring/flags/{flag.id}/").status_code == 404


def test_the_nav_badge_and_the_patient_list_mark_count_active_flags(flagged):
    client = signed_in(flagged.bob)
    active = Flag.objects.filter(recipient=flagged.bob, status__in=("open", "acknowledged")).count()
    home = client.get("/").content.decode()
    assert f'<span class="badge" title="{active} open flags' in home
    assert f"{active} open flags" in home and f"?patient={flagged.alice_patient.id}" in home


def test_the_clinician_patient_page_opens_with_a_summary(flagged):
    page = signed_in(flagged.bob).get(f"/patients/{flagged.alice_patient.id}/").content.decode()
    summary = page.split('id="summary-title"')[1]
    assert "Open flags" in summary and "ferritin 12" in summary and "hemoglobin 10.5" in summary
    assert "Hair shedding timeline" in summary
    scopes = set(
        AuditEvent.objects.filter(action="read", actor_id=flagged.bob.id).values_list("object_type", flat=True)
    )
    assert {"labs", "diary", "flags"} <= scopes


def test_the_patient_sees_truthful_plain_language_notes(flagged):
    from painwise.patients.services import grant_revoke

    page = signed_in(flagged.alice).get("/").content.decode()
    assert "Notes about your record" in page and "your clinician has been told" in page
    assert "dose" not in page.split("Notes about your record")[1].split("</ul>")[0].lower()
    grant_revoke(actor=flagged.alice, grant=flagged.grant)
    Flag.objects.update(recipient=None)  # as if raised while nobody had access
    page = signed_in(flagged.alice).get("/").content.decode()
    assert "has been told" not in page and "has not been told automatically" in page


def test_the_evidence_page_lists_every_citation(flagged):
    from painwise.core.rules import CITATIONS

    page = signed_in(flagged.alice).get("/monitoring/evidence/").content.decode()
    for citation in CITATIONS.values():
        assert f'id="{citation.anchor}"' in page
    assert "clinical_reference" not in page
