"""Converting FAERS quarterly ASCII extracts, CAERS exports and raw long tables to the long table.

Output: `id, var1, var2` plus stratification columns (`sex`, `age_group`), one row per report × product ×
event, products normalised and mapped through the synonym table (`normalise`), duplicates removed (a report
listing a product twice counts once), written as CSV or Parquet (by the output's extension) to a temporary
file that is renamed into place only when everything succeeded.

FAERS (the quarterly ASCII extract since 2012 Q4, `$`-delimited with a header line): DEMO, DRUG and REAC
files found in the directory (any quarter, case-insensitive names such as `DEMO24Q1.txt`). One case is the
latest version of each `caseid` (highest `caseversion`, then highest `primaryid`); its drugs are those with
`role_cod` in the chosen roles (PS primary suspect and SS secondary suspect by default; C concomitant and I
interacting on request), its events the REAC preferred terms (`pt`).

CAERS (the CFSAN export, a comma-separated CSV with quoted fields): one row per report × product with the
report's MedDRA terms in one cell separated by ", ". Both the 2004–2017 layout (`RA_Report #`,
`PRI_Reported Brand/Product Name`, `PRI_Product Role`, `SYM_One Row Coded Symptoms`, `CI_Gender`,
`CI_Age at Adverse Event`, `CI_Age Unit`) and the later one (`Report ID`, `Product`, `Product Role`,
`MedDRA Preferred Terms`, `Sex`, `Patient Age`, `Age Unit`) are accepted. Suspect products only by default.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from painwise.core.pv import normalise, table
from painwise.core.pv.errors import PVInputError
from painwise.core.pv.table import quote_ident, sql_string

FAERS_ROLES = {"PS": "primary suspect", "SS": "secondary suspect", "C": "concomitant", "I": "interacting"}
DEFAULT_FAERS_ROLES = ("PS", "SS")
CAERS_ROLES = ("SUSPECT", "CONCOMITANT")
DEFAULT_CAERS_ROLES = ("SUSPECT",)
FAERS_REQUIRED = {
    "DEMO": ("primaryid", "caseid", "caseversion"),
    "DRUG": ("primaryid", "role_cod", "drugname"),
    "REAC": ("primaryid", "pt"),
}
CAERS_FIELDS = {  # logical field → accepted header names, first match wins
    "id": ("RA_Report #", "Report ID", "report_id"),
    "product": ("PRI_Reported Brand/Product Name", "Product", "Reported Brand/Product Name", "product"),
    "role": ("PRI_Product Role", "Product Role", "product_role"),
    "terms": ("SYM_One Row Coded Symptoms", "MedDRA Preferred Terms", "Reactions", "Case MedDRA Preferred Terms"),
    "sex": ("CI_Gender", "Sex", "Gender"),
    "age": ("CI_Age at Adverse Event", "Patient Age", "Age"),
    "age_unit": ("CI_Age Unit", "Age Unit", "Age Units"),
}
CAERS_OPTIONAL = {"role", "sex", "age", "age_unit"}
AGE_YEARS = {  # FAERS age_cod / CAERS age unit → factor to years
    "YR": 1.0, "YEAR": 1.0, "YEARS": 1.0, "YEAR(S)": 1.0, "DEC": 10.0, "DECADE(S)": 10.0, "MON": 1 / 12,
    "MONTH(S)": 1 / 12, "WK": 1 / 52, "WEEK(S)": 1 / 52, "DY": 1 / 365, "DAY(S)": 1 / 365, "HR": 1 / 8760,
}  # fmt: skip


def _age_group_sql(age: str, unit: str) -> str:
    cases = " ".join(f"WHEN {sql_string(k)} THEN {v!r}" for k, v in AGE_YEARS.items())
    years = f"(TRY_CAST({age} AS DOUBLE) * (CASE upper(trim({unit})) {cases} ELSE NULL END))"
    return (
        f"CASE WHEN {years} IS NULL THEN 'unknown' WHEN {years} < 18 THEN 'under_18' "
        f"WHEN {years} < 65 THEN '18_64' ELSE '65_plus' END"
    )


def _sex_sql(col: str) -> str:
    return (
        f"CASE upper(trim(coalesce({col}, ''))) WHEN 'F' THEN 'F' WHEN 'FEMALE' THEN 'F' WHEN 'M' THEN 'M' "
        "WHEN 'MALE' THEN 'M' ELSE 'UNK' END"
    )


def _write(con: duckdb.DuckDBPyConnection, select_sql: str, out: str | Path) -> dict[str, int]:
    target = Path(out)
    fmt = "parquet" if target.name.lower().endswith((".parquet", ".pq")) else "csv"
    if fmt == "csv" and not target.name.lower().endswith(".csv"):
        raise PVInputError(target, "the output must end in .csv or .parquet", code="pv.file_type")
    con.execute(f"CREATE OR REPLACE TEMP TABLE pv_out AS {select_sql}")
    stats = con.execute(
        "SELECT count(*), count(DISTINCT id), count(DISTINCT var1), count(DISTINCT var2) FROM pv_out"
    ).fetchall()[0]
    if stats[0] == 0:
        raise PVInputError(target, "nothing to write: no report has both a product and an event", code="pv.empty")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pv-", suffix="." + fmt, dir=target.parent)
    os.close(fd)
    try:
        opts = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
        con.execute(f"COPY (SELECT * FROM pv_out ORDER BY id, var1, var2) TO {sql_string(tmp)} ({opts})")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"rows": int(stats[0]), "reports": int(stats[1]), "products": int(stats[2]), "events": int(stats[3])}


def _install_synonyms(con: duckdb.DuckDBPyConnection, synonyms: str | Path | None) -> None:
    normalise.install(con, normalise.read_synonyms(synonyms))


def ingest_table(
    path: str | Path, out: str | Path, *, synonyms: str | Path | None = None, strata: Sequence[str] = ()
) -> dict[str, int]:
    """Normalise the products of a long table (keeps `strata` columns)."""
    con = table.connect()
    try:
        table.load(con, path, strata)
        _install_synonyms(con, synonyms)
        extra = "".join(f", {quote_ident('s_' + s)} AS {quote_ident(s)}" for s in strata)
        sql = f"""
        WITH m AS ({normalise.mapping_sql("pv_raw", "var1")})
        SELECT DISTINCT trim(CAST(r.id AS VARCHAR)) AS id, m.product AS var1, trim(r.var2) AS var2{extra}
        FROM pv_raw r JOIN m ON m.raw = r.var1 WHERE m.product <> ''
        """
        return _write(con, sql, out)
    finally:
        con.close()


def _header(path: Path, delim: str) -> list[str]:
    with path.open("rb") as fh:
        first = fh.readline()
    if not first.strip():
        raise PVInputError(path, "the file is empty (no header line)", line=1, code="pv.empty_file")
    try:
        text = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise PVInputError(path, "not UTF-8; save the file as UTF-8", line=1, code="pv.encoding") from exc
    if delim == ",":
        import csv

        return [c.strip() for c in next(csv.reader([text]))]
    return [c.strip() for c in text.split(delim)]


def _read_faers(con: duckdb.DuckDBPyConnection, files: list[Path], kind: str) -> str:
    selects: list[str] = []
    for f in files:
        cols = _header(f, "$")
        lower = [c.lower() for c in cols]
        if len(cols) == 1 and "," in cols[0]:
            raise PVInputError(f, "wrong delimiter: FAERS ASCII files are separated by '$'", line=1,
                               code="pv.delimiter")  # fmt: skip
        for need in FAERS_REQUIRED[kind]:
            if need not in lower:
                raise PVInputError(f, f"missing column {need!r} in the {kind} file", line=1, column=need,
                                   code="pv.missing_column")  # fmt: skip
        spec = "{" + ", ".join(f"{sql_string(c.lower())}: 'VARCHAR'" for c in cols) + "}"
        reader = (
            f"read_csv({sql_string(str(f))}, header=true, delim='$', quote='', escape='', strict_mode=true, "
            f"auto_detect=false, columns={spec}, encoding='utf-8')"
        )
        wanted = {
            "DEMO": "primaryid, caseid, caseversion, "
            + ("sex" if "sex" in lower else "NULL AS sex") + ", "
            + ("age" if "age" in lower else "NULL AS age") + ", "
            + ("age_cod" if "age_cod" in lower else "NULL AS age_cod"),
            "DRUG": "primaryid, role_cod, drugname",
            "REAC": "primaryid, pt",
        }[kind]  # fmt: skip
        name = f"pv_{kind.lower()}_{len(selects)}"
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {wanted} FROM {reader}")
        except duckdb.Error as exc:
            raise table._translate_csv_error(f, exc, [c.lower() for c in cols]) from exc
        selects.append(f"SELECT * FROM {name}")
    return " UNION ALL ".join(selects)


def _find(directory: Path, kind: str) -> list[Path]:
    pattern = re.compile(rf"^{kind}\d*q?\d*\.txt$", re.IGNORECASE)
    found = sorted(p for p in directory.rglob("*") if p.is_file() and pattern.match(p.name))
    if not found:
        raise PVInputError(directory, f"no {kind} file (e.g. {kind}24Q1.txt) in this directory", code="pv.no_file")
    return found


def ingest_faers(
    directory: str | Path,
    out: str | Path,
    *,
    roles: Sequence[str] = DEFAULT_FAERS_ROLES,
    synonyms: str | Path | None = None,
) -> dict[str, int]:
    d = Path(directory)
    if not d.is_dir():
        raise PVInputError(d, "not a directory: give the folder holding the DEMO, DRUG and REAC files",
                           code="pv.no_file")  # fmt: skip
    roles_up = [r.strip().upper() for r in roles if r.strip()]
    bad = [r for r in roles_up if r not in FAERS_ROLES]
    if bad or not roles_up:
        raise PVInputError(d, f"unknown drug role {', '.join(bad) or '(none)'}: use PS, SS, C, I", column="role_cod",
                           code="pv.bad_role")  # fmt: skip
    con = table.connect()
    try:
        demo = _read_faers(con, _find(d, "DEMO"), "DEMO")
        drug = _read_faers(con, _find(d, "DRUG"), "DRUG")
        reac = _read_faers(con, _find(d, "REAC"), "REAC")
        con.execute(f"CREATE OR REPLACE TEMP TABLE pv_drug AS {drug}")
        _install_synonyms(con, synonyms)
        role_list = ", ".join(sql_string(r) for r in roles_up)
        sql = f"""
        WITH demo AS ({demo}),
        latest AS (SELECT * FROM demo WHERE caseid IS NOT NULL AND trim(caseid) <> '' QUALIFY row_number() OVER (
                     PARTITION BY trim(caseid)
                     ORDER BY TRY_CAST(caseversion AS BIGINT) DESC NULLS LAST,
                              TRY_CAST(primaryid AS BIGINT) DESC NULLS LAST, primaryid DESC) = 1),
        drug AS (SELECT primaryid, drugname FROM pv_drug WHERE upper(trim(role_cod)) IN ({role_list})),
        reac AS ({reac}),
        m AS ({normalise.mapping_sql("pv_drug", "drugname")})
        SELECT DISTINCT trim(l.caseid) AS id, m.product AS var1, trim(r.pt) AS var2,
               {_sex_sql("l.sex")} AS sex, {_age_group_sql("l.age", "l.age_cod")} AS age_group
        FROM latest l JOIN drug g USING (primaryid) JOIN m ON m.raw = g.drugname JOIN reac r USING (primaryid)
        WHERE m.product <> '' AND r.pt IS NOT NULL AND trim(r.pt) <> ''
        """
        return _write(con, sql, out)
    finally:
        con.close()


def ingest_caers(
    path: str | Path,
    out: str | Path,
    *,
    roles: Sequence[str] = DEFAULT_CAERS_ROLES,
    synonyms: str | Path | None = None,
) -> dict[str, int]:
    p = Path(path)
    if not p.is_file():
        raise PVInputError(p, "no such file", code="pv.no_file")
    cols = _header(p, ",")
    if len(cols) == 1:
        for delim, word in table.OTHER_DELIMITERS.items():
            if delim in cols[0]:
                raise PVInputError(p, f"wrong delimiter: the header is separated by {word}s; use commas", line=1,
                                   code="pv.delimiter")  # fmt: skip
    found: dict[str, str] = {}
    for field, names in CAERS_FIELDS.items():
        for n in names:
            if n in cols:
                found[field] = n
                break
        else:
            if field not in CAERS_OPTIONAL:
                raise PVInputError(p, f"missing column for the {field} (one of: {', '.join(names)})", line=1,
                                   column=names[0], code="pv.missing_column")  # fmt: skip
    roles_up = [r.strip().upper() for r in roles if r.strip()]
    bad = [r for r in roles_up if r not in CAERS_ROLES]
    if bad or not roles_up:
        raise PVInputError(p, f"unknown product role {', '.join(bad) or '(none)'}: use suspect, concomitant",
                           column=found.get("role"), code="pv.bad_role")  # fmt: skip
    spec = "{" + ", ".join(f"{sql_string(c)}: 'VARCHAR'" for c in cols) + "}"
    reader = (
        f"read_csv({sql_string(str(p))}, header=true, delim=',', quote='\"', escape='\"', strict_mode=true, "
        f"auto_detect=false, columns={spec}, encoding='utf-8')"
    )

    def col(field: str) -> str:
        return quote_ident(found[field]) if field in found else "NULL"

    con = table.connect()
    try:
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE pv_caers AS SELECT {col('id')} AS id, {col('product')} AS product, "
                f"{col('role')} AS role, {col('terms')} AS terms, {col('sex')} AS sex, {col('age')} AS age, "
                f"{col('age_unit')} AS age_unit FROM {reader}"
            )
        except duckdb.Error as exc:
            raise table._translate_csv_error(p, exc, cols) from exc
        _install_synonyms(con, synonyms)
        role_filter = (
            f"AND upper(trim(coalesce(c.role, ''))) IN ({', '.join(sql_string(r) for r in roles_up)})"
            if "role" in found
            else ""
        )
        sql = f"""
        WITH m AS ({normalise.mapping_sql("pv_caers", "product")}),
        t AS (SELECT c.*, trim(unnest(string_split(coalesce(c.terms, ''), ', '))) AS pt FROM pv_caers c)
        SELECT DISTINCT trim(c.id) AS id, m.product AS var1, c.pt AS var2,
               {_sex_sql("c.sex")} AS sex, {_age_group_sql("c.age", "c.age_unit")} AS age_group
        FROM t c JOIN m ON m.raw = c.product
        WHERE m.product <> '' AND c.pt <> '' AND c.id IS NOT NULL AND trim(c.id) <> '' {role_filter}
        """
        return _write(con, sql, out)
    finally:
        con.close()
