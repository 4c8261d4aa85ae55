"""Exposure arithmetic: worked examples plus properties that must hold for any dose history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painwise.core.errors import DomainError
from painwise.core.exposure import MITRAGYNINE_CONTENT_RANGE, Dose, Product, amount_text, exposure_series

START = dt.date(2025, 1, 1)
END = dt.date(2025, 2, 28)
POWDER = Product("powder", "leaf_powder", "g", None, None)
CAPSULE = Product("caps", "capsule", "capsule", 0.5, 16.0)
EXTRACT = Product("extract", "extract", "mL", None, None)
SEVEN_OH = Product("7oh", "7oh", "mg", None, None)
PRODUCTS = [POWDER, CAPSULE, EXTRACT, SEVEN_OH]
UNIT_OF = {p.id: p.unit for p in PRODUCTS}

doses_strategy = st.lists(
    st.builds(
        Dose,
        product_id=st.sampled_from([p.id for p in PRODUCTS]),
        day=st.dates(START, END),
        amount=st.floats(0, 20, allow_nan=False).map(lambda x: round(x, 3)),
        unit=st.just("g"),
        status=st.sampled_from(["taken", "skipped", "as_needed"]),
    ).map(lambda d: Dose(d.product_id, d.day, d.amount, UNIT_OF[d.product_id], d.status)),
    max_size=200,
)


def test_it_converts_powder_and_capsules_to_leaf_grams_and_mitragynine():
    doses = [
        Dose("powder", START, 3.0, "g", "taken"),
        Dose("caps", START, 4, "capsule", "as_needed"),
        Dose("caps", START, 10, "capsule", "skipped"),
    ]
    day = exposure_series(PRODUCTS, doses, START, START).summary.iloc[0]
    assert day["leaf_g"] == pytest.approx(5.0)
    # Capsules: 2 g leaf x 16 mg/g exactly; powder: 3 g x the measured-product range.
    assert day["mitragynine_mg_known"] == pytest.approx(32.0)
    assert day["mitragynine_mg_low"] == pytest.approx(32.0 + 3 * MITRAGYNINE_CONTENT_RANGE.low_mg_per_g)
    assert day["mitragynine_mg_high"] == pytest.approx(32.0 + 3 * MITRAGYNINE_CONTENT_RANGE.high_mg_per_g)
    assert not day["mitragynine_exact"]


def test_it_keeps_unconvertible_amounts_in_their_own_unit_and_says_so():
    result = exposure_series(PRODUCTS, [Dose("extract", START, 5.0, "mL", "taken")], START, END)
    assert result.units_without_leaf_equivalent == {"mL": 5.0}
    assert result.summary["leaf_g"].sum() == 0
    assert result.summary["unconverted_mL"].sum() == 5.0
    assert any("could not be converted" in note for note in result.notes)


def test_it_tracks_7oh_separately_without_a_mitragynine_estimate():
    doses = [Dose("7oh", START, 15.0, "mg", "taken"), Dose("7oh", START, 15.0, "mg", "taken")]
    result = exposure_series(PRODUCTS, doses, START, END)
    first = result.summary.iloc[0]
    assert result.has_7oh is True
    assert (first["seven_oh_doses"], first["seven_oh_mg"]) == (2, 30.0)
    assert first["leaf_g"] == 0 and first["mitragynine_mg_high"] == 0
    assert result.to_dict()["has_7oh"] is True


def test_it_shows_has_7oh_false_when_no_7oh_product_is_recorded():
    result = exposure_series([POWDER], [Dose("powder", START, 2.0, "g", "taken")], START, END)
    assert result.has_7oh is False
    assert result.to_dict()["has_7oh"] is False


def test_it_counts_doses_before_the_window_towards_cumulative_exposure():
    doses = [Dose("powder", START - dt.timedelta(days=10), 4.0, "g", "taken"), Dose("powder", END, 1.0, "g", "taken")]
    result = exposure_series(PRODUCTS, doses, START, END)
    assert result.summary.index[0].date() == START
    assert result.summary["leaf_g_cumulative"].iloc[0] == 4.0
    assert result.cumulative_leaf_g == 5.0


def test_it_leaves_rolling_averages_empty_until_a_full_window_is_covered():
    result = exposure_series(PRODUCTS, [Dose("powder", START, 7.0, "g", "taken")], START, END)
    rolling = result.summary["leaf_g_rolling_7d"]
    assert rolling.iloc[:6].isna().all()
    assert rolling.iloc[6] == pytest.approx(1.0)
    assert result.to_dict()["days"][0]["leaf_g_rolling_7d"] is None


def test_it_refuses_doses_of_unknown_products_with_a_helpful_message():
    with pytest.raises(DomainError, match="unknown product nope"):
        exposure_series(PRODUCTS, [Dose("nope", START, 1.0, "g", "taken")], START, END)


def test_it_has_no_dose_banding_anywhere():
    result = exposure_series(PRODUCTS, [Dose("powder", START, 30.0, "g", "taken")], START, END)
    text = repr(result.to_dict()).lower() + " ".join(result.summary.columns)
    assert not any(word in text for word in ("low dose", "moderate", "high dose", "band"))


def test_it_computes_five_years_of_doses():
    # Speed belongs in bench/ (shared machines are noisy); this checks the five-year arithmetic.
    rng = np.random.default_rng(7)
    doses = [
        Dose("powder", START + dt.timedelta(days=int(day)), 2.0, "g", "taken") for day in rng.integers(0, 1826, 10_000)
    ]
    result = exposure_series(PRODUCTS, doses, START, START + dt.timedelta(days=1825))
    assert len(result.summary) == 1826
    assert result.cumulative_leaf_g == pytest.approx(20_000.0)


@settings(max_examples=60, deadline=None)
@given(doses_strategy)
def test_it_keeps_cumulative_non_decreasing_and_equal_to_the_sum_of_daily(doses):
    summary = exposure_series(PRODUCTS, doses, START, END).summary
    cumulative = summary["leaf_g_cumulative"].to_numpy()
    assert np.all(np.diff(cumulative) >= -1e-9)
    assert cumulative[-1] == pytest.approx(summary["leaf_g"].sum())


@settings(max_examples=60, deadline=None)
@given(doses_strategy)
def test_it_never_lets_a_rolling_average_exceed_the_largest_day(doses):
    summary = exposure_series(PRODUCTS, doses, START, END).summary
    for column in ("leaf_g_rolling_7d", "leaf_g_rolling_28d"):
        assert (summary[column].dropna() <= summary["leaf_g"].max() + 1e-9).all()


@settings(max_examples=60, deadline=None)
@given(doses_strategy)
def test_it_ignores_skipped_doses(doses):
    with_skipped = exposure_series(PRODUCTS, doses, START, END).summary
    without = exposure_series(PRODUCTS, [d for d in doses if d.status != "skipped"], START, END).summary
    shared = ["leaf_g", "leaf_g_cumulative", "mitragynine_mg_low", "mitragynine_mg_high", "seven_oh_doses"]
    assert np.allclose(with_skipped[shared].to_numpy(float), without[shared].to_numpy(float))


@settings(max_examples=60, deadline=None)
@given(doses_strategy, st.floats(0.1, 10))
def test_it_keeps_the_mitragynine_interval_ordered_and_linear_in_grams(doses, factor):
    base = exposure_series(PRODUCTS, doses, START, END).summary
    scaled_doses = [Dose(d.product_id, d.day, d.amount * factor, d.unit, d.status) for d in doses]
    scaled = exposure_series(PRODUCTS, scaled_doses, START, END).summary
    assert (base["mitragynine_mg_low"] <= base["mitragynine_mg_high"] + 1e-9).all()
    assert np.allclose(scaled["mitragynine_mg_low"], base["mitragynine_mg_low"] * factor)
    assert np.allclose(scaled["mitragynine_mg_high"], base["mitragynine_mg_high"] * factor)
    assert np.allclose(scaled["leaf_g"], base["leaf_g"] * factor)


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [("2.500", "g", "2.5 g"), ("1", "capsule", "1 capsule"), ("5", "capsule", "5 capsules"),
     ("0.5", "capsule", "0.5 capsules"), ("10", "mL", "10 mL"), ("100.000", "mg", "100 mg")],
)  # fmt: skip
def test_it_writes_a_dose_amount_as_people_do(amount, unit, text):
    assert amount_text(Decimal(amount), unit) == text
