"""Lab results travel in the export format: export → import → export is identical; bad records name their path."""

import copy
import json

import pytest

from painwise.core.errors import DomainError
from painwise.exchange.export import export_patient
from painwise.exchange.importer import import_patient
from painwise.labs.models import LabResult
from painwise.labs.services import lab_result_create, lab_result_delete
from tests.labs.helpers import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_labs(cast):
    make = lambda days, **data: lab_result_create(  # noqa: E731
        actor=cast.alice, patient=cast.alice_patient, data={"collected_at": days_ago(days), **data}
    )
    make(40, analyte="ferritin", value=22, unit="ng/mL", ref_low=15, ref_high=150, lab_name="City Lab")
    make(40, analyte="b12", value=180.5, unit="pmol/L", note="after the holidays")
    make(10, analyte="tsh", value=2, unit="µIU/mL")
    gone = make(5, analyte="alt", value=30, unit="U/L")
    lab_result_delete(actor=cast.alice, patient=cast.alice_patient, result_id=gone.id)
    return cast


def wipe(patient):
    LabResult.objects.filter(patient=patient).delete()
    patient.therapies.all().delete()
    patient.user.delete()


def test_it_exports_live_results_in_the_documented_shape_ordered_by_collection(alice_labs):
    doc = export_patient(alice_labs.alice_patient)
    results = doc["lab_results"]
    assert [r["analyte"] for r in results] in (["ferritin", "b12", "tsh"], ["b12", "ferritin", "tsh"])
    assert list(results[-1]) == [
        "id", "analyte", "value", "unit", "ref_low", "ref_high", "collected_at", "entered_at", "lab_name", "note",
    ]  # fmt: skip
    assert results[-1]["unit"] == "µIU/mL"  # as entered
    assert [r["collected_at"] for r in results] == sorted(r["collected_at"] for r in results)


def test_it_round_trips_export_import_export_identically(alice_labs):
    first = export_patient(alice_labs.alice_patient)
    before = {r.id: (r.status, r.category, r.canonical_value) for r in LabResult.objects.filter(deleted_at=None)}
    wipe(alice_labs.alice_patient)
    imported = import_patient(json.loads(json.dumps(first)))
    assert export_patient(imported) == first
    after = {r.id: (r.status, r.category, r.canonical_value) for r in LabResult.objects.all()}
    assert after == before  # ids kept, interpretation recomputed to the same answer


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        (lambda r: r.update(unit="mg/furlong"), "lab_results[1].unit", "labs.unknown_unit"),
        (lambda r: r.update(value=1e9), "lab_results[1].value", "labs.implausible_value"),
        (lambda r: r.update(colour="red"), "lab_results[1].colour", "import.unknown_field"),
        (lambda r: r.pop("note"), "lab_results[1].note", "import.missing"),
        (
            lambda r: r.update(collected_at="2999-01-01T00:00:00+00:00"),
            "lab_results[1].collected_at",
            "labs.future_time",
        ),
    ],
)
def test_it_refuses_a_bad_record_naming_its_path_and_stores_nothing(alice_labs, change, path, code):
    doc = copy.deepcopy(export_patient(alice_labs.alice_patient))
    wipe(alice_labs.alice_patient)
    change(doc["lab_results"][1])
    with pytest.raises(DomainError) as caught:
        import_patient(doc)
    assert (caught.value.field, caught.value.code) == (path, code)
    assert LabResult.objects.count() == 0
