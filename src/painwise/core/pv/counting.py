"""Counting distinct reports per pair and per margin; expected counts computed once, engine-independent.

An engine (DuckDB here, PySpark in `spark_engine`) returns *integer* tables only:

* pairs:   var1, var2, N (distinct reports with both), n1 (reports with var1), n2 (reports with var2)
* total:   distinct reports
* with strata: m1 (var1, stratum, n), m2 (var2, stratum, n), tot (stratum, n)

`expected()` then computes E in NumPy, so both engines give bit-identical E. As in openEBGM's `processRaw`,
E = n1·n2/n unstratified, and E = Σ_s n1_s·n2_s/n_s over strata s when strata are given; margins are counts
of distinct reports, so a report listing a product twice counts once.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from painwise.core.pv.table import SOURCE


@dataclass
class RawCounts:
    pairs: pd.DataFrame  # var1, var2, N, n1, n2 (int64), sorted by var1, var2
    total: int
    m1: pd.DataFrame | None = None  # var1, stratum, n
    m2: pd.DataFrame | None = None  # var2, stratum, n
    tot: pd.DataFrame | None = None  # stratum, n


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df.sort_values(keys, kind="mergesort").reset_index(drop=True)
    for col in df.columns:
        if col not in ("var1", "var2", "stratum"):
            df[col] = df[col].astype(np.int64)
    return df


PAIRS_SQL = f"""
WITH d AS (SELECT DISTINCT id, var1, var2 FROM {SOURCE}),
p AS (SELECT var1, var2, count(*) AS N FROM d GROUP BY var1, var2),
a AS (SELECT var1, count(DISTINCT id) AS n1 FROM {SOURCE} GROUP BY var1),
b AS (SELECT var2, count(DISTINCT id) AS n2 FROM {SOURCE} GROUP BY var2)
SELECT p.var1, p.var2, p.N, a.n1, b.n2 FROM p JOIN a USING (var1) JOIN b USING (var2)
"""


def count_duckdb(con: duckdb.DuckDBPyConnection, *, stratified: bool) -> RawCounts:
    pairs = con.sql(PAIRS_SQL).df()
    total = int(con.execute(f"SELECT count(DISTINCT id) FROM {SOURCE}").fetchall()[0][0])
    raw = RawCounts(pairs=_sorted(pairs, ["var1", "var2"]), total=total)
    if stratified:
        raw.m1 = _sorted(
            con.sql(f"SELECT var1, stratum, count(DISTINCT id) AS n FROM {SOURCE} GROUP BY ALL").df(),
            ["var1", "stratum"],
        )
        raw.m2 = _sorted(
            con.sql(f"SELECT var2, stratum, count(DISTINCT id) AS n FROM {SOURCE} GROUP BY ALL").df(),
            ["var2", "stratum"],
        )
        raw.tot = _sorted(con.sql(f"SELECT stratum, count(DISTINCT id) AS n FROM {SOURCE} GROUP BY ALL").df(),
                          ["stratum"])  # fmt: skip
    return raw


def expected(raw: RawCounts) -> np.ndarray:
    """E per pair (in the order of raw.pairs)."""
    pairs = raw.pairs
    if raw.m1 is None or raw.m2 is None or raw.tot is None:
        return np.asarray((pairs["n1"].to_numpy(np.float64) / raw.total) * pairs["n2"].to_numpy(np.float64))
    e = np.zeros(len(pairs), dtype=np.float64)
    v1 = pd.Categorical(pairs["var1"])
    v2 = pd.Categorical(pairs["var2"])
    for stratum, n_s in zip(raw.tot["stratum"], raw.tot["n"], strict=True):
        m1 = raw.m1[raw.m1["stratum"] == stratum]
        m2 = raw.m2[raw.m2["stratum"] == stratum]
        a = np.zeros(len(v1.categories), dtype=np.float64)
        b = np.zeros(len(v2.categories), dtype=np.float64)
        ia = v1.categories.get_indexer(m1["var1"])
        ib = v2.categories.get_indexer(m2["var2"])
        a[ia[ia >= 0]] = m1["n"].to_numpy(np.float64)[ia >= 0]
        b[ib[ib >= 0]] = m2["n"].to_numpy(np.float64)[ib >= 0]
        e += (a[v1.codes] / float(n_s)) * b[v2.codes]
    return e
