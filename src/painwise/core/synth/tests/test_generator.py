"""The generator writes valid, realistic, reproducible export documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from painwise.core import diary as rules
from painwise.core.conditions import ICD11_CATEGORIES
from painwise.core.errors import DomainError
from painwise.core.synth import generate_cohort, generate_demo_patient, generate_patient
from painwise.core.synth.labs import ANALYTES

END = dt.date(2026, 10, 31)
VALIDATORS = {
    "pain_entries": rules.validate_pain_entry,
    "check_ins": rules.validate_check_in,
    "dose_events": rules.validate_dose,
    "therapy_sessions": rules.validate_session,
    "side_effects": rules.validate_side_effect,
}
TIMED = (*VALIDATORS, "lab_results")
FORMAT_DOC = Path(__file__).resolve().parents[5] / "docs" / "import-format.md"


@pytest.fixture(scope="module")
def cohort():
    return generate_cohort(10, 1.5, seed=11, end_date=END)


@pytest.fixture(scope="module")
def demo():
    return generate_demo_patient(end_date=END).record


def _typed(record: dict) -> dict:
    """The export's strings as the validators receive them from an API write."""
    typed = dict(record)
    typed["occurred_at"] = dt.datetime.fromisoformat(record["occurred_at"])
    for name in ("onset_date", "resolved_date"):
        if record.get(name):
            typed[name] = dt.date.fromisoformat(record[name])
    return typed


def _time_of(record: dict) -> str:
    return record.get("occurred_at") or record["collected_at"]


def test_it_writes_records_that_pass_the_diary_validators(cohort, demo):
    now = dt.datetime.now(dt.UTC)
    checked = 0
    for patient in [*cohort.patients, demo]:
        for key, validate in VALIDATORS.items():
            for record in patient[key]:
                validate(_typed(record), now)
                checked += 1
    assert checked > 20_000


def test_it_uses_the_keys_of_the_import_format_exactly(cohort):
    block = re.search(r"```json\n(.*?)```", FORMAT_DOC.read_text(), re.S)
    assert block is not None
    documented = json.loads(block.group(1))
    patient = cohort.patients[0]
    assert set(patient) == set(documented)
    assert set(patient["patient"]) == set(documented["patient"])
    for key, example in documented.items():
        if isinstance(example, list) and patient[key]:
            assert all(set(record) == set(example[0]) for record in patient[key]), key


def test_it_uses_known_vocabularies_for_plan_and_conditions(cohort):
    from django.core.exceptions import ImproperlyConfigured

    try:  # the plan vocabularies live on the Django models; skip when run without Django settings
        from painwise.treatment import models
    except ImproperlyConfigured:
        pytest.skip("Django settings not configured")
    for patient in cohort.patients:
        assert patient["synthetic"] is True
        for condition in patient["conditions"]:
            assert condition["icd11_category"] in ICD11_CATEGORIES
            assert set(condition["body_sites"]) <= set(rules.BODY_SITES)
        for therapy in patient["therapies"]:
            assert therapy["kind"] in models.TherapyKind.values()
            assert therapy["form"] in ("", *models.KratomForm.values())
            assert therapy["drug_class"] in ("", *models.DrugClass.values())
            assert therapy["unit"] in ("", *rules.DOSE_UNITS)


def test_it_is_identical_for_the_same_seed_and_different_for_another():
    first = generate_cohort(2, 0.5, seed=3, end_date=END)
    again = generate_cohort(2, 0.5, seed=3, end_date=END)
    other = generate_cohort(2, 0.5, seed=4, end_date=END)
    assert json.dumps(first.patients) == json.dumps(again.patients)
    assert first.ground_truth == again.ground_truth
    assert json.dumps(first.patients) != json.dumps(other.patients)


def test_it_makes_patient_i_independent_of_the_cohort_size():
    small = generate_cohort(1, 0.5, seed=8, end_date=END)
    large = generate_cohort(3, 0.5, seed=8, end_date=END)
    assert small.patients[0] == large.patients[0]


def test_it_never_writes_times_after_the_end_date_or_entries_before_the_event(cohort, demo):
    for patient in [*cohort.patients, demo]:
        last = dt.datetime.combine(END, dt.time(23, 59), tzinfo=ZoneInfo(patient["patient"]["time_zone"]))
        for key in TIMED:
            for record in patient[key]:
                happened = dt.datetime.fromisoformat(_time_of(record))
                entered = dt.datetime.fromisoformat(record["entered_at"])
                assert happened <= entered <= last, (key, record)
                assert happened.utcoffset() == dt.timedelta(0)


def test_it_never_writes_future_times_with_the_default_end_date():
    patient = generate_patient(5, years=0.5).record
    now = dt.datetime.now(dt.UTC)
    stamps = [dt.datetime.fromisoformat(r["entered_at"]) for key in TIMED for r in patient[key]]
    assert stamps and max(stamps) <= now


def test_it_back_dates_some_entries_by_hours_or_days(cohort):
    delays = pd.Series(
        [
            (dt.datetime.fromisoformat(r["entered_at"]) - dt.datetime.fromisoformat(r["occurred_at"])).total_seconds()
            for r in cohort.patients[0]["pain_entries"]
        ]
    )
    assert (delays < 3600).mean() > 0.7
    assert (delays > 86400).any()


