"""Signal detection end to end: read → count (DuckDB or Spark) → E → PRR, ROR, IC, MGPS → one table."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from painwise.core.errors import DomainError
from painwise.core.pv import counting, measures, mgps, table
from painwise.core.pv.errors import PVInputError

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
    # Everything Bayesian (and IC) depends on (N, E) only: work on the distinct points, broadcast back once.
    un, ue, uw, inverse = mgps.compress(n, e)
    say(f"fitting the two-gamma prior on {len(pairs):,} pairs ({len(un):,} distinct (N, E) points)")
    fit = un >= 1
    prior = mgps.fit_prior(un[fit], ue[fit], weights=uw[fit], n_pairs=int(uw[fit].sum()))
    keep = n >= min_n
    n_k, e_k, at = n[keep], e[keep], inverse[keep]
    say("posterior EBGM, EB05, EB95 and the frequentist measures")
    wanted = un >= min_n
    point_values: dict[str, np.ndarray] = {}
    for name, values in (
        *mgps.posterior_points(prior.theta, un[wanted], ue[wanted]).items(),
        *measures.information_component(un[wanted], ue[wanted]).items(),
    ):
        full = np.full(un.size, np.nan)
        full[wanted] = values
        point_values[name] = full[at]
    n1 = pairs["n1"].to_numpy(np.int64)[keep]
    n2 = pairs["n2"].to_numpy(np.int64)[keep]
    total = float(raw.total)
    columns = {
        "var1": pairs["var1"].to_numpy()[keep],
        "var2": pairs["var2"].to_numpy()[keep],
        "N": pairs["N"].to_numpy(np.int64)[keep],
        "E": e_k,
        **measures.prr(n_k, n1, n2, total),
        **measures.ror(n_k, n1, n2, total),
        **point_values,
        "n_var1": n1,
        "n_var2": n2,
        "n_reports": np.full(n_k.size, raw.total, dtype=np.int64),
    }
    # copy=False: the columns are fresh arrays; pandas would otherwise copy them into consolidated blocks.
    return pd.DataFrame({name: columns[name] for name in COLUMNS}, copy=False), prior


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
            try:
                return counting.count_duckdb(con, stratified=bool(strata))
            except duckdb.Error as exc:  # Parquet is read lazily: a damaged page surfaces here
                raise PVInputError(
                    Path(path), f"cannot be read: {str(exc).splitlines()[0]}", code="pv.unreadable"
                ) from exc
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
    """Write with Arrow's CSV writer (C++, several times faster than DuckDB's at formatting floats) to a
    temporary file renamed into place: a failure leaves nothing.

    Floats are written in their shortest round-trip form (reading the file back gives the same doubles);
    infinite ratios as `inf`, undefined values (NaN) as empty fields. Text is quoted only when it holds a
    comma, quote or line break (then every text value is quoted, which CSV readers treat the same).
    """
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for name in frame.columns:
        values = frame[name].to_numpy()
        arrays[str(name)] = pa.array(values, from_pandas=values.dtype.kind == "f")  # NaN → null → empty field
    data = pa.table(arrays)
    header = ",".join(table.quote_ident(n) if any(ch in n for ch in ',"\r\n') else n for n in arrays) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".pv-", suffix=".csv", dir=target.parent)
    os.close(fd)
    try:
        for quoting in ("none", "needed"):  # "none" refuses a value that needs quotes: then quote text
            try:
                with open(tmp, "wb") as fh:
                    fh.write(header.encode())
                    pa_csv.write_csv(data, fh, pa_csv.WriteOptions(include_header=False, quoting_style=quoting))
                break
            except pa.ArrowInvalid:
                if quoting == "needed":
                    raise
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
