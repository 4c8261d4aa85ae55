"""The FAERS-like synthetic generator: seeded, Zipf-spread, planted FICTIONAL signals above their controls."""

from __future__ import annotations

import duckdb

from painwise.core.pv import synth


def test_the_same_seed_gives_the_same_table(tmp_path):
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    synth.generate(a, reports=3000, seed=5)
    synth.generate(b, reports=3000, seed=5)
    con = duckdb.connect()
    q = "SELECT count(*), count(DISTINCT id), sum(hash(id, var1, var2, sex)) FROM '{}'"
    assert con.execute(q.format(a)).fetchall() == con.execute(q.format(b)).fetchall()


def test_products_follow_a_zipf_spread_and_planted_pairs_are_reported_more(tmp_path):
    path = tmp_path / "s.parquet"
    truth = synth.generate(path, reports=60000, seed=3)
    con = duckdb.connect()
    top = con.execute(
        f"SELECT var1, count(DISTINCT id) n FROM '{path}' GROUP BY var1 ORDER BY n DESC LIMIT 2"  # noqa: S608
    ).fetchall()
    assert top[0][1] > 1.5 * top[1][1]  # rank 1 well above rank 2
    rate = con.execute(
        f"""SELECT avg(CASE WHEN has_p THEN has_e::INT END), avg(CASE WHEN NOT has_p THEN has_e::INT END) FROM (
              SELECT id, bool_or(var1 = 'KRATOM') has_p, bool_or(var2 = 'ALOPECIA') has_e FROM '{path}' GROUP BY id)"""  # noqa: S608
    ).fetchall()[0]
    assert rate[0] / rate[1] > 2.5  # planted rate ratio 4 (fictional)
    control = con.execute(
        f"""SELECT avg(CASE WHEN has_p THEN has_e::INT END), avg(CASE WHEN NOT has_p THEN has_e::INT END) FROM (
              SELECT id, bool_or(var1 = 'KRATOM') has_p, bool_or(var2 = 'HEADACHE') has_e FROM '{path}' GROUP BY id)"""  # noqa: S608
    ).fetchall()[0]
    assert 0.7 < control[0] / control[1] < 1.4  # a rate-ratio-1 control
    assert ("KRATOM", "HEADACHE") in truth.controls
