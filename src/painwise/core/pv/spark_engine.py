"""The same counting on PySpark, for data that outgrow one machine.

Returns the same integer tables as `counting.count_duckdb`; E and every measure are then computed by the
shared NumPy code, so the numbers are identical to the DuckDB engine's. The session comes from
`SparkSession.builder.getOrCreate()`: locally that is `local[*]`; on a cluster pass `master` (the CLI takes it
from the PAINWISE_SPARK_MASTER setting: `spark://host:7077`, `yarn`, `k8s://…`) or run under `spark-submit`,
and give the input on storage every executor can read (HDFS, S3, a shared file system). See
docs/pharmacovigilance.md.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from painwise.core.errors import DomainError
from painwise.core.pv.counting import RawCounts

APP_NAME = "painwise-pv"


def available() -> tuple[bool, str]:
    """Whether PySpark and a Java runtime are usable here, and if not, why."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False, "pyspark is not installed (pip install -e '.[spark]')"
    if not shutil.which("java"):
        return False, "no Java runtime on PATH; scripts/ensure-java.sh installs Java 17"
    return True, ""


def session(*, master: str = "", shuffle_partitions: int = 0) -> Any:
    """The Spark session: `master` when given (else Spark's own: local[*], or spark-submit's)."""
    ok, why = available()
    if not ok:
        raise DomainError("pv.spark_unavailable", f"The spark engine is unavailable: {why}.", "engine")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(APP_NAME)
    if master:
        builder = builder.master(master)
    builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # Spark's default of 200 shuffle partitions suits clusters; locally a couple per core is faster.
    local = str(spark.sparkContext.master).startswith("local")
    partitions = shuffle_partitions or (2 * (os.cpu_count() or 1) if local else 0)
    if partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    return spark


def _read(spark: Any, path: str | Path) -> Any:
    p = str(path)
    if p.lower().endswith((".parquet", ".pq")):
        return spark.read.parquet(p)
    return spark.read.option("header", True).option("inferSchema", False).option("encoding", "UTF-8").csv(p)


def _frame(df: Any, columns: list[str]) -> pd.DataFrame:
    rows = df.collect()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def _sorted(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df.sort_values(keys, kind="mergesort").reset_index(drop=True)
    for col in df.columns:
        if col not in ("var1", "var2", "stratum"):
            df[col] = df[col].astype(np.int64)
    return df


def count_spark(
    path: str | Path, *, strata: Sequence[str] = (), master: str = "", shuffle_partitions: int = 0
) -> RawCounts:
    """Count with Spark. The input was already validated by the DuckDB reader (same rules for both)."""
    from pyspark.sql import functions as F

    spark = session(master=master, shuffle_partitions=shuffle_partitions)
    src = _read(spark, path)
    stratum = F.concat_ws(" | ", *[F.col(s).cast("string") for s in strata]) if strata else F.lit("")
    src = src.select(
        F.col("id").cast("string").alias("id"),
        F.col("var1").cast("string").alias("var1"),
        F.col("var2").cast("string").alias("var2"),
        stratum.alias("stratum"),
    ).cache()
    try:
        d = src.select("id", "var1", "var2").distinct()
        p = d.groupBy("var1", "var2").agg(F.count(F.lit(1)).alias("N"))
        a = src.groupBy("var1").agg(F.countDistinct("id").alias("n1"))
        b = src.groupBy("var2").agg(F.countDistinct("id").alias("n2"))
        pairs = p.join(a, "var1").join(b, "var2").select("var1", "var2", "N", "n1", "n2")
        raw = RawCounts(
            pairs=_sorted(_frame(pairs, ["var1", "var2", "N", "n1", "n2"]), ["var1", "var2"]),
            total=int(src.select(F.countDistinct("id")).collect()[0][0]),
        )
        if strata:
            m1 = src.groupBy("var1", "stratum").agg(F.countDistinct("id").alias("n"))
            m2 = src.groupBy("var2", "stratum").agg(F.countDistinct("id").alias("n"))
            tot = src.groupBy("stratum").agg(F.countDistinct("id").alias("n"))
            raw.m1 = _sorted(_frame(m1, ["var1", "stratum", "n"]), ["var1", "stratum"])
            raw.m2 = _sorted(_frame(m2, ["var2", "stratum", "n"]), ["var2", "stratum"])
            raw.tot = _sorted(_frame(tot, ["stratum", "n"]), ["stratum"])
        return raw
    finally:
        src.unpersist()
