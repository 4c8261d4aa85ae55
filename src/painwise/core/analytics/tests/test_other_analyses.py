"""Modality effects, dose-response bins and result objects on small hand-built records."""

# mypy: disable-error-code="union-attr,operator"

import datetime as dt
import json

import numpy as np
import pytest

from painwise.core.analytics import dose_response, hair_timeline, insights, modality_effects
from painwise.core.analytics.tests.builders import days, document, pain
from painwise.core.snapshot import snapshot_from_export

START = dt.date(2025, 3, 3)
PRODUCT = {"id": "k1", "kind": "kratom", "name": "Leaf powder", "start_date": "2025-01-01", "stop_date": None,
           "form": "leaf_powder", "unit": "g"}  # fmt: skip


def dose(day, grams, n=0):
    moment = dt.datetime.combine(day, dt.time(15, n), tzinfo=dt.UTC).isoformat()
    return {"id": f"d-{day}-{n}", "occurred_at": moment, "product_id": "k1", "amount": grams, "unit": "g",
            "status": "taken"}  # fmt: skip


def session(day, modality="physical_therapy"):
    moment = dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC).isoformat()
    return {"id": f"s-{day}-{modality}", "occurred_at": moment, "modality": modality, "minutes": 45, "status": "done"}


def test_a_planted_session_effect_is_recovered_with_its_interval():
    rng = np.random.default_rng(2)
    n = 120
    session_days = rng.random(n) < 0.4
    noise = np.zeros(n)
    for t in range(1, n):
        noise[t] = 0.4 * noise[t - 1] + rng.normal(0, 0.7)
    values = np.clip(np.rint(6 - 1.5 * session_days + noise), 0, 10).astype(int)
    entries = [pain(d, int(v)) for d, v in zip(days(START, n), values, strict=True)]
    sessions = [session(d) for d, s in zip(days(START, n), session_days, strict=True) if s]
    result = modality_effects(snapshot_from_export(document(pain_entries=entries, therapy_sessions=sessions)))
    pt = next(e for e in result.effects if e["modality"] == "physical_therapy" and e["outcome"] == "same_day")
    assert pt["status"] == "ok"
    assert pt["ci_low"] < -1.5 < pt["ci_high"] < 0
    assert pt["n_days"] == n
    cbt = next(e for e in result.effects if e["modality"] == "cbt" and e["outcome"] == "same_day")
    assert cbt["status"] == "insufficient_data"
    assert "needs at least 7 days with and 7 without CBT sessions; has 0 with" in cbt["missing"]
    assert list(result.summary.columns[:4]) == ["modality", "outcome", "status", "estimate"]
    assert "<title" in result.chart() and "<desc" in result.chart()


def test_too_few_days_give_not_enough_data_rather_than_noise():
    entries = [pain(d, 5) for d in days(START, 20)]
    result = modality_effects(snapshot_from_export(document(pain_entries=entries)))
    assert result.status == "insufficient_data"
    assert all(e["estimate"] is None for e in result.effects)
    assert "needs at least 28 days" in result.effects[0]["missing"]


def test_dose_response_bins_count_days_and_average_pain():
    entries, doses = [], []
    for k, day in enumerate(days(START, 40)):
        grams = 0 if k < 8 else (2 if k < 24 else 6)
        entries.append(pain(day, 3 if grams == 0 else (4 if grams == 2 else 7)))
        if grams:
            doses.append(dose(day, grams))
    doc = document(therapies=[PRODUCT], pain_entries=entries, dose_events=doses)
    result = dose_response(snapshot_from_export(doc))
    bins = result.to_dict()["bins"]
    assert bins[0]["bin"] == "none" and bins[0]["days"] == 8 and bins[0]["mean_pain"] == 3
    assert sum(b["days"] for b in bins) == 40
    assert bins[-1]["mean_pain"] == 7
    assert "not a recommended dose" in result.sentence
    assert "not a recommended dose" in result.to_dict()["disclaimer"]


def test_dose_response_without_kratom_says_what_is_missing():
    result = dose_response(snapshot_from_export(document(pain_entries=[pain(START, 4)])))
    assert result.status == "insufficient_data" and "kratom" in result.missing


