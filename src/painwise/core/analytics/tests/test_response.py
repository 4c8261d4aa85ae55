"""Response vs baseline: the issue's exact definitions (known answers) and a planted step change."""

# mypy: disable-error-code="union-attr,operator"

import datetime as dt

import numpy as np
import pytest

from painwise.core.analytics import category_for, peg_vs_baseline, response_vs_baseline
from painwise.core.analytics.bootstrap import block_length, difference_interval
from painwise.core.analytics.tests.builders import days, document, pain
from painwise.core.errors import DomainError
from painwise.core.snapshot import snapshot_from_export

START = dt.date(2026, 1, 5)


def record(baseline_values, current_values, *, gap_days=60):
    entries = [pain(d, v) for d, v in zip(days(START, len(baseline_values)), baseline_values, strict=True)]
    later = START + dt.timedelta(days=14 + gap_days)
    entries += [pain(d, v) for d, v in zip(days(later, len(current_values)), current_values, strict=True)]
    return snapshot_from_export(document(pain_entries=entries))


@pytest.mark.parametrize(
    ("percent", "category"),
    [
        (-50.0, "substantial"),
        (-75.0, "substantial"),
        (-49.99, "moderate"),
        (-30.0, "moderate"),
        (-29.9, "minimal"),
        (-10.0, "minimal"),
        (-9.99, "no_improvement"),
        (0.0, "no_improvement"),
        (25.0, "no_improvement"),
        (None, "insufficient_data"),
    ],
)
def test_it_puts_percent_changes_in_immpact_categories(percent, category):
    assert category_for(percent) == category


def test_it_computes_the_window_means_change_and_percent_exactly():
    result = response_vs_baseline(record([6] * 14, [3] * 14))
    data = result.to_dict()
    assert data["baseline"] == {"start": "2026-01-05", "end": "2026-01-18", "days_with_entries": 14, "mean_nrs": 6.0}
    assert data["current"]["end"] == (START + dt.timedelta(days=74 + 13)).isoformat()
    assert data["current"]["days_with_entries"] == 14
    assert data["change"] == -3.0
    assert data["percent_change"] == -50.0
    assert data["category"] == "substantial"


def test_a_window_mean_is_the_mean_of_daily_means_not_of_entries():
    # Day 1 has three entries (2, 2, 8 -> daily mean 4); the other 13 days one entry of 6 each.
    # Mean of entries would be (2+2+8+13*6)/16 = 5.625; the mean of daily means is (4+13*6)/14.
    first = START
    entries = [pain(first, 2, hour_utc=14), pain(first, 2, hour_utc=18), pain(first, 8, hour_utc=20)]
    entries += [pain(d, 6) for d in days(first + dt.timedelta(days=1), 13)]
    entries += [pain(d, 5) for d in days(first + dt.timedelta(days=100), 14)]
    result = response_vs_baseline(snapshot_from_export(document(pain_entries=entries)))
    assert result.baseline.mean_nrs == pytest.approx((4 + 13 * 6) / 14)


def test_days_are_the_patients_local_days():
    # 03:00 UTC on 19 Jan is 22:00 on 18 Jan in New York: inside the baseline window ending 18 Jan.
    entries = [pain(d, 5) for d in days(START, 7)]
    entries.append(pain(dt.date(2026, 1, 19), 9, hour_utc=3))
    entries += [pain(d, 4) for d in days(START + dt.timedelta(days=90), 14)]
    result = response_vs_baseline(snapshot_from_export(document(pain_entries=entries)))
    assert result.baseline.days_with_entries == 8
    assert result.baseline.mean_nrs == pytest.approx((7 * 5 + 9) / 8)


def test_it_says_what_is_missing_when_a_window_has_fewer_than_seven_days():
    result = response_vs_baseline(record([6] * 4, [3] * 14))
    data = result.to_dict()
    assert data["category"] == "insufficient_data"
    assert data["change"] is None and data["percent_change"] is None and data["ci_low"] is None
    assert data["baseline"]["days_with_entries"] == 4
    assert "needs at least 7 days with pain entries in each window; the baseline has 4" in data["missing"]


def test_seven_days_in_each_window_is_enough():
    result = response_vs_baseline(record([6] * 7, [5] * 7))
    assert result.category == "minimal" and result.change == pytest.approx(-1.0)


def test_a_baseline_below_one_is_insufficient():
    result = response_vs_baseline(record([0] * 10 + [1] * 4, [0] * 14))
    assert result.category == "insufficient_data"
    assert result.change is None
    assert "below 1" in result.missing


