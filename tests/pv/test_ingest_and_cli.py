"""`painwise pv ingest` (FAERS, CAERS, long table) and `painwise pv signals` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from painwise.cli import app
from painwise.core.pv import normalise, synth

runner = CliRunner()
CAERS = Path(__file__).parent / "data" / "caers.csv.gz"


def faers_quarter(d: Path) -> Path:
    d.mkdir()
    (d / "DEMO24Q1.txt").write_text(
        "primaryid$caseid$caseversion$i_f_code$age$age_cod$sex\n"
        "1001$10$1$I$40$YR$F\n"
        "1002$10$2$F$41$YR$F\n"  # the latest version of case 10
        "2001$20$1$I$70$YR$M\n"
        "3001$30$1$I$$$\n",
        encoding="utf-8",
    )
    (d / "DRUG24Q1.txt").write_text(
        "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai\n"
        "1001$10$1$PS$OLD PRODUCT$\n"
        "1002$10$1$PS$Kratom (Mitragyna speciosa) powder$\n"
        "1002$10$2$SS$kratom$\n"  # the same product twice in one report
        "1002$10$3$C$IBUPROFEN$IBUPROFEN\n"
        "2001$20$1$PS$Mitragynine$\n"
        "3001$30$1$PS$Ibuprofen.$\n",
        encoding="utf-8",
    )
    (d / "REAC24Q1.txt").write_text(
        "primaryid$caseid$pt$drug_rec_act\n1001$10$Headache$\n1002$10$Alopecia$\n1002$10$Nausea$\n"
        "2001$20$Alopecia$\n3001$30$Nausea$\n",
        encoding="utf-8",
    )
    return d


def read(path: Path) -> pd.DataFrame:
    return duckdb.connect().sql(f"SELECT * FROM '{path}' ORDER BY id, var1, var2").df()  # noqa: S608


def test_it_normalises_names_and_maps_kratom_synonyms():
    con = duckdb.connect()
    assert normalise.normalise(con, ["  Mitragyna  speciosa (Korth.) ", "café-au-lait"]) == [
        "MITRAGYNA SPECIOSA KORTH",
        "CAFE AU LAIT",
    ]
    normalise.install(con, normalise.read_synonyms(None))
    con.execute("CREATE TABLE n AS SELECT * FROM (VALUES ('Red Bali KRATOM powder'), ('7-Hydroxymitragynine'), "
                "('Aspirin'), ('KRATOMIX')) t(x)")  # fmt: skip
    got = dict(con.execute(normalise.mapping_sql("n", "x")).fetchall())
    assert got == {
        "Red Bali KRATOM powder": "KRATOM",
        "7-Hydroxymitragynine": "KRATOM",
        "Aspirin": "ASPIRIN",
        "KRATOMIX": "KRATOMIX",  # whole words only
    }


def test_faers_ingest_keeps_the_latest_case_version_and_suspect_drugs(tmp_path):
    out = tmp_path / "long.csv"
    res = runner.invoke(app, ["pv", "ingest", "faers", str(faers_quarter(tmp_path / "q")), "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    df = read(out)
    rows = set(zip(df["id"].astype(str), df["var1"], df["var2"], strict=True))
    assert rows == {
        ("10", "KRATOM", "Alopecia"),
        ("10", "KRATOM", "Nausea"),
        ("20", "KRATOM", "Alopecia"),
        ("30", "IBUPROFEN", "Nausea"),
    }  # no OLD PRODUCT/Headache (superseded version), no concomitant IBUPROFEN in case 10, KRATOM once
    assert json.loads(res.stdout)["reports"] == 3
    assert set(df.loc[df["id"].astype(str) == "20", "age_group"]) == {"65_plus"}


def test_faers_ingest_with_concomitant_drugs_on_request(tmp_path):
    out = tmp_path / "long.parquet"
    q = faers_quarter(tmp_path / "q")
    res = runner.invoke(app, ["pv", "ingest", "faers", str(q), "--out", str(out), "--roles", "PS,SS,C"])
    assert res.exit_code == 0, res.output
    df = read(out)
    assert ("10", "IBUPROFEN") in set(zip(df["id"].astype(str), df["var1"], strict=True))


def test_faers_ingest_refuses_a_comma_file_and_writes_nothing(tmp_path):
    q = faers_quarter(tmp_path / "q")
    (q / "REAC24Q1.txt").write_text("primaryid,caseid,pt\n1002,10,Alopecia\n", encoding="utf-8")
    out = tmp_path / "long.csv"
    res = runner.invoke(app, ["pv", "ingest", "faers", str(q), "--out", str(out)])
    assert res.exit_code == 2
    assert "REAC24Q1.txt, line 1" in res.output and "delimiter" in res.output
    assert not out.exists()


def test_caers_ingest_splits_terms_and_filters_roles(tmp_path):
    src = tmp_path / "caers.csv"
    src.write_text(
        '"RA_Report #","PRI_Product Role","PRI_Reported Brand/Product Name","CI_Age at Adverse Event",'
        '"CI_Age Unit","CI_Gender","SYM_One Row Coded Symptoms"\n'
        '101,Suspect,"KRATOM CAPSULES",35,Year(s),Female,"ALOPECIA, NAUSEA"\n'
        '101,Concomitant,"VITAMIN D",35,Year(s),Female,"ALOPECIA, NAUSEA"\n'
        '102,Suspect,"Green Malay Kratom",,,Male,"VOMITING"\n',
        encoding="utf-8",
    )
    out = tmp_path / "long.csv"
    res = runner.invoke(app, ["pv", "ingest", "caers", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    df = read(out)
    assert set(zip(df["id"].astype(str), df["var1"], df["var2"], strict=True)) == {
        ("101", "KRATOM", "ALOPECIA"),
        ("101", "KRATOM", "NAUSEA"),
        ("102", "KRATOM", "VOMITING"),
    }
    assert set(df["sex"]) == {"F", "M"}


def test_caers_ingest_names_a_missing_column(tmp_path):
    src = tmp_path / "caers.csv"
    src.write_text('"RA_Report #","PRI_Reported Brand/Product Name"\n1,X\n', encoding="utf-8")
    res = runner.invoke(app, ["pv", "ingest", "caers", str(src), "--out", str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    assert "line 1" in res.output and "terms" in res.output


def test_table_ingest_applies_a_synonym_file(tmp_path):
    src = tmp_path / "t.csv"
    src.write_text("id,var1,var2\n1,Speciosa Leaf,ALOPECIA\n2,kratom,ALOPECIA\n", encoding="utf-8")
    syn = tmp_path / "syn.csv"
    syn.write_text("name,canonical,match\nspeciosa leaf,kratom,exact\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    res = runner.invoke(app, ["pv", "ingest", "table", str(src), "--out", str(out), "--synonyms", str(syn)])
    assert res.exit_code == 0, res.output
    assert set(read(out)["var1"]) == {"KRATOM"}


def test_signals_writes_every_pair_with_the_required_columns(tmp_path):
    out = tmp_path / "signals.csv"
    res = runner.invoke(app, ["pv", "signals", str(CAERS), "--out", str(out), "--min-n", "3", "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    df = pd.read_csv(out)
    assert list(df.columns[:11]) == ["var1", "var2", "N", "E", "PRR", "ROR", "IC", "IC025", "EBGM", "EB05", "EB95"]
    assert df["N"].min() == 3 and len(df) == info["pairs_written"] < info["pairs"] == 17189
    assert info["prior"]["alpha1"] == pytest.approx(3.25596685, rel=1e-4)
    assert "truncated at zero separately" in info["prior"]["description"]
    assert info["prior"]["bounds"]["alpha"] == [0, 100.0]


def test_signals_accepts_several_strata_after_one_flag(tmp_path):
    src = tmp_path / "t.csv"
    caers = pd.read_csv(CAERS, keep_default_na=False)
    caers.assign(batch=caers["id"] % 2).to_csv(src, index=False)
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["pv", "signals", str(src), "--out", str(out), "--strata", "strat1", "batch", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["strata"] == ["strat1", "batch"]


def test_signals_bad_input_exits_2_and_writes_nothing(tmp_path):
    src = tmp_path / "t.csv"
    src.write_text("id,var1\n1,a\n", encoding="utf-8")
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["pv", "signals", str(src), "--out", str(out)])
    assert res.exit_code == 2
    assert "column 'var2'" in res.output
    assert not out.exists()
    res = runner.invoke(app, ["pv", "signals", str(CAERS), "--out", str(out), "--engine", "polars"])
    assert res.exit_code == 2 and "engine" in res.output


def test_a_prior_outside_autohypers_bounds_is_refused_with_a_clear_error(tmp_path):
    """Near-null data put the second component's α above 100: openEBGM's autoHyper refuses it, so do we."""
    src = tmp_path / "t.csv"
    synth.generate(src, reports=5000, seed=4)
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["pv", "signals", str(src), "--out", str(out), "--strata", "sex", "age_group"])
    assert res.exit_code == 2
    assert "did not converge consistently" in res.output
    assert not out.exists()
