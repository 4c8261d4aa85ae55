"""The `questionnaire_responses` export/import section: same shape as the API, re-scored on import."""

import copy
import json

import pytest

from painwise.core.errors import DomainError
from painwise.exchange.export import export_patient
from painwise.exchange.importer import import_patient
from painwise.monitoring.models import Flag
from painwise.questionnaires.models import QuestionnaireResponse
from painwise.questionnaires.services import questionnaire_submit
from tests.questionnaires.helpers import COWS_MILD, EXAMPLES, PHQ9_ITEM9_POSITIVE, PHQ9_NEGATIVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(cast):
    """Alice's export with a PHQ-9, a PEG and a COWS, after which Alice is removed from this database."""
    patient = cast.alice_patient
    questionnaire_submit(actor=cast.alice, patient=patient, code="phq9", answers=PHQ9_NEGATIVE)
    questionnaire_submit(actor=cast.alice, patient=patient, code="peg", answers=EXAMPLES["peg"])
    questionnaire_submit(actor=cast.bob, patient=patient, code="cows", answers=COWS_MILD)
    doc = json.loads(json.dumps(export_patient(patient)))
    cast.alice.delete()
    return doc


def phq9_entry(doc):
    return next(r for r in doc["questionnaire_responses"] if r["code"] == "phq9")


def test_it_round_trips_ids_entry_times_and_scores(exported):
    imported = import_patient(copy.deepcopy(exported))
    assert export_patient(imported)["questionnaire_responses"] == exported["questionnaire_responses"]
    assert QuestionnaireResponse.objects.filter(patient=imported).count() == 3
    assert not Flag.objects.exists()


def test_it_refuses_a_stored_total_that_the_answers_do_not_give(exported):
    phq9_entry(exported)["total"] = 14
    with pytest.raises(DomainError) as caught:
        import_patient(exported)
    assert caught.value.code == "import.score_mismatch"
    assert caught.value.field == "questionnaire_responses[0].total"
    assert not QuestionnaireResponse.objects.exists()


def test_it_marks_a_missing_item_9_as_unanswered_and_raises_the_flag(exported):
    entry = phq9_entry(exported)
    entry["answers"][8], entry["total"], entry["flags"] = None, None, []
    patient = import_patient(exported)
    response = QuestionnaireResponse.objects.get(patient=patient, code="phq9")
    assert response.flags == ["self_harm_unanswered"]
    flag = Flag.objects.get(patient=patient)
    assert flag.rule_id == "mood.self_harm_unanswered" and flag.recipient is None  # pending: nobody has a grant yet


def test_it_raises_the_urgent_flag_for_an_imported_positive_item_9(exported):
    entry = phq9_entry(exported)
    entry["answers"], entry["total"] = PHQ9_ITEM9_POSITIVE, sum(PHQ9_ITEM9_POSITIVE)
    patient = import_patient(exported)
    flag = Flag.objects.get(patient=patient)
    assert flag.rule_id == "mood.self_harm" and flag.severity == "urgent" and flag.acknowledged_at is None


def test_it_refuses_a_cows_not_entered_by_a_clinician(exported):
    cows = next(r for r in exported["questionnaire_responses"] if r["code"] == "cows")
    cows["entered_by_role"] = "patient"
    with pytest.raises(DomainError) as caught:
        import_patient(exported)
    assert caught.value.code == "import.clinician_only"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": [0] * 8 + [7]}, "questionnaire_responses[0].answers[8]"),
        ({"code": "bpi"}, "questionnaire_responses[0].code"),
        ({"mood": 3}, "questionnaire_responses[0].mood"),
        ({"completed_at": "yesterday"}, "questionnaire_responses[0].completed_at"),
    ],
)
def test_it_names_the_bad_field_and_imports_nothing(exported, change, field):
    phq9_entry(exported).update(change)
    with pytest.raises(DomainError) as caught:
        import_patient(exported)
    assert caught.value.field == field
    assert not QuestionnaireResponse.objects.exists()
