"""Product-name normalisation and synonym mapping (in DuckDB SQL, one implementation for all inputs).

normalise(name) = upper case, accents stripped, every run of characters that are not letters or digits
replaced by one space, trimmed: "Mitragyna speciosa (Korth.)" → "MITRAGYNA SPECIOSA KORTH".

A synonym file is a UTF-8 CSV with columns `name,canonical[,match]`: `name` is normalised the same way;
`match` is `exact` (default: the whole normalised name) or `word` (the normalised name contains `name` as
whole words, e.g. "RED BALI KRATOM POWDER" contains "KRATOM"). Exact matches win over word matches; among
word matches the longest `name` wins. Names that match nothing stay as normalised.

The built-in map sends kratom products and their alkaloids to one product, KRATOM (Mitragyna speciosa
leaf, mitragynine and 7-hydroxymitragynine are the names under which kratom appears in CAERS and FAERS).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from painwise.core.pv.errors import PVInputError

NORMALISE_SQL = "trim(regexp_replace(upper(strip_accents({x})), '[^\\p{{L}}\\p{{N}}]+', ' ', 'g'))"

KRATOM = "KRATOM"
BUILTIN_SYNONYMS: tuple[tuple[str, str, str], ...] = (
    ("kratom", KRATOM, "word"),
    ("kratum", KRATOM, "word"),
    ("ketum", KRATOM, "word"),
    ("mitragyna", KRATOM, "word"),
    ("mitragyna speciosa", KRATOM, "word"),
    ("mitragynine", KRATOM, "word"),
    ("7-hydroxymitragynine", KRATOM, "word"),
    ("7-OH-mitragynine", KRATOM, "word"),
    ("7-OH", KRATOM, "exact"),
    ("mitragynine pseudoindoxyl", KRATOM, "word"),
)


def normalise_expr(column: str) -> str:
    return NORMALISE_SQL.format(x=column)


def normalise(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    """Normalise Python strings with the SQL expression (for tests and the web page's product box)."""
    if not names:
        return []
    rows = con.execute(
        f"SELECT {normalise_expr('n')} FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(n, i) ORDER BY i", [names]
    ).fetchall()
    return [r[0] for r in rows]


def read_synonyms(path: str | Path | None) -> list[tuple[str, str, str]]:
    """The built-in kratom map plus, when given, the rows of a synonym file (its rows come first)."""
    rows: list[tuple[str, str, str]] = []
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise PVInputError(p, "no such synonym file", code="pv.no_file")
        try:
            with p.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                fields = reader.fieldnames or []
                for col in ("name", "canonical"):
                    if col not in fields:
                        raise PVInputError(p, f"missing column {col!r}", line=1, column=col,
                                           code="pv.missing_column")  # fmt: skip
                for i, rec in enumerate(reader, 2):
                    name, canonical = (rec.get("name") or "").strip(), (rec.get("canonical") or "").strip()
                    match = (rec.get("match") or "exact").strip().lower()
                    if not name:
                        raise PVInputError(p, "empty value", line=i, column="name", code="pv.empty_value")
                    if not canonical:
                        raise PVInputError(p, "empty value", line=i, column="canonical", code="pv.empty_value")
                    if match not in ("exact", "word"):
                        raise PVInputError(p, f"match must be exact or word, got {match!r}", line=i, column="match",
                                           code="pv.bad_value")  # fmt: skip
                    rows.append((name, canonical, match))
        except UnicodeDecodeError as exc:
            raise PVInputError(p, "not UTF-8; save the file as UTF-8", code="pv.encoding") from exc
    rows.extend(BUILTIN_SYNONYMS)
    return rows


def install(con: duckdb.DuckDBPyConnection, synonyms: list[tuple[str, str, str]]) -> None:
    """Create the table `pv_synonyms(name, canonical, match, rank)` with normalised names."""
    con.execute("CREATE OR REPLACE TEMP TABLE pv_syn_in (name VARCHAR, canonical VARCHAR, match VARCHAR, rank INT)")
    if synonyms:
        con.executemany("INSERT INTO pv_syn_in VALUES (?, ?, ?, ?)", [(*s, i) for i, s in enumerate(synonyms)])
    con.execute(
        "CREATE OR REPLACE TEMP TABLE pv_synonyms AS SELECT "
        f"{normalise_expr('name')} AS name, {normalise_expr('canonical')} AS canonical, match, rank FROM pv_syn_in"
    )


def mapping_sql(names_table: str, column: str) -> str:
    """SQL selecting (raw, product) for every distinct raw name in `names_table.column`."""
    return f"""
    WITH names AS (SELECT DISTINCT {column} AS raw, {normalise_expr(column)} AS norm FROM {names_table}
                   WHERE {column} IS NOT NULL),
    exact AS (SELECT n.raw, arg_min(s.canonical, s.rank) AS canonical FROM names n
              JOIN pv_synonyms s ON s.match = 'exact' AND s.name = n.norm GROUP BY n.raw),
    word AS (SELECT n.raw, arg_max(s.canonical, length(s.name) * 100000 - s.rank) AS canonical FROM names n
             JOIN pv_synonyms s ON s.match = 'word' AND s.name <> ''
               AND contains(' ' || n.norm || ' ', ' ' || s.name || ' ') GROUP BY n.raw)
    SELECT n.raw, coalesce(e.canonical, w.canonical, n.norm) AS product
    FROM names n LEFT JOIN exact e USING (raw) LEFT JOIN word w USING (raw)
    """
