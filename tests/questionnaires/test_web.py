"""End to end through the pages: fill in, crisis resources, flags in the worklist, COWS, schedules."""

import uuid

import pytest
from django.urls import reverse

from painwise.audit.models import AuditEvent
from painwise.monitoring.models import Flag
from painwise.patients.services import grant_create, grant_revoke
from painwise.questionnaires.models import QuestionnaireResponse, Schedule
from painwise.questionnaires.services import questionnaire_submit
from tests.personas import logged_in
from tests.questionnaires.helpers import COWS_MILD, PHQ9_ITEM9_POSITIVE, PHQ9_NEGATIVE, phq9_form

pytestmark = pytest.mark.django_db

FILL_PHQ9 = reverse("questionnaires:fill", args=["phq9"])


def post_phq9(client, answers, submission_id=None):
    return client.post(FILL_PHQ9, phq9_form(answers, submission_id or str(uuid.uuid4())))


def test_it_shows_crisis_resources_at_once_and_flags_bob_not_carol(cast):
    response = post_phq9(logged_in(cast.alice), PHQ9_ITEM9_POSITIVE)
    assert response.status_code == 200
    page = response.content.decode()
    # alice lives in Europe/London: her country's lines, not the US default (test_crisis_country.py).
    assert "Samaritans" in page and 'href="tel:116123"' in page
    assert "Your clinician has been notified" in page
    flag = Flag.objects.get()
    assert flag.recipient == cast.bob and flag.acknowledged_at is None and flag.severity == "urgent"
    assert not Flag.objects.filter(recipient=cast.carol).exists()
    worklist = logged_in(cast.bob).get(reverse("monitoring:worklist")).content.decode()
    assert "PHQ-9 item 9 positive" in worklist and "alice" in worklist
    assert "No open flags" in logged_in(cast.carol).get(reverse("monitoring:worklist")).content.decode()


def test_it_tells_the_patient_to_contact_their_clinician_when_nobody_has_access(cast):
    grant_revoke(actor=cast.alice, grant=cast.grant)
    page = post_phq9(logged_in(cast.alice), PHQ9_ITEM9_POSITIVE).content.decode()
    assert "Please contact your clinician" in page and "Your clinician has been notified" not in page
    pending = Flag.objects.get()
    assert pending.recipient is None
    grant_create(actor=cast.alice, patient=cast.alice_patient, grantee=cast.carol)
    worklist = logged_in(cast.carol).get(reverse("monitoring:worklist")).content.decode()
    assert "PHQ-9 item 9 positive" in worklist


def test_it_requires_item_9_on_the_web_form_and_stores_nothing_without_it(cast, settings):
    settings.PAINWISE_QUESTIONNAIRE_REQUIRE_ALL = False  # even when other items may be skipped
    response = post_phq9(logged_in(cast.alice), [*PHQ9_NEGATIVE[:8], None])
    assert response.status_code == 422
    assert "Please choose an answer" in response.content.decode()
    assert 'id="field-item_9"' in response.content.decode()
    assert not QuestionnaireResponse.objects.exists() and not Flag.objects.exists()


def test_it_requires_every_item_by_default(cast):
    response = post_phq9(logged_in(cast.alice), [None, *PHQ9_NEGATIVE[1:]])
    assert response.status_code == 422 and not QuestionnaireResponse.objects.exists()


def test_it_stores_a_double_submitted_form_once(cast):
    client, submission = logged_in(cast.alice), str(uuid.uuid4())
    post_phq9(client, PHQ9_ITEM9_POSITIVE, submission)
    again = post_phq9(client, PHQ9_ITEM9_POSITIVE, submission)
    assert again.status_code == 200 and "116 123" in again.content.decode()
    assert QuestionnaireResponse.objects.count() == 1 and Flag.objects.count() == 1


def test_it_shows_licensed_wording_for_phq9_and_neutral_labels_for_the_others(cast):
    client = logged_in(cast.alice)
    phq9 = client.get(FILL_PHQ9).content.decode()
    assert "Thoughts that you would be better off dead" in phq9 and "Several days" in phq9
    sows = client.get(reverse("questionnaires:fill", args=["sows"])).content.decode()
    assert "Item 1:" in sows and "used here by analogy for kratom" in sows
    assert "<script>" not in phq9 and "style=" not in phq9  # CSP: no inline scripts or styles


def test_it_never_gives_the_patient_a_cows_form(cast):
    response = logged_in(cast.alice).post(reverse("questionnaires:fill", args=["cows"]), {})
    assert response.status_code == 404
    cows_page = reverse("questionnaires:cows_enter", args=[cast.alice_patient.id])
    assert logged_in(cast.alice).get(cows_page).status_code == 403
    assert not QuestionnaireResponse.objects.exists()