def test_it_sorts_every_list_by_time_then_id(cohort):
    for patient in cohort.patients:
        for key in TIMED:
            keys = [(_time_of(r), r["id"]) for r in patient[key]]
            assert keys == sorted(keys), key


def test_it_writes_several_entries_on_some_days_and_none_on_others(cohort):
    for patient in cohort.patients:
        zone = patient["patient"]["time_zone"]
        days = pd.to_datetime([r["occurred_at"] for r in patient["pain_entries"]]).tz_convert(zone).date
        per_day = pd.Series(days).value_counts()
        assert per_day.max() <= 4 and (per_day >= 2).any()
        assert len(per_day) < 1.5 * 365  # some diary days are empty
        assert 2 <= len({r["body_site"] for r in patient["pain_entries"]}) <= 3


def test_it_makes_mondays_worse_than_weekends_across_the_cohort(cohort):
    rows = [
        (pd.Timestamp(r["occurred_at"]).tz_convert(p["patient"]["time_zone"]).weekday(), r["nrs"])
        for p in cohort.patients
        for r in p["pain_entries"]
    ]
    frame = pd.DataFrame(rows, columns=["weekday", "nrs"])
    means = frame.groupby("weekday")["nrs"].mean()
    assert means[0] > means[6] + 0.3


def test_it_reports_labs_in_mixed_units_with_ranges_in_the_same_unit(cohort):
    labs = pd.DataFrame([r for p in cohort.patients for r in p["lab_results"]])
    ferritin_units = set(labs.loc[labs["analyte"] == "ferritin", "unit"])
    assert ferritin_units == {"ng/mL", "ug/L"}
    assert {"pg/mL", "pmol/L"} <= set(labs.loc[labs["analyte"] == "b12", "unit"])
    for analyte, group in labs.groupby("analyte"):
        spec = ANALYTES[str(analyte)]
        assert set(group["unit"]) <= {spec.us_unit, spec.si_unit}
        assert (group["ref_low"] < group["ref_high"]).all()
    b12 = labs[labs["analyte"] == "b12"]
    # The same analyte in pmol/L is about 0.74x the pg/mL number: ranges follow the unit.
    assert b12.loc[b12["unit"] == "pmol/L", "ref_high"].iloc[0] < b12.loc[b12["unit"] == "pg/mL", "ref_high"].iloc[0]


def test_it_uses_lab_units_that_the_lab_catalogue_understands():
    catalogue = pytest.importorskip("painwise.core.labs.catalogue")
    units = pytest.importorskip("painwise.core.labs.units")
    for analyte, spec in ANALYTES.items():
        entry = catalogue.get_analyte(analyte)
        for unit in (spec.us_unit, spec.si_unit):
            units.resolve_unit(entry, unit)


def test_it_mixes_dose_statuses_and_products_realistically(cohort):
    truths = cohort.truths
    doses = pd.DataFrame([d for p in cohort.patients for d in p["dose_events"]])
    assert set(doses["status"]) == {"taken", "skipped", "as_needed"}
    assert (doses.loc[doses["status"] != "skipped", "amount"] > 0).all()
    forms = {t["form"] for p in cohort.patients for t in p["therapies"] if t["kind"] == "kratom"}
    assert {"leaf_powder", "capsule"} <= forms
    assert any(t["kratom_user"] for t in truths) and any(t["modalities"] for t in truths)


def test_it_gives_the_demo_patient_everything_a_demo_needs(demo):
    kratom = {t["form"] for t in demo["therapies"] if t["kind"] == "kratom"}
    modalities = {s["modality"] for s in demo["therapy_sessions"]}
    draws = sorted({r["collected_at"][:10] for r in demo["lab_results"]})
    gaps = np.diff(pd.to_datetime(draws)).astype("timedelta64[D]").astype(int)
    shedding = [s for s in demo["side_effects"] if s["kind"] == "hair_shedding"]
    assert demo["patient"]["username"] == "demo-patient" and demo["patient"]["sex_at_birth"] == "female"
    assert {"capsule", "leaf_powder"} <= kratom
    assert modalities == {"physical_therapy", "cbt", "mindfulness"}
    assert 7 <= len(draws) <= 10 and gaps.mean() == pytest.approx(91, abs=15)
    assert shedding and all(s["ctcae_grade"] in (1, 2) and s["onset_date"] for s in shedding)


def test_it_generates_twelve_patients_of_two_years():
    # Generation speed is measured in bench/ (bench/research.py times 1,000 patients), never in a test.
    cohort = generate_cohort(12, 2, seed=1, end_date=END)
    assert len(cohort.patients) == 12
    assert len({p["patient"]["username"] for p in cohort.patients}) == 12


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_patients": 0}, "patients"),
        ({"years": 0.0}, "years"),
        ({"years": 11}, "years"),
        ({"effect_strength": -1}, "effect_strength"),
        ({"end_date": dt.date.today() + dt.timedelta(days=5)}, "end_date"),
        ({"usernames": ["a"]}, "usernames"),
    ],
)
def test_it_refuses_bad_arguments_naming_the_field(kwargs, field):
    arguments = {"n_patients": 2, "years": 1.0, "seed": 1, "end_date": END, **kwargs}
    with pytest.raises(DomainError) as error:
        generate_cohort(**arguments)
    assert error.value.field == field
