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

from painwise.core.pv.table import INTEGER_TYPES, SOURCE


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
# `table.load` leaves), so the counting works on integers instead of strings and the pairs come out sorted.
CODES_SQL = (
    "CREATE OR REPLACE TEMP TABLE pv_code1 AS SELECT var1, (row_number() OVER (ORDER BY var1) - 1)::INTEGER AS p "
    "FROM pv_var1",
    "CREATE OR REPLACE TEMP TABLE pv_code2 AS SELECT var2, (row_number() OVER (ORDER BY var2) - 1)::INTEGER AS e "
    "FROM pv_var2",
)
CODED_ROWS = f"FROM {SOURCE} JOIN pv_code1 USING (var1) JOIN pv_code2 USING (var2)"
PAIRS_SQL = f"""
WITH enc AS (SELECT DISTINCT id, p, e {CODED_ROWS}),
pr AS (SELECT p, e, count(*) AS N FROM enc GROUP BY p, e),
m1 AS (SELECT p, count(*) AS n1 FROM (SELECT DISTINCT id, p FROM enc) GROUP BY p),
m2 AS (SELECT e, count(*) AS n2 FROM (SELECT DISTINCT id, e FROM enc) GROUP BY e)
SELECT p, e, N, n1, n2, (SELECT count(DISTINCT id) FROM {SOURCE}) AS total
FROM pr JOIN m1 USING (p) JOIN m2 USING (e) ORDER BY p, e
"""
# product codes, event codes, N, reports per product, reports per event (per pair), all reports
Counted = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]
PACKED_LIMIT = 2**62  # (id span) × products × events must fit a signed 64-bit key
BINCOUNT_LIMIT = 50_000_000  # products × events up to which pairs are counted in a dense array


def count_duckdb(con: duckdb.DuckDBPyConnection, *, stratified: bool) -> RawCounts:
    # Every result below is ordered explicitly, so DuckDB need not keep intermediate tables in input order.
    con.execute("SET preserve_insertion_order = false")
    for sql in CODES_SQL:
        con.execute(sql)
    names1 = con.sql("SELECT var1 FROM pv_code1 ORDER BY p").df()["var1"].to_numpy(object)
    names2 = con.sql("SELECT var2 FROM pv_code2 ORDER BY e").df()["var2"].to_numpy(object)
    # text ids (CSV) or an id range too wide to pack: DuckDB's hash aggregation
    got = _count_packed(con, names1.size, names2.size) or _count_sql(con)
    codes1, codes2, n_pair, n1, n2, total = got
    pairs = pd.DataFrame({"var1": names1[codes1], "var2": names2[codes2], "N": n_pair, "n1": n1, "n2": n2}, copy=False)
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


def _count_sql(con: duckdb.DuckDBPyConnection) -> Counted:
    rows = con.execute(PAIRS_SQL).fetchnumpy()
    p, e, n_pair, n1, n2 = (np.asarray(rows[k], dtype=np.int64) for k in ("p", "e", "N", "n1", "n2"))
    return p, e, n_pair, n1, n2, int(rows["total"][0]) if len(rows["total"]) else 0


def _count_packed(con: duckdb.DuckDBPyConnection, n_products: int, n_events: int) -> Counted | None:
    """Exact distinct-report counts from one sorted array of (report, product, event) keys.

    With integer report ids, each row packs into one int64 key ((id − min)·P + p)·E + e. After one sort,
    equal neighbours are duplicate rows, and the distinct keys are in (report, product, event) order: the
    (report, product) runs give the reports per product and the reports, and one more sort of (report,
    event) keys the reports per event. Two integer sorts cost far less CPU than DuckDB's hash aggregations
    over millions of nearly unique groups. None when the ids are not integers or the key would overflow.
    """
    id_type = con.execute(f"SELECT typeof(id) FROM {SOURCE} LIMIT 1").fetchall()
    if not id_type or id_type[0][0] not in INTEGER_TYPES:
        return None
    low, high = con.execute(f"SELECT min(id), max(id) FROM {SOURCE}").fetchall()[0]
    if (int(high) - int(low) + 1) * n_products * n_events >= PACKED_LIMIT:
        return None
    rows = con.execute(f"SELECT (id - {int(low)})::BIGINT AS i, p, e {CODED_ROWS}").fetchnumpy()
    key = np.asarray(rows["i"], dtype=np.int64) * n_products
    key += np.asarray(rows["p"], dtype=np.int64)
    key *= n_events
    key += np.asarray(rows["e"], dtype=np.int64)
    del rows
    key.sort()
    key = key[_run_starts(key)]  # distinct (report, product, event)
    cells = n_products * n_events
    pair_key = key % cells
    if cells <= BINCOUNT_LIMIT:
        dense = np.bincount(pair_key, minlength=cells)
        pair_codes = np.flatnonzero(dense)
        n_pair = dense[pair_codes]
    else:
        pair_codes, n_pair = np.unique(pair_key, return_counts=True)
    del pair_key
    report_product = key // n_events  # sorted
    report_product = report_product[_run_starts(report_product)]
    per_product = np.bincount(report_product % n_products, minlength=n_products)
    total = int(np.count_nonzero(_run_starts(report_product // n_products)))
    del report_product
    report_event = (key // cells) * n_events + key % n_events
    del key
    report_event.sort()
    per_event = np.bincount(report_event[_run_starts(report_event)] % n_events, minlength=n_events)
    codes1, codes2 = pair_codes // n_events, pair_codes % n_events
    return codes1, codes2, n_pair.astype(np.int64), per_product[codes1], per_event[codes2], total


def _run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """True at the first element of each run of equal values."""
    first = np.empty(sorted_keys.size, dtype=bool)
    first[:1] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=first[1:])
    return first


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
