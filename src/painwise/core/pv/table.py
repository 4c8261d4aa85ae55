"""Reading and validating the long table `id, var1, var2[, strata…]` (CSV or Parquet) into DuckDB.

The layout is openEBGM's: one row per report × product × event; `id` is the report, `var1` the product,
`var2` the event (a MedDRA preferred term). Every error names the file, the line (CSV; line 1 is the
header) or row (Parquet) and the column; nothing is written when input is bad.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import duckdb

from painwise.core.pv.errors import PVInputError

REQUIRED = ("id", "var1", "var2")
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe", "$": "dollar sign"}
SOURCE = "pv_source"
INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
)


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection without its progress bar (it would write to our stdout)."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def file_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".csv", ".csv.gz", ".txt")):
        return "csv"
    raise PVInputError(path, "unknown file type: use .csv (comma-separated, UTF-8) or .parquet", code="pv.file_type")


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _csv_header(path: Path) -> list[str]:
    with _open(path) as fh:
        first = fh.readline()
    if not first.strip():
        raise PVInputError(path, "the file is empty (no header line)", line=1, code="pv.empty_file")
    try:
        text = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise PVInputError(
            path, f"not UTF-8 (invalid byte at position {exc.start + 1}); save the file as UTF-8", line=1,
            code="pv.encoding",
        ) from exc  # fmt: skip
    return [c.strip().strip('"') for c in text.split(",")]


def check_columns(path: Path, columns: Sequence[str], strata: Sequence[str], *, csv: bool, header: str = "") -> None:
    line = 1 if csv else None
    for name in (*REQUIRED, *strata):
        if name in columns:
            continue
        if csv and len(columns) == 1:
            for delim, word in OTHER_DELIMITERS.items():
                if delim in header and name in [c.strip().strip('"') for c in header.split(delim)]:
                    raise PVInputError(
                        path, f"wrong delimiter: the header is separated by {word}s; use commas", line=1,
                        code="pv.delimiter",
                    )  # fmt: skip
        raise PVInputError(
            path, f"missing column {name!r} (found: {', '.join(columns) or 'none'})", line=line, column=name,
            code="pv.missing_column",
        )  # fmt: skip


def _translate_csv_error(path: Path, exc: Exception, columns: Sequence[str]) -> PVInputError:
    text = str(exc)
    m = re.search(r"Line: (\d+)", text)
    line = int(m.group(1)) if m else None
    if "Invalid unicode" in text or "utf-8" in text.lower():
        column = _bad_utf8_column(path, line, columns) if line else None
        return PVInputError(path, "not UTF-8; save the file as UTF-8", line=line, column=column, code="pv.encoding")
    m = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if m:
        expected, found = int(m.group(1)), int(m.group(2))
        column = columns[found] if found < expected else None
        msg = f"expected {expected} comma-separated values, found {found}"
        return PVInputError(path, msg, line=line, column=column, code="pv.row_shape")
    first = text.splitlines()[0] if text else type(exc).__name__
    return PVInputError(path, f"cannot be read as CSV: {first}", line=line, code="pv.unreadable")


def _bad_utf8_column(path: Path, line: int, columns: Sequence[str]) -> str | None:
    with _open(path) as fh:
        for i, raw in enumerate(fh, 1):
            if i == line:
                for j, cell in enumerate(raw.rstrip(b"\r\n").split(b",")):
                    try:
                        cell.decode("utf-8")
                    except UnicodeDecodeError:
                        return columns[j] if j < len(columns) else None
                return None
    return None


def load(con: duckdb.DuckDBPyConnection, path: str | Path, strata: Sequence[str] = ()) -> int:
    """Validate `path` and create the view `pv_source(id, var1, var2, stratum)`; return its row count."""
    p = Path(path)
    if not p.is_file():
        raise PVInputError(p, "no such file", code="pv.no_file")
    kind = file_kind(p)
    id_type = "VARCHAR"
    if p.stat().st_size == 0:
        raise PVInputError(p, "the file is empty", line=1 if kind == "csv" else None, code="pv.empty_file")
    if kind == "csv":
        columns = _csv_header(p)
        with _open(p) as fh:
            header = fh.readline().decode("utf-8-sig", errors="replace")
        check_columns(p, columns, strata, csv=True, header=header)
        spec = "{" + ", ".join(f"{sql_string(c)}: 'VARCHAR'" for c in columns) + "}"
        reader = (
            f"read_csv({sql_string(str(p))}, header=true, delim=',', quote='\"', escape='\"', strict_mode=true, "
            f"auto_detect=false, columns={spec}, encoding='utf-8')"
        )
    else:
        try:
            described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({sql_string(str(p))})").fetchall()
        except duckdb.Error as exc:
            raise PVInputError(
                p, f"cannot be read as Parquet: {str(exc).splitlines()[0]}", code="pv.unreadable"
            ) from exc
        columns = [r[0] for r in described]
        check_columns(p, columns, strata, csv=False)
        reader = f"read_parquet({sql_string(str(p))})"
        id_type = str(dict((r[0], r[1]) for r in described).get("id", ""))
    stratum = (
        "concat_ws(' | ', " + ", ".join(f"CAST({quote_ident(s)} AS VARCHAR)" for s in strata) + ")" if strata else "''"
    )
    strata_cols = [f"CAST({quote_ident(s)} AS VARCHAR) AS {quote_ident('s_' + s)}" for s in strata]
    # Integer report ids stay integers (distinct counts hash them far faster than their text); anything
    # else is compared as text. Either way two ids are the same report exactly when their text is the same.
    native_id = kind == "parquet" and id_type in INTEGER_TYPES
    select_cols = [
        "id" if native_id else "CAST(id AS VARCHAR) AS id",
        "CAST(var1 AS VARCHAR) AS var1",
        "CAST(var2 AS VARCHAR) AS var2",
        f"{stratum} AS stratum",
        *strata_cols,
    ]
    select = f"SELECT {', '.join(select_cols)} FROM {reader}"
    # CSV is parsed once into a table (line numbers kept for errors). Parquet stays a view: DuckDB scans its
    # columns in parallel faster than it copies them, and row numbers are only needed once a value is bad.
    numbered = "pv_raw"
    try:
        if kind == "csv":
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE pv_raw AS SELECT *, row_number() OVER () AS pv_row FROM ({select})"
            )
        else:
            con.execute(f"CREATE OR REPLACE TEMP VIEW pv_raw AS {select}")
            numbered = "(SELECT *, row_number() OVER () AS pv_row FROM pv_raw)"
    except duckdb.Error as exc:
        if kind == "csv":
            raise _translate_csv_error(p, exc, columns) from exc
        raise PVInputError(p, f"cannot be read: {str(exc).splitlines()[0]}", code="pv.unreadable") from exc
    rows = int(con.execute("SELECT count(*) FROM pv_raw").fetchall()[0][0])
    if rows == 0:
        raise PVInputError(p, "the file has a header but no data rows", line=2 if kind == "csv" else None,
                           code="pv.empty_file")  # fmt: skip
    checks = [*REQUIRED, *(f"s_{s}" for s in strata)]
    # Products and events repeat: their blank test runs on the distinct values (kept as the dictionaries
    # pv_var1 / pv_var2, which counting reuses), and the rows are searched only when one is blank.
    for col in ("var1", "var2"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE pv_{col} AS SELECT DISTINCT {col} FROM pv_raw")
    blank_values = con.execute(
        "SELECT (SELECT count(*) FROM pv_var1 WHERE var1 IS NULL OR trim(var1) = '') + "
        "(SELECT count(*) FROM pv_var2 WHERE var2 IS NULL OR trim(var2) = '')"
    ).fetchall()[0][0]
    row_checks = [c for c in checks if blank_values or c not in ("var1", "var2")]
    cond = " OR ".join(
        f"{quote_ident(c)} IS NULL" + ("" if c == "id" and native_id else f" OR trim({quote_ident(c)}) = ''")
        for c in row_checks
    )
    bad = con.execute(f"SELECT 1 FROM pv_raw WHERE {cond} LIMIT 1").fetchall()
    if bad:  # only now number the rows, to name the first bad one
        bad = con.execute(f"SELECT pv_row, {', '.join(quote_ident(c) for c in checks)} FROM {numbered} "
                          f"WHERE {cond} ORDER BY pv_row LIMIT 1").fetchall()  # fmt: skip
    if bad:
        first = bad[0]
        for name, value in zip(checks, first[1:], strict=True):
            if value is None or not str(value).strip():
                column = name[2:] if name.startswith("s_") else name
                line = int(first[0]) + (1 if kind == "csv" else 0)
                raise PVInputError(p, "empty value", line=line, column=column, code="pv.empty_value",
                                   row_word="line" if kind == "csv" else "row")  # fmt: skip
    con.execute(f"CREATE OR REPLACE TEMP VIEW {SOURCE} AS SELECT id, var1, var2, stratum FROM pv_raw")
    return rows
