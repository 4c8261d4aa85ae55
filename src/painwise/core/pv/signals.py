"""Signal detection end to end: read → count (DuckDB or Spark) → E → PRR, ROR, IC, MGPS → one table."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from painwise.core.errors import DomainError
from painwise.core.pv import counting, measures, mgps, table

ENGINES = ("duckdb", "spark")
REQUIRED_COLUMNS = ("var1", "var2", "N", "E", "PRR", "ROR", "IC", "IC025", "EBGM", "EB05", "EB95")
EXTRA_COLUMNS = ("PRR_lo", "PRR_hi", "ROR_lo", "ROR_hi", "IC975", "Qn", "n_var1", "n_var2", "n_reports")
COLUMNS = REQUIRED_COLUMNS + EXTRA_COLUMNS

Progress = Callable[[str], None]


@dataclass
class SignalResult:
    """One row per product–event pair (`.table`), the fitted prior, and what was run."""

    table: pd.DataFrame
    prior: mgps.Prior
    n_reports: int
    n_pairs: int
    engine: str
    strata: list[str]
    min_n: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def summary(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, object]:
        return {
            "reports": self.n_reports,
            "pairs": self.n_pairs,
            "pairs_written": len(self.table),
            "engine": self.engine,
            "strata": self.strata,
            "min_n": self.min_n,
            "prior": self.prior.to_dict(),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def top(self, product: str, *, event: str | None = None, limit: int = 25, by: str = "EB05") -> pd.DataFrame:
        rows = self.table[self.table["var1"] == product]
        if event:
            rows = rows[rows["var2"].str.contains(event, case=False, regex=False)]
        return rows.sort_values([by, "N"], ascending=[False, False]).head(limit)


def compute(
    raw: counting.RawCounts, *, min_n: int = 1, progress: Progress | None = None
) -> tuple[pd.DataFrame, mgps.Prior]:
    say = progress or (lambda _msg: None)
    pairs = raw.pairs
    n = pairs["N"].to_numpy(np.float64)
    e = counting.expected(raw)
    say(f"fitting the two-gamma prior on {len(pairs):,} pairs")
    prior = mgps.fit_prior(n, e)
    keep = pairs["N"].to_numpy() >= min_n
    n_k, e_k = n[keep], e[keep]
    sub = pairs[keep]
    say("posterior EBGM, EB05, EB95 and the frequentist measures")
    post = mgps.posterior(prior.theta, n_k, e_k)
    n1 = sub["n1"].to_numpy(np.float64)
    n2 = sub["n2"].to_numpy(np.float64)
    total = float(raw.total)
    prr = measures.prr(n_k, n1, n2, total)
    ror = measures.ror(n_k, n1, n2, total)
    un, ue, _, inverse = mgps.compress(n_k, e_k)  # IC depends on (N, E) only
    ic = {k: v[inverse] for k, v in measures.information_component(un, ue).items()}
    out = pd.DataFrame(
        {
            "var1": sub["var1"].to_numpy(),
            "var2": sub["var2"].to_numpy(),
            "N": sub["N"].to_numpy(np.int64),
            "E": e_k,
            **prr,
            **ror,
            **ic,
            **post,
            "n_var1": sub["n1"].to_numpy(np.int64),
            "n_var2": sub["n2"].to_numpy(np.int64),
            "n_reports": np.full(len(sub), raw.total, dtype=np.int64),
        }
    )
    return out[list(COLUMNS)], prior


@dataclass(frozen=True)
class SparkOptions:
    master: str = ""  # "" = Spark's own choice (local[*], or what spark-submit gives)
    shuffle_partitions: int = 0  # 0 = 2 per core locally, Spark's default on a cluster


def count(
    path: str | Path, *, strata: Sequence[str] = (), engine: str = "duckdb", spark: SparkOptions | None = None
) -> counting.RawCounts:
    if engine not in ENGINES:
        raise DomainError("pv.engine", f"Unknown engine {engine!r}: use duckdb or spark.", "engine")
    con = table.connect()
    try:
        table.load(con, path, strata)  # validation is the same for both engines
        if engine == "duckdb":
            return counting.count_duckdb(con, stratified=bool(strata))
    finally:
        con.close()
    from painwise.core.pv.spark_engine import count_spark

    opts = spark or SparkOptions()
    return count_spark(path, strata=strata, master=opts.master, shuffle_partitions=opts.shuffle_partitions)


def detect_signals(
    path: str | Path,
    *,
    strata: Sequence[str] = (),
    min_n: int = 1,
    engine: str = "duckdb",
    progress: Progress | None = None,
    spark: SparkOptions | None = None,
) -> SignalResult:
    if min_n < 1:
        raise DomainError("pv.min_n", f"--min-n must be at least 1, got {min_n}.", "min_n")
    say = progress or (lambda _msg: None)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    say(f"reading and counting with {engine}")
    raw = count(path, strata=strata, engine=engine, spark=spark)
    seconds["count"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    out, prior = compute(raw, min_n=min_n, progress=say)
    seconds["measures"] = time.perf_counter() - t1
    return SignalResult(
        table=out, prior=prior, n_reports=raw.total, n_pairs=len(raw.pairs), engine=engine,
        strata=list(strata), min_n=min_n, seconds=seconds,
    )  # fmt: skip


def write_csv(frame: pd.DataFrame, out: str | Path) -> None:
    """Write with DuckDB (parallel, fast) to a temporary file renamed into place: a failure leaves nothing.

    Infinite ratios are written as `inf`, undefined values (NaN) as empty fields.
    """
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pv-", suffix=".csv", dir=target.parent)
    os.close(fd)
    columns = []
    for name, dtype in frame.dtypes.items():
        col = table.quote_ident(str(name))
        columns.append(f"CASE WHEN isnan({col}) THEN NULL ELSE {col} END AS {col}" if dtype.kind == "f" else col)
    con = table.connect()
    try:
        con.register("pv_frame", frame)
        con.execute(
            f"COPY (SELECT {', '.join(columns)} FROM pv_frame) TO {table.sql_string(tmp)} "
            "(FORMAT csv, HEADER true, NULL '')"
        )
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        con.close()
