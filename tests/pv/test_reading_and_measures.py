"""Reading the long table (errors name file, line, column; nothing written), counting, and the measures."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from painwise.core.pv import counting, measures, mgps, signals
from painwise.core.pv.errors import PVInputError

# Five reports. Report 1 lists KRATOM twice (it must count once).
ROWS = [
    ("1", "KRATOM", "ALOPECIA", "F"),
    ("1", "KRATOM", "ALOPECIA", "F"),
    ("1", "KRATOM", "NAUSEA", "F"),
    ("2", "KRATOM", "ALOPECIA", "M"),
    ("3", "IBUPROFEN", "NAUSEA", "F"),
    ("4", "IBUPROFEN", "ALOPECIA", "M"),
    ("5", "IBUPROFEN", "NAUSEA", "M"),
]


def write(path: Path, rows=ROWS, header="id,var1,var2,sex") -> Path:
    path.write_text(header + "\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_it_counts_distinct_reports_and_expected_counts(tmp_path):
    raw = signals.count(write(tmp_path / "t.csv"))
    pairs = raw.pairs.set_index(["var1", "var2"])
    assert raw.total == 5
    assert pairs.loc[("KRATOM", "ALOPECIA"), "N"] == 2  # report 1 counted once
    assert pairs.loc[("KRATOM", "ALOPECIA"), "n1"] == 2
    assert pairs.loc[("KRATOM", "ALOPECIA"), "n2"] == 3
    e = dict(zip(zip(raw.pairs["var1"], raw.pairs["var2"], strict=True), counting.expected(raw), strict=True))
    assert e[("KRATOM", "ALOPECIA")] == pytest.approx(2 * 3 / 5)


def test_it_sums_expected_counts_over_strata(tmp_path):
    raw = signals.count(write(tmp_path / "t.csv"), strata=["sex"])
    e = dict(zip(zip(raw.pairs["var1"], raw.pairs["var2"], strict=True), counting.expected(raw), strict=True))
    # F: reports 1, 3 (n=2): KRATOM 1, ALOPECIA 1 → 0.5; M: reports 2, 4, 5 (n=3): KRATOM 1, ALOPECIA 2 → 2/3
    assert e[("KRATOM", "ALOPECIA")] == pytest.approx(1 * 1 / 2 + 1 * 2 / 3)
    # IBUPROFEN–NAUSEA: F: IBU 1 (report 3), NAUSEA 2 (1, 3) → 1; M: IBU 2, NAUSEA 1 → 2/3
    assert e[("IBUPROFEN", "NAUSEA")] == pytest.approx(1 + 2 / 3)


def test_prr_and_ror_match_a_hand_computed_table():
    # a=20, b=80 (product, other events), c=100, d=9800
    a, n1, n2, n = 20, 100, 120, 10000
    p = measures.prr([a], [n1], [n2], [n])
    r = measures.ror([a], [n1], [n2], [n])
    assert p["PRR"][0] == pytest.approx((20 / 100) / (100 / 9900))
    se = math.sqrt(1 / 20 - 1 / 100 + 1 / 100 - 1 / 9900)
    assert p["PRR_lo"][0] == pytest.approx(p["PRR"][0] * math.exp(-1.959963984540054 * se))
    assert r["ROR"][0] == pytest.approx((20 * 9800) / (80 * 100))
    se_r = math.sqrt(1 / 20 + 1 / 80 + 1 / 100 + 1 / 9800)
    assert r["ROR_hi"][0] == pytest.approx(r["ROR"][0] * math.exp(1.959963984540054 * se_r))


def test_zero_cells_give_infinite_ratios_not_errors():
    p = measures.prr([3], [3], [3], [100])  # every event report has the product: c = 0
    r = measures.ror([3], [3], [3], [100])
    assert math.isinf(p["PRR"][0]) and math.isnan(p["PRR_lo"][0])
    assert math.isnan(r["ROR"][0]) or math.isinf(r["ROR"][0])


def test_ic_is_the_shrunk_log_ratio_with_a_gamma_lower_bound():
    from scipy import stats

    ic = measures.information_component([10], [2.0])
    assert ic["IC"][0] == pytest.approx(math.log2(10.5 / 2.5))
    assert ic["IC025"][0] == pytest.approx(math.log2(stats.gamma.ppf(0.025, 10.5, scale=1 / 2.5)))


def test_the_likelihood_gradient_is_exact():
    rng = np.random.default_rng(3)
    n = rng.integers(1, 30, 300).astype(float)
    e = rng.uniform(0.01, 5, 300)
    theta = np.array([0.8, 0.3, 3.0, 2.5, 0.2])
    _, grad = mgps._nll_and_grad(theta, mgps._Points.build(n, e, np.ones_like(n)))
    for j in range(5):
        h = 1e-6 * theta[j]
        up, dn = theta.copy(), theta.copy()
        up[j] += h
        dn[j] -= h
        numeric = (mgps.neg_log_likelihood(up, n, e) - mgps.neg_log_likelihood(dn, n, e)) / (2 * h)
        assert grad[j] == pytest.approx(numeric, rel=1e-5)


def test_the_likelihood_hessian_is_exact():
    rng = np.random.default_rng(4)
    n = np.concatenate([np.ones(200), rng.integers(2, 40, 200)]).astype(float)
    e = rng.uniform(0.001, 5, 400)
    pts = mgps._Points.build(n, e, rng.uniform(0.5, 3, 400))
    theta = np.array([0.8, 0.3, 3.0, 2.5, 0.2])
    _, _, hess = mgps._evaluate(theta, pts)
    for j in range(5):
        h = 1e-6 * theta[j]
        up, dn = theta.copy(), theta.copy()
        up[j] += h
        dn[j] -= h
        numeric = (mgps._evaluate(up, pts, order=1)[1] - mgps._evaluate(dn, pts, order=1)[1]) / (2 * h)
        np.testing.assert_allclose(hess[:, j], numeric, rtol=1e-5)


def test_fitting_distinct_points_with_weights_is_fitting_the_pairs():
    rng = np.random.default_rng(5)
    n = rng.negative_binomial(1, 0.4, 3000).astype(float) + 1
    e = rng.choice([0.05, 0.2, 0.7, 1.5, 4.0], 3000)
    plain = mgps.fit_prior(n, e)
    un, ue, uw, _ = mgps.compress(n, e)
    weighted = mgps.fit_prior(un, ue, weights=uw, n_pairs=3000)
    np.testing.assert_allclose(weighted.theta, plain.theta, rtol=1e-7)
    assert weighted.n_pairs == plain.n_pairs == 3000


def test_a_blank_value_in_parquet_names_its_row(tmp_path):
    import duckdb

    pq = tmp_path / "t.parquet"
    rows = "(1, 'A', 'X'), (2, 'B', 'Y'), (3, '  ', 'Z'), (4, 'C', 'X')"
    duckdb.connect().execute(f"COPY (SELECT * FROM (VALUES {rows}) t(id, var1, var2)) TO '{pq}' (FORMAT parquet)")  # noqa: S608
    with pytest.raises(PVInputError) as err:
        signals.detect_signals(pq)
    assert err.value.code == "pv.empty_value"
    assert "row 3, column 'var1'" in err.value.message


def test_the_csv_gives_back_every_double_exactly(tmp_path):
    import pandas as pd

    frame = pd.DataFrame(
        {
            "var1": ["VITAMIN D, CALCIUM", "KRATOM", "KRATOM"],
            "var2": ["NAUSEA", 'SAID "OK"', "ALOPECIA"],
            "N": np.array([1, 2, 3], dtype=np.int64),
            "PRR": [np.inf, 1 / 3, 1e-7],
            "PRR_lo": [np.nan, 2.5e22, 0.1 + 0.2],
        }
    )
    out = tmp_path / "s.csv"
    signals.write_csv(frame, out)
    lines = out.read_text().splitlines()
    assert lines[0] == "var1,var2,N,PRR,PRR_lo"
    assert lines[1].startswith('"VITAMIN D, CALCIUM","NAUSEA",1,inf,')  # text quoted when one value needs it
    back = pd.read_csv(out, keep_default_na=False, na_values=[""], float_precision="round_trip")
    assert list(back["var2"]) == list(frame["var2"])
    for col in ("PRR", "PRR_lo"):
        np.testing.assert_array_equal(back[col].to_numpy(), frame[col].to_numpy())
    signals.write_csv(frame.iloc[2:], out)  # nothing needs quotes: none
    assert out.read_text().splitlines()[1] == "KRATOM,ALOPECIA,3,1e-7,0.30000000000000004"


@pytest.mark.parametrize(
    ("content", "code", "where"),
    [
        (b"", "pv.empty_file", "line 1"),
        (b"id,var1,var2\n", "pv.empty_file", "line 2"),
        (b"id;var1;var2\n1;a;b\n", "pv.delimiter", "line 1"),
        (b"id,product,var2\n1,a,b\n", "pv.missing_column", "line 1, column 'var1'"),
        (b"id,var1,var2\n1,a,b\n2,c\n", "pv.row_shape", "line 3, column 'var2'"),
        (b"id,var1,var2\n1,a,b\n2,\xff\xfe,c\n", "pv.encoding", "line 3, column 'var1'"),
        (b"id,var1,var2\n1,a,b\n2,,c\n", "pv.empty_value", "line 3, column 'var1'"),
    ],
)
def test_malformed_input_names_file_line_and_column(tmp_path, content, code, where):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(PVInputError) as err:
        signals.detect_signals(path)
    assert err.value.code == code
    assert str(path) in err.value.message
    assert where in err.value.message


def test_a_missing_stratum_column_is_named(tmp_path):
    with pytest.raises(PVInputError) as err:
        signals.count(write(tmp_path / "t.csv"), strata=["age_group"])
    assert err.value.column == "age_group"


def test_parquet_input_gives_the_same_counts(tmp_path):
    import duckdb

    csv = write(tmp_path / "t.csv")
    pq = tmp_path / "t.parquet"
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{pq}' (FORMAT parquet)")  # noqa: S608
    a, b = signals.count(csv), signals.count(pq)
    assert a.pairs.equals(b.pairs) and a.total == b.total


def test_integer_ids_too_wide_to_pack_are_counted_the_same(tmp_path):
    import duckdb

    csv = write(tmp_path / "t.csv")
    pq = tmp_path / "wide.parquet"
    # Report ids spread over ±2^62: no (report, product, event) int64 key fits, so DuckDB counts instead.
    duckdb.connect().execute(
        f"COPY (SELECT CASE id WHEN 1 THEN -4611686018427387904 WHEN 5 THEN 4611686018427387903 ELSE id END "  # noqa: S608
        f"AS id, var1, var2, sex FROM read_csv('{csv}')) TO '{pq}' (FORMAT parquet)"
    )
    a, b = signals.count(csv), signals.count(pq)
    assert b.pairs.equals(a.pairs) and a.total == b.total == 5
