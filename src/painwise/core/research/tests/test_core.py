"""De-identification rules, the small Cox fit, suppression and the errors that say what is missing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from painwise.core.errors import DomainError
from painwise.core.research.analyses import lab_exposure, mediation, shedding_exposure, survival_table
from painwise.core.research.cohort import age_band, age_from_band, load_cohort, load_documents
from painwise.core.research.cox import fit_cox
from painwise.core.research.deid import deidentify
from painwise.core.research.tables import suppress
from painwise.core.synth import generate_cohort

END = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def docs():
    return generate_cohort(6, 0.75, 3, effect_strength=1.0, end_date=END).patients


def _times(doc, section="pain_entries", key="occurred_at"):
    return [dt.datetime.fromisoformat(r[key]) for r in doc[section]]


def test_it_shifts_every_date_by_the_same_days_and_keeps_local_times(docs):
    doc = docs[0]
    clean = deidentify(doc, study_id="S1", shift_days=-40, rng=np.random.default_rng(1))
    zone = doc["patient"]["time_zone"]
    from zoneinfo import ZoneInfo

    original = [t.astimezone(ZoneInfo(zone)).replace(tzinfo=None) for t in _times(doc)]
    shifted = [t.replace(tzinfo=None) for t in _times(clean)]
    assert all(b - a == dt.timedelta(days=-40) for a, b in zip(original, shifted, strict=True))
    for before, after in zip(doc["side_effects"], clean["side_effects"], strict=True):
        if before["onset_date"]:
            assert dt.date.fromisoformat(after["onset_date"]) == dt.date.fromisoformat(
                before["onset_date"]
            ) - dt.timedelta(days=40)


def test_it_removes_identity_free_text_and_unknown_fields(docs):
    doc = json.loads(json.dumps(docs[1]))
    doc["pain_entries"][0]["note"] = "my neighbour Jane drove me"
    doc["pain_entries"][0]["gps"] = "51.5,-0.1"  # a field nobody reviewed
    doc["future_section"] = [{"id": "x", "secret": "y"}]
    clean = deidentify(doc, study_id="S2", shift_days=10, rng=np.random.default_rng(2))
    text = json.dumps(clean)
    assert doc["patient"]["username"] not in text and doc["patient"]["date_of_birth"] not in text
    assert "Jane" not in text and "gps" not in text and "future_section" not in text
    assert clean["patient"] == {
        "id": "S2", "username": "S2", "date_of_birth": None, "age_band": clean["patient"]["age_band"],
        "sex_at_birth": doc["patient"]["sex_at_birth"], "time_zone": "UTC",
        "created_at": clean["patient"]["created_at"],
    }  # fmt: skip
    assert not {r["id"] for r in doc["dose_events"]} & {r["id"] for r in clean["dose_events"]}
    products = {t["id"] for t in clean["therapies"] if t["kind"] == "kratom"}
    assert {d["product_id"] for d in clean["dose_events"]} <= products


def test_age_bands_are_ten_years_and_top_coded():
    assert [age_band(a) for a in (19, 30, 49.9, 79.9, 93)] == ["18-29", "30-39", "40-49", "70-79", "80+"]
    assert age_from_band("40-49") == 45 and age_from_band("80+") == 85
    with pytest.raises(DomainError):
        age_from_band("old")


def test_the_small_cox_fit_agrees_with_lifelines(docs):
    from lifelines import CoxTimeVaryingFitter

    rng = np.random.default_rng(4)
    rows = []
    for i in range(150):
        x = 0.0
        for k in range(20):
            x += rng.random() * 0.4
            event = rng.random() < 0.02 * np.exp(0.4 * x)
            rows.append((i, 30 * k, 30 * k + 30 - (7 if event else 0), int(event), x, rng.normal()))
            if event:
                break
    frame = pd.DataFrame(rows, columns=["id", "start", "stop", "event", "x", "z"])
    ours = fit_cox(
        frame[["x", "z"]].to_numpy(), frame["start"].to_numpy(), frame["stop"].to_numpy(), frame["event"].to_numpy()
    )
    theirs = CoxTimeVaryingFitter().fit(frame, id_col="id", start_col="start", stop_col="stop", event_col="event")
    assert ours.converged
    assert ours.coef == pytest.approx(theirs.params_.to_numpy(), abs=0.02)
    assert ours.se == pytest.approx(theirs.standard_errors_.to_numpy(), rel=0.05)


def test_suppression_blanks_counts_from_one_to_four_only():
    table = suppress(pd.DataFrame({"n": [0, 1, 4, 5, 12]}), ["n"])
    assert table["n"].tolist()[0] == 0 and table["n"].isna().tolist() == [False, True, True, False, False]
    assert table["suppressed"].tolist() == [False, True, True, False, False]


def test_errors_say_what_is_missing(docs):
    cohort = load_documents((Path(d["patient"]["username"]), d) for d in docs[:2])
    with pytest.raises(DomainError) as error:
        lab_exposure(cohort, "ferritin")
    assert "at least 3 patients" in error.value.message and error.value.field == "lab_results"
    no_onsets = cohort.subset(cohort.patients["patient"])
    no_onsets.patients["first_onset"] = pd.NaT
    for analysis in (shedding_exposure, mediation):
        with pytest.raises(DomainError) as error:
            analysis(no_onsets)
        assert "hair-shedding onsets" in error.value.message and "found 0" in error.value.message


def test_the_survival_table_stops_at_the_first_onset_and_leaves_out_prevalent_shedding(docs):
    cohort = load_documents((Path(d["patient"]["username"]), d) for d in docs)
    patients = cohort.patients.copy()
    patients.loc[0, "first_onset"] = patients.loc[0, "start"] + pd.Timedelta(days=100)
    patients.loc[1, "first_onset"] = patients.loc[1, "start"]
    cohort.patients = patients
    table, excluded = survival_table(cohort)
    first = table[table["id"] == patients.loc[0, "patient"]]
    assert first["stop"].max() == 100 and first["event"].tolist() == [0, 0, 0, 1]
    assert excluded["shedding_at_start"] == 1 and patients.loc[1, "patient"] not in set(table["id"])


def test_loading_a_folder_names_what_is_wrong(tmp_path):
    with pytest.raises(DomainError, match="no patients/ folder"):
        load_cohort(tmp_path)
    (tmp_path / "patients").mkdir()
    (tmp_path / "patients" / "a.json").write_text('{"format": "other"}')
    with pytest.raises(DomainError, match="format must be one of"):
        load_cohort(tmp_path)
