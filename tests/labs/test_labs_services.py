"""The stored interpretation can be recomputed from the stored input; thresholds come from settings."""

import dataclasses

import pytest
from django.core.exceptions import ImproperlyConfigured

from painwise.core.errors import DomainError
from painwise.labs.entry import recompute
from painwise.labs.models import LabResult
from painwise.labs.services import lab_result_create
from tests.labs.helpers import days_ago

pytestmark = pytest.mark.django_db

CASES = [
    {"analyte": "ferritin", "value": 12, "unit": "µg/L"},
    {"analyte": "14685-2", "value": 150, "unit": "pg/mL"},  # a molar code with a mass unit
    {"analyte": "alt", "value": 80, "unit": "IU/L", "ref_high": 33},
    {"analyte": "testosterone", "value": 9.0, "unit": "nmol/L"},
    {"analyte": "tsh", "value": 6.0, "unit": "uIU/mL", "ref_low": 0.3, "ref_high": None},
    {"analyte": "hemoglobin", "value": 22, "unit": "g/dL"},  # unusual
]


@pytest.mark.parametrize("data", CASES)
def test_it_reproduces_the_stored_interpretation_from_the_stored_input(cast, data):
    stored = lab_result_create(
        actor=cast.alice, patient=cast.alice_patient, data={**data, "collected_at": days_ago(10)}
    )
    stored = LabResult.objects.get(id=stored.id)  # as read back from the database
    again = recompute(stored)
    assert again.status == stored.status
    assert again.canonical_value == stored.canonical_value
    assert again.unit == stored.unit_ucum
    assert (again.loinc or "") == stored.loinc
    assert (again.category or "") == stored.category
    assert again.multiple_of_uln == stored.multiple_of_uln
    assert again.range_used == stored.range_used
    assert (again.unusual, again.critical) == (stored.unusual, stored.critical)
    assert list(again.notes) == stored.notes


def test_it_records_sex_and_age_at_collection(cast):
    stored = lab_result_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"analyte": "ferritin", "value": 50, "unit": "ng/mL", "collected_at": days_ago(1)},
    )
    born = cast.alice_patient.date_of_birth
    today = days_ago(1).date()
    expected = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert (stored.sex, stored.age_years) == ("female", expected)


def test_it_uses_thresholds_from_settings_and_keeps_them_with_the_result(cast, settings):
    settings.PAINWISE_LAB_CONFIG = {"ferritin_cutoff": 45}
    stored = lab_result_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"analyte": "ferritin", "value": 40, "unit": "ng/mL", "collected_at": days_ago(1)},
    )
    assert stored.category == "iron deficiency"  # AGA 2020 45 ng/mL, not the default 30
    assert stored.config["ferritin_cutoff"] == 45
    settings.PAINWISE_LAB_CONFIG = {}
    assert recompute(stored).category == "iron deficiency"  # recomputed under the thresholds it was stored with


def test_it_refuses_a_misspelled_threshold_setting(cast, settings):
    settings.PAINWISE_LAB_CONFIG = {"ferritin_cutof": 45}
    with pytest.raises(ImproperlyConfigured, match="ferritin_cutof"):
        lab_result_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            data={"analyte": "ferritin", "value": 40, "unit": "ng/mL", "collected_at": days_ago(1)},
        )


def test_it_refuses_a_collection_before_birth(cast):
    with pytest.raises(DomainError) as caught:
        lab_result_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            data={"analyte": "ferritin", "value": 40, "unit": "ng/mL", "collected_at": days_ago(365 * 60)},
        )
    assert (caught.value.code, caught.value.field) == ("labs.before_birth", "collected_at")
    assert LabResult.objects.count() == 0


def test_it_keeps_the_config_a_dataclass_dict(cast):
    stored = lab_result_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"analyte": "ferritin", "value": 40, "unit": "ng/mL", "collected_at": days_ago(1)},
    )
    from painwise.core.labs import DEFAULT_CONFIG

    assert stored.config == dataclasses.asdict(DEFAULT_CONFIG)