def test_it_lists_due_questionnaires_with_links(cast):
    questionnaire_submit(actor=cast.alice, patient=cast.alice_patient, code="peg", answers=[2, 2, 2])
    page = logged_in(cast.alice).get(reverse("questionnaires:list")).content.decode()
    assert FILL_PHQ9 in page and "Due now" in page and "Next due" in page
    assert reverse("questionnaires:fill", args=["cows"]) not in page


def test_it_charts_history_with_bands_shaded(cast):
    for answers in (PHQ9_NEGATIVE, [2, 2, 2, 2, 2, 2, 0, 0, 0]):
        questionnaire_submit(actor=cast.alice, patient=cast.alice_patient, code="phq9", answers=answers)
    page = logged_in(cast.alice).get(reverse("questionnaires:history", args=["phq9"])).content.decode()
    assert "<svg" in page and page.count("<rect") == 5 and "moderately severe" in page
    assert "<td>12</td>" in page and "<td>4</td>" in page


def test_it_lets_bob_rate_cows_and_labels_it_as_by_analogy(cast):
    client = logged_in(cast.bob)
    url = reverse("questionnaires:cows_enter", args=[cast.alice_patient.id])
    assert "used here by analogy for kratom" in client.get(url).content.decode()
    data = {"submission_id": str(uuid.uuid4()), **{f"item_{n}": str(v) for n, v in enumerate(COWS_MILD, 1)}}
    response = client.post(url, data, follow=True)
    stored = QuestionnaireResponse.objects.get()
    assert stored.code == "cows" and stored.total == 10 and stored.entered_by == cast.bob
    assert "COWS saved: 10 (mild)" in response.content.decode()


def test_it_hides_alices_questionnaires_from_carol(cast):
    client = logged_in(cast.carol)
    for name in ("clinician_patient", "cows_enter"):
        assert client.get(reverse(f"questionnaires:{name}", args=[cast.alice_patient.id])).status_code == 404
    history = reverse("questionnaires:clinician_history", args=[cast.alice_patient.id, "phq9"])
    assert client.get(history).status_code == 404


def test_it_lets_bob_set_a_schedule_and_audits_his_reads(cast):
    client = logged_in(cast.bob)
    overview = client.get(reverse("questionnaires:clinician_patient", args=[cast.alice_patient.id]))
    assert overview.status_code == 200 and "Rate COWS" in overview.content.decode()
    assert AuditEvent.objects.filter(actor_id=cast.bob.id, action="read", object_type="questionnaires").exists()
    url = reverse("questionnaires:schedule_set", args=[cast.alice_patient.id])
    assert client.post(url, {"code": "sows", "interval_days": "7"}).status_code == 302
    assert Schedule.objects.get(patient=cast.alice_patient, code="sows").interval_days == 7


def test_it_acknowledges_from_the_worklist_for_the_recipient_only(cast):
    post_phq9(logged_in(cast.alice), PHQ9_ITEM9_POSITIVE)
    flag = Flag.objects.get()
    url = reverse("monitoring:acknowledge", args=[flag.id])
    assert logged_in(cast.carol).post(url).status_code == 404
    assert logged_in(cast.bob).get(url).status_code == 405  # a link or prefetch never acknowledges
    response = logged_in(cast.bob).post(url, follow=True)
    flag.refresh_from_db()
    assert flag.acknowledged_by == cast.bob and flag.status == "acknowledged"
    page = response.content.decode()  # acknowledged stays on the worklist until resolved or dismissed
    assert "Acknowledged" in page and f'action="{url}"' not in page


def test_it_shows_crisis_resources_without_sign_in(client):
    page = client.get(reverse("questionnaires:crisis")).content.decode()
    assert 'href="tel:988"' in page and "call 911" in page


def test_it_shows_a_past_result_to_its_patient_only(cast):
    response = questionnaire_submit(
        actor=cast.alice, patient=cast.alice_patient, code="phq9", answers=PHQ9_ITEM9_POSITIVE
    )
    url = reverse("questionnaires:result", args=[response.id])
    page = logged_in(cast.alice).get(url).content.decode()
    assert "Score <strong>2</strong>" in page and 'href="tel:116123"' in page
    assert logged_in(cast.dave).get(url).status_code == 404


def test_it_lists_shared_patients_for_a_clinician(cast):
    bob_page = logged_in(cast.bob).get(reverse("questionnaires:list")).content.decode()
    assert reverse("questionnaires:clinician_patient", args=[cast.alice_patient.id]) in bob_page
    carol_page = logged_in(cast.carol).get(reverse("questionnaires:list")).content.decode()
    assert "No patient has shared" in carol_page
