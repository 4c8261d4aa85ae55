"""PatientSnapshot from an export document: records, local days, exposure, windows, error paths."""

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from painwise.core.errors import DomainError
from painwise.core.snapshot import snapshot_from_export

ALICE = json.loads((Path(__file__).resolve().parents[4] / "tests/foundation/alice_export.json").read_text())


FERRITIN = {"id": "l1", "analyte": "ferritin", "value": 19.3, "unit": "ug/L", "ref_low": 13, "ref_high": 150,
            "collected_at": "2026-03-01T09:00:00+00:00", "lab_name": "", "note": ""}  # fmt: skip


def doc(**sections):
    base = {
        "format": "painwise.export",
        "version": 1,
        "synthetic": True,
        "patient": {
            "id": "p1",
            "username": "alice",
            "date_of_birth": "1980-05-01",
            "sex_at_birth": "female",
            "time_zone": "America/New_York",
            "created_at": "2026-01-01T00:00:00+00:00",
        },
    }
    return {**base, **sections}


def test_it_reads_every_section_of_an_export():
    snapshot = snapshot_from_export(ALICE)
    assert snapshot.profile.username == "alice"
    assert len(snapshot.pain) == len(ALICE["pain_entries"])
    assert len(snapshot.plan) == len(ALICE["therapies"])
    assert len(snapshot.labs) == len(ALICE["lab_results"])
    assert len(snapshot.questionnaires) == len(ALICE.get("questionnaire_responses", []))


def test_it_gives_each_record_the_patients_local_day():
    # 02:30 UTC on 2 March is still 1 March in New York.
    pain = [{"id": "a", "occurred_at": "2026-03-02T02:30:00+00:00", "body_site": "neck", "nrs": 4, "qualities": []}]
    snapshot = snapshot_from_export(doc(pain_entries=pain))
    assert snapshot.pain[0].day == dt.date(2026, 3, 1)
    assert snapshot.pain[0].occurred_at.tzinfo is dt.UTC


def test_it_interprets_labs_with_the_labs_own_range_first():
    labs = [
        {"id": "l1", "analyte": "ferritin", "value": 19.3, "unit": "ug/L", "ref_low": 13, "ref_high": 150,
         "collected_at": "2026-03-01T09:00:00+00:00", "lab_name": "", "note": ""},
    ]  # fmt: skip
    reading = snapshot_from_export(doc(lab_results=labs)).labs[0].interpretation
    assert reading.status == "normal"
    assert reading.range_used is not None and reading.range_used["source"] == "lab"
    assert reading.category == "iron deficiency"  # the configurable cut-off (30 ng/mL), not the lab range


def test_it_computes_exposure_from_the_plans_kratom_products():
    plan = [{"id": "k", "kind": "kratom", "name": "Powder", "start_date": "2026-01-01", "stop_date": None,
             "form": "leaf_powder", "unit": "g", "leaf_g_per_unit": 1.0}]  # fmt: skip
    doses = [
        {"id": f"d{i}", "occurred_at": f"2026-01-0{i}T12:00:00+00:00", "product_id": "k", "amount": 3, "unit": "g",
         "status": "skipped" if i == 3 else "taken"}
        for i in range(1, 5)
    ]  # fmt: skip
    snapshot = snapshot_from_export(doc(therapies=plan, dose_events=doses))
    exposure = snapshot.exposure(dt.date(2026, 1, 1), dt.date(2026, 1, 4))
    assert exposure.cumulative_leaf_g == 9.0
    assert [p.id for p in snapshot.kratom_products] == ["k"]
    assert snapshot.plan_active_on(dt.date(2026, 1, 2), "kratom")[0].name == "Powder"


def test_a_window_keeps_the_plan_and_limits_the_diary():
    pain = [
        {"id": str(i), "occurred_at": f"2026-03-{i:02d}T15:00:00+00:00", "body_site": "neck", "nrs": i % 10}
        for i in range(1, 29)
    ]
    plan = [{"id": "pt", "kind": "physical_therapy", "name": "PT", "start_date": "2025-01-01", "stop_date": None}]
    snapshot = snapshot_from_export(doc(pain_entries=pain, therapies=plan))
    window = snapshot.window(dt.date(2026, 3, 10), dt.date(2026, 3, 16))
    assert [p.day.day for p in window.pain] == list(range(10, 17))
    assert window.plan == snapshot.plan
    assert snapshot.first_day == dt.date(2025, 1, 1) and snapshot.last_day == dt.date(2026, 3, 28)


def test_it_sums_alcohol_per_day_and_groups_medications_by_class():
    check_ins = [
        {"id": "c1", "occurred_at": "2026-03-01T12:00:00+00:00", "alcoholic_drinks": 2},
        {"id": "c2", "occurred_at": "2026-03-01T20:00:00+00:00", "alcoholic_drinks": 3},
        {"id": "c3", "occurred_at": "2026-03-02T20:00:00+00:00", "alcoholic_drinks": None},
    ]
    plan = [{"id": "m", "kind": "medication", "name": "Oxycodone", "start_date": "2026-01-01", "stop_date": None,
             "drug_class": "opioid"}]  # fmt: skip
    snapshot = snapshot_from_export(doc(check_ins=check_ins, therapies=plan))
    assert snapshot.alcohol() == ((dt.date(2026, 3, 1), 5),)
    assert [m.name for m in snapshot.medications_by_class()["opioid"]] == ["Oxycodone"]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["pain_entries"][1].pop("nrs"), "pain_entries[1].nrs"),
        (lambda d: d["pain_entries"][0].update(occurred_at="yesterday"), "pain_entries[0]"),
        (lambda d: d.update(lab_results=[{**FERRITIN, "unit": "furlongs"}]), "lab_results[0].unit"),
        (lambda d: d["patient"].pop("date_of_birth"), "patient.date_of_birth"),
        (lambda d: d.update(format="something else"), "format"),
    ],
)
def test_a_bad_record_is_named_by_its_path(mutate, field):
    broken = copy.deepcopy(ALICE)
    mutate(broken)
    with pytest.raises(DomainError) as caught:
        snapshot_from_export(broken)
    assert caught.value.field == field
