"""An analysis of the exported data recovers each planted (FICTIONAL) effect, and finds none when
effect_strength is 0. Works only from the export documents, as a researcher would."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy.stats import fisher_exact

from painwise.core.exposure import Dose, Product, exposure_series
from painwise.core.synth import EffectParameters, generate_cohort

END = dt.date(2026, 10, 31)
N_PATIENTS, YEARS, SEED = 60, 2.0, 20261125
# Conversion to one unit per analyte, local to the test on purpose (clinical_reference.md §3 factors).
TO_US = {
    ("ferritin", "ng/mL"): 1.0, ("ferritin", "ug/L"): 1.0,
    ("b12", "pg/mL"): 1.0, ("b12", "pmol/L"): 1 / 0.7378,
    ("testosterone", "ng/dL"): 1.0, ("testosterone", "nmol/L"): 1 / 0.0347,
}  # fmt: skip
PARAMS = EffectParameters()
# An onset is drawn in the month after the 60-120 day lag window, so look 60-135 days after a draw.
ONSET_WINDOW = (60, 135)


def _tables(patients: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lab draws with cumulative leaf exposure at the draw, and hair-shedding onsets."""
    labs, onsets = [], []
    for patient in patients:
        zone, who = patient["patient"]["time_zone"], patient["patient"]["username"]
        products = [
            Product(t["id"], t["form"], t["unit"], t["leaf_g_per_unit"], t["mitragynine_mg_per_g"])
            for t in patient["therapies"]
            if t["kind"] == "kratom"
        ]
        dose_days = pd.to_datetime([d["occurred_at"] for d in patient["dose_events"]], utc=True).tz_convert(zone).date
        doses = [
            Dose(d["product_id"], day, d["amount"], d["unit"], d["status"])
            for d, day in zip(patient["dose_events"], dose_days, strict=True)
        ]
        results = [r for r in patient["lab_results"] if r["analyte"] in ("ferritin", "b12", "testosterone")]
        draw_days = pd.to_datetime([r["collected_at"] for r in results]).tz_convert(zone).tz_localize(None).normalize()
        start = min(draw_days).date()
        cumulative = exposure_series(products, doses, start, END).summary["leaf_g_cumulative"]
        for result, day in zip(results, draw_days, strict=True):
            value = result["value"] * TO_US[(result["analyte"], result["unit"])]
            labs.append((who, result["analyte"], day, value, cumulative.loc[day] / 1000))
        onsets += [
            (who, pd.Timestamp(s["onset_date"])) for s in patient["side_effects"] if s["kind"] == "hair_shedding"
        ]
    return (
        pd.DataFrame(labs, columns=["patient", "analyte", "day", "value", "cum_kg"]),
        pd.DataFrame(onsets, columns=["patient", "onset"]),
    )


def _exposure_slope(labs: pd.DataFrame, analyte: str) -> tuple[float, float]:
    """log(value) on cumulative kg with a fixed effect per patient; SEs clustered by patient."""
    frame = labs[labs["analyte"] == analyte].assign(log_value=lambda f: np.log(f["value"]))
    fit = smf.ols("log_value ~ cum_kg + C(patient)", frame).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(frame["patient"])[0]}
    )
    return float(fit.params["cum_kg"]), float(fit.pvalues["cum_kg"])


def _shedding_after_low_ferritin(labs: pd.DataFrame, onsets: pd.DataFrame) -> tuple[float, float]:
    """Rate ratio (and Fisher p) of an onset 2-4 months after a ferritin draw below the threshold vs above."""
    draws = labs[
        (labs["analyte"] == "ferritin") & (labs["day"] <= pd.Timestamp(END) - pd.Timedelta(days=ONSET_WINDOW[1]))
    ]
    by_patient = {who: group["onset"].to_numpy() for who, group in onsets.groupby("patient")}
    shed = []
    for who, day in zip(draws["patient"], draws["day"], strict=True):
        gaps = (by_patient.get(who, np.array([], dtype="datetime64[ns]")) - day.to_datetime64()) / np.timedelta64(
            1, "D"
        )
        shed.append(bool(((gaps > ONSET_WINDOW[0]) & (gaps <= ONSET_WINDOW[1])).any()))
    low = (draws["value"] < PARAMS.ferritin_threshold_ng_ml).to_numpy()
    shed_arr = np.array(shed)
    table = [[int((low & shed_arr).sum()), int((low & ~shed_arr).sum())],
             [int((~low & shed_arr).sum()), int((~low & ~shed_arr).sum())]]  # fmt: skip
    ratio = (shed_arr[low].mean() + 1e-9) / (shed_arr[~low].mean() + 1e-9)
    return float(ratio), float(fisher_exact(table).pvalue)


@pytest.fixture(scope="module")
def planted():
    cohort = generate_cohort(N_PATIENTS, YEARS, SEED, effect_strength=1.0, end_date=END)
    return _tables(cohort.patients)


@pytest.fixture(scope="module")
def null():
    cohort = generate_cohort(N_PATIENTS, YEARS, SEED, effect_strength=0.0, end_date=END)
    return _tables(cohort.patients)


def test_it_recovers_the_ferritin_drop_with_cumulative_exposure(planted):
    slope, p = _exposure_slope(planted[0], "ferritin")
    assert p < 0.01
    assert slope == pytest.approx(-PARAMS.beta_per_leaf_kg, rel=0.35)


def test_it_recovers_more_shedding_two_to_four_months_after_low_ferritin(planted):
    ratio, p = _shedding_after_low_ferritin(*planted)
    assert p < 0.01
    assert ratio > 2


def test_it_finds_no_b12_or_testosterone_effect_of_exposure_where_none_was_planted(planted):
    for analyte in ("b12", "testosterone"):
        slope, p = _exposure_slope(planted[0], analyte)
        assert p > 0.05, analyte
        assert abs(slope) < 0.25 * PARAMS.beta_per_leaf_kg, analyte


def test_it_finds_no_ferritin_effect_without_planted_effects(null):
    slope, p = _exposure_slope(null[0], "ferritin")
    assert p > 0.05
    assert abs(slope) < 0.25 * PARAMS.beta_per_leaf_kg


def test_it_finds_no_shedding_excess_after_low_ferritin_without_planted_effects(null):
    ratio, p = _shedding_after_low_ferritin(*null)
    assert p > 0.05
    assert ratio < 2