def test_as_of_and_baseline_start_move_the_windows():
    snap = record([6] * 14, [3] * 14)
    result = response_vs_baseline(snap, as_of=START + dt.timedelta(days=13), baseline_start=START)
    assert result.current.start == START and result.current.end == START + dt.timedelta(days=13)
    assert result.change == 0.0 and result.category == "no_improvement"


def test_as_of_before_the_baseline_start_is_an_error_naming_the_field():
    snap = record([6] * 14, [3] * 14)
    with pytest.raises(DomainError) as error:
        response_vs_baseline(snap, as_of=START, baseline_start=START + dt.timedelta(days=3))
    assert error.value.field == "as_of"


def test_no_pain_entries_says_so():
    result = response_vs_baseline(snapshot_from_export(document()))
    data = result.to_dict()
    assert data["category"] == "insufficient_data"
    assert data["baseline"]["start"] is None
    assert "none" in data["missing"]


def test_the_interval_is_deterministic_and_contains_the_change():
    rng = np.random.default_rng(3)
    snap = record(list(rng.integers(4, 9, 14)), list(rng.integers(2, 7, 14)))
    first, second = response_vs_baseline(snap), response_vs_baseline(snap)
    assert (first.ci_low, first.ci_high) == (second.ci_low, second.ci_high)
    assert first.ci_low < first.change < first.ci_high


def test_constant_windows_give_a_zero_width_interval_at_the_change():
    result = response_vs_baseline(record([6] * 14, [3] * 14))
    assert result.ci_low == pytest.approx(-3.0) and result.ci_high == pytest.approx(-3.0)


def test_the_block_bootstrap_widens_the_interval_for_autocorrelated_days():
    # A slow oscillation (strong day-to-day correlation) vs the same values shuffled: the block
    # bootstrap must give the correlated series a wider interval than the shuffled one would by iid logic.
    wave = 5 + 2 * np.sin(np.arange(14) / 14 * 2 * np.pi)
    flat = np.full(14, 5.0)
    low, high = difference_interval(flat, wave)
    rng = np.random.default_rng(0)
    iid = [np.mean(rng.choice(wave, 14)) - 5 for _ in range(4000)]
    assert block_length(14) == 3
    assert high - low > 0.8 * (np.percentile(iid, 97.5) - np.percentile(iid, 2.5))


def test_a_planted_step_is_recovered_with_an_interval_excluding_zero():
    # Planted truth: AR(1) noise around 6.5, then a step down of 3.5 points (fictional data).
    rng = np.random.default_rng(11)
    noise = np.zeros(120)
    for t in range(1, 120):
        noise[t] = 0.5 * noise[t - 1] + rng.normal(0, 0.8)
    level = np.where(np.arange(120) < 60, 6.5, 3.0)
    values = np.clip(np.rint(level + noise), 0, 10).astype(int)
    entries = [pain(d, int(v)) for d, v in zip(days(START, 120), values, strict=True)]
    result = response_vs_baseline(snapshot_from_export(document(pain_entries=entries)))
    assert result.category in ("substantial", "moderate")
    assert result.ci_high < 0
    assert result.ci_low < -3.5 < result.ci_high or abs(result.change + 3.5) < 1


def peg_row(day, total, n):
    moment = dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC).isoformat()
    return {"id": f"q{n}", "code": "peg", "answers": [total] * 3, "completed_at": moment, "total": total,
            "band": None, "subscales": {}, "flags": [], "answered": 3}  # fmt: skip


def test_peg_uses_the_same_windows_and_says_when_an_interval_is_not_possible():
    snap = record([6] * 14, [3] * 14)
    later = START + dt.timedelta(days=74)
    rows = [peg_row(START, 7, 1), peg_row(START + dt.timedelta(days=7), 6, 2)]
    rows += [peg_row(later, 4, 3), peg_row(later + dt.timedelta(days=7), 3, 4)]
    doc = document(
        pain_entries=[pain(p.day, p.nrs) for p in snap.pain],
        questionnaire_responses=rows,
    )
    result = peg_vs_baseline(snapshot_from_export(doc))
    data = result.to_dict()
    assert data["baseline"]["mean_nrs"] == 6.5 and data["current"]["mean_nrs"] == 3.5
    assert data["change"] == -3.0
    assert data["category"] == "moderate"
    assert data["ci_low"] is None and "at least 3" in data["missing_interval"]
