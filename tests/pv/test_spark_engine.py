"""The PySpark engine counts exactly as DuckDB does, so every number in the output is identical.

Local mode (`local[*]`). Skipped with a message when pyspark or Java is missing, unless
PAINWISE_REQUIRE_SPARK=1 (CI), where a missing engine fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from painwise.core.pv import signals, spark_engine

pytestmark = pytest.mark.spark
CAERS = Path(__file__).parent / "data" / "caers.csv.gz"


@pytest.fixture(scope="module")
def spark_ready() -> None:
    ok, why = spark_engine.available()
    if ok:
        return
    if os.environ.get("PAINWISE_REQUIRE_SPARK") == "1":
        pytest.fail(f"PAINWISE_REQUIRE_SPARK=1 but the Spark engine is unavailable: {why}")
    pytest.skip(f"Spark engine unavailable: {why}")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A quarter of openEBGM's CAERS reports, as Parquet, with two strata."""
    df = pd.read_csv(CAERS, keep_default_na=False)
    df = df[df["id"] % 4 == 0].assign(batch=lambda d: (d["id"] // 4) % 2)
    path = tmp_path_factory.mktemp("spark") / "caers_quarter.parquet"
    df.to_parquet(path) if _has_pyarrow() else _duck_parquet(df, path)
    return path


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _duck_parquet(df: pd.DataFrame, path: Path) -> None:
    import duckdb

    con = duckdb.connect()
    con.register("df", df)
    con.execute(f"COPY df TO '{path}' (FORMAT parquet)")


def test_spark_and_duckdb_give_identical_counts_and_measures(spark_ready, sample):
    strata = ["strat1", "batch"]
    a = signals.count(sample, strata=strata, engine="duckdb")
    b = signals.count(sample, strata=strata, engine="spark")
    assert a.total == b.total
    pd.testing.assert_frame_equal(a.pairs, b.pairs)
    for name in ("m1", "m2", "tot"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    table_a, prior_a = signals.compute(a)
    table_b, prior_b = signals.compute(b)
    assert (prior_a.theta == prior_b.theta).all()
    pd.testing.assert_frame_equal(table_a, table_b, check_exact=True)
