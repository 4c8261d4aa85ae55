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


# Products and events are numbered in their sort order (the dictionaries pv_var1 / pv_var2 that
# `table.load` leaves), so the counting hashes integers instead of strings and the pairs come back sorted.
ENCODE_SQL = (
    "CREATE OR REPLACE TEMP TABLE pv_code1 AS SELECT var1, (row_number() OVER (ORDER BY var1) - 1)::INTEGER AS p "
    "FROM pv_var1",
    "CREATE OR REPLACE TEMP TABLE pv_code2 AS SELECT var2, (row_number() OVER (ORDER BY var2) - 1)::INTEGER AS e "
    "FROM pv_var2",
    f"CREATE OR REPLACE TEMP TABLE pv_enc AS SELECT DISTINCT id, p, e FROM {SOURCE} "
    "JOIN pv_code1 USING (var1) JOIN pv_code2 USING (var2)",
)
PAIRS_SQL = """
WITH pr AS (SELECT p, e, count(*) AS N FROM pv_enc GROUP BY p, e),
m1 AS (SELECT p, count(*) AS n1 FROM (SELECT DISTINCT id, p FROM pv_enc) GROUP BY p),
m2 AS (SELECT e, count(*) AS n2 FROM (SELECT DISTINCT id, e FROM pv_enc) GROUP BY e)
SELECT p, e, N, n1, n2 FROM pr JOIN m1 USING (p) JOIN m2 USING (e) ORDER BY p, e
"""


def count_duckdb(con: duckdb.DuckDBPyConnection, *, stratified: bool) -> RawCounts:
    # Every result below is ordered explicitly, so DuckDB need not keep the intermediate tables in input order.
    con.execute("SET preserve_insertion_order = false")
    for sql in ENCODE_SQL:
        con.execute(sql)
    names1 = con.sql("SELECT var1 FROM pv_code1 ORDER BY p").df()["var1"].to_numpy(object)
    names2 = con.sql("SELECT var2 FROM pv_code2 ORDER BY e").df()["var2"].to_numpy(object)
    got = con.execute(PAIRS_SQL).fetchnumpy()
    codes1, codes2 = np.asarray(got["p"], dtype=np.intp), np.asarray(got["e"], dtype=np.intp)
    pairs = pd.DataFrame(
        {
            "var1": names1[codes1], "var2": names2[codes2], "N": np.asarray(got["N"], dtype=np.int64),
            "n1": np.asarray(got["n1"], dtype=np.int64), "n2": np.asarray(got["n2"], dtype=np.int64),
        }
    )  # fmt: skip
    total = int(con.execute("SELECT count(DISTINCT id) FROM pv_enc").fetchall()[0][0])
    raw = RawCounts(pairs=pairs, total=total)
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