def test_hair_timeline_without_shedding_says_so():
    result = hair_timeline(snapshot_from_export(document(pain_entries=[pain(START, 4)])))
    assert result.status == "insufficient_data" and result.episodes == []


def test_insights_is_json_ready_and_every_chart_is_accessible_svg():
    rng = np.random.default_rng(4)
    entries = [pain(d, int(v)) for d, v in zip(days(START, 150), rng.integers(2, 8, 150), strict=True)]
    result = insights(snapshot_from_export(document(pain_entries=entries)))
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert set(json.loads(text)) == {"response", "peg", "modalities", "dose_response", "hair_timeline", "change_points"}
    for part in (result.response, result.peg, result.modalities, result.dose_response, result.hair_timeline,
                 result.change_points):  # fmt: skip
        chart = part.chart()
        assert chart.startswith("<svg") and 'role="img"' in chart and "<desc" in chart


def test_no_result_tells_the_patient_to_change_a_dose():
    rng = np.random.default_rng(6)
    entries, doses = [], []
    for day in days(START, 90):
        entries.append(pain(day, int(rng.integers(2, 8))))
        doses.append(dose(day, float(rng.choice([2, 4, 6]))))
    doc = document(therapies=[PRODUCT], pain_entries=entries, dose_events=doses)
    data = json.dumps(insights(snapshot_from_export(doc)).to_dict()).lower()
    for phrase in ("increase your", "take more", "you should take", "raise your dose", "recommended dose is"):
        assert phrase not in data


@pytest.mark.parametrize("as_of", [dt.date(2025, 5, 1)])
def test_as_of_limits_every_analysis_to_the_days_up_to_it(as_of):
    entries = [pain(d, 5) for d in days(START, 150)]
    result = insights(snapshot_from_export(document(pain_entries=entries)), as_of=as_of)
    assert result.response.current.end == as_of
    assert result.change_points.weekly.index.max() <= as_of


def test_the_hac_fit_matches_statsmodels():
    import pandas as pd
    import statsmodels.api as sm

    from painwise.core.analytics.modalities import fit, hac_lags

    rng = np.random.default_rng(8)
    n = 200
    days_index = pd.DatetimeIndex(pd.date_range("2025-01-01", periods=n + 20, freq="D")[rng.permutation(n + 20)[:n]])
    days_index = days_index.sort_values()
    exposure = rng.poisson(1.0, n).astype(float)
    pain = 5 - 0.4 * exposure + rng.normal(0, 1, n)
    mine = fit(pain, exposure, days_index)
    dow = (np.asarray(days_index.dayofweek)[:, None] == np.arange(1, 7)[None, :]).astype(float)
    trend = np.asarray((days_index - days_index[0]).days, dtype=float) / 365.25
    design = np.column_stack([np.ones(n), exposure, dow, trend])
    model = sm.OLS(pain, design).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags(n), "use_correction": True})
    low, high = model.conf_int(alpha=0.05)[1]
    assert mine["estimate"] == pytest.approx(model.params[1])
    assert mine["ci_low"] == pytest.approx(low) and mine["ci_high"] == pytest.approx(high)
    assert mine["p_value"] == pytest.approx(model.pvalues[1])


def test_a_planted_dose_pain_gradient_shows_in_the_bins():
    # Planted (fictional): pain rises 0.4 points per gram; amounts 1-12 g; 20 days without use.
    rng = np.random.default_rng(12)
    entries, doses = [], []
    for k, day in enumerate(days(START, 200)):
        grams = 0.0 if k % 10 == 0 else float(rng.integers(1, 13))
        entries.append(pain(day, int(np.clip(np.rint(3 + 0.4 * grams + rng.normal(0, 0.7)), 0, 10))))
        if grams:
            doses.append(dose(day, grams))
    result = dose_response(snapshot_from_export(document(therapies=[PRODUCT], pain_entries=entries, dose_events=doses)))
    bins = result.bins
    assert bins[0]["bin"] == "none" and bins[0]["days"] == 20
    means = [b["mean_pain"] for b in bins]
    assert means == sorted(means)
    assert means[-1] - means[1] > 2
    assert sum(b["days"] for b in bins) == 200
