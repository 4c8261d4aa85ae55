"""Live records: one `.live()` filter, one lookup with an explicit lock, and the deleted-product rule."""

import datetime as dt
import inspect
import pathlib
import re

import pytest
from django.utils import timezone

from tests.personas import bearer

pytestmark = pytest.mark.django_db

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "painwise"


def dose(cast, product, days_ago=0, amount=4):
    from painwise.diary.services import diary_record_create

    return diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="dose_events",
        data={"occurred_at": timezone.now() - dt.timedelta(days=days_ago, hours=1), "product_id": product.id,
              "amount": amount, "unit": "capsule", "status": "taken"},
    )  # fmt: skip


def test_it_refuses_to_delete_a_plan_item_with_live_dose_records(cast, client):
    dose(cast, cast.kratom)
    url = f"/api/v1/patients/{cast.alice_patient.id}/therapies/{cast.kratom.id}"
    answer = client.delete(url, headers=bearer(cast.alice))
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "plan.has_records"
    assert "stop date" in error["message"] and "delete its dose records first" in error["message"]
    cast.kratom.refresh_from_db()
    assert cast.kratom.deleted_at is None


def test_it_deletes_a_plan_item_once_its_dose_records_are_deleted(cast, client):
    from painwise.diary.services import diary_record_delete
    from painwise.treatment.models import Therapy

    record = dose(cast, cast.kratom)
    diary_record_delete(actor=cast.alice, patient=cast.alice_patient, kind="dose_events", record_id=record.id)
    url = f"/api/v1/patients/{cast.alice_patient.id}/therapies/{cast.kratom.id}"
    assert client.delete(url, headers=bearer(cast.alice)).status_code == 204
    assert not Therapy.objects.live().filter(id=cast.kratom.id).exists()
    assert Therapy.objects.filter(id=cast.kratom.id).exists()  # soft: kept, hidden


def test_exposure_counts_only_live_products_and_live_doses(cast):
    """The decision (docs/data-model.md): a deleted product never has live doses (deleting one with
    live doses is refused), so exposure reads live products and live doses only; a deleted product
    and its deleted doses do not count."""
    from painwise.diary.services import diary_record_delete
    from painwise.treatment.exposure import exposure_summary, patient_exposure
    from painwise.treatment.services import therapy_create, therapy_delete

    entered_in_error = therapy_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"kind": "kratom", "name": "Typo capsules", "start_date": dt.date.today() - dt.timedelta(days=10),
              "form": "capsule", "unit": "capsule", "leaf_g_per_unit": 0.5},
    )  # fmt: skip
    dose(cast, cast.kratom, amount=4)  # 2 g
    wrong = dose(cast, entered_in_error, amount=10)  # 5 g, entered against the wrong product
    today = timezone.localdate()
    assert patient_exposure(cast.alice_patient, today, today).cumulative_leaf_g == 7.0
    diary_record_delete(actor=cast.alice, patient=cast.alice_patient, kind="dose_events", record_id=wrong.id)
    therapy_delete(actor=cast.alice, patient=cast.alice_patient, therapy_id=entered_in_error.id)
    result = patient_exposure(cast.alice_patient, today, today)
    assert result.cumulative_leaf_g == 2.0
    summary = exposure_summary(cast.alice_patient)
    assert summary is not None and summary.cumulative_leaf_kg == 0.0  # 2 g rounds to 0.00 kg


def test_exposure_summary_is_none_when_the_only_kratom_product_was_deleted(cast):
    from painwise.treatment.exposure import exposure_summary
    from painwise.treatment.services import therapy_delete

    assert exposure_summary(cast.alice_patient) is not None
    therapy_delete(actor=cast.alice, patient=cast.alice_patient, therapy_id=cast.kratom.id)
    assert exposure_summary(cast.alice_patient) is None


@pytest.mark.parametrize(
    "path,name",
    [
        ("painwise.diary.services", "live_record"),
        ("painwise.labs.services", "live_result"),
        ("painwise.treatment.services", "live_therapy"),
        ("painwise.audit.live", "live_one"),
    ],
)
def test_every_live_lookup_takes_an_explicit_for_update(path, name):
    import importlib

    parameter = inspect.signature(getattr(importlib.import_module(path), name)).parameters["for_update"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is inspect.Parameter.empty


def test_nothing_but_the_live_filter_and_soft_delete_reads_deleted_at():
    allowed = {SRC / "audit" / "live.py", SRC / "audit" / "services.py"}
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"deleted_at(__|\s*=(?!\s*models\.))", line) and "models.DateTimeField" not in line:
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_every_soft_deletable_model_has_the_live_manager():
    from django.apps import apps

    from painwise.audit.live import LiveQuerySet

    soft = [m for m in apps.get_models() if any(f.name == "deleted_at" for f in m._meta.get_fields())]
    assert {m.__name__ for m in soft} >= {"PainEntry", "DoseEvent", "Therapy", "LabResult", "PainCondition"}
    for model in soft:
        assert isinstance(model.objects.all(), LiveQuerySet), model.__name__
