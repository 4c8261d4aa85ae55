"""Parsing a lab-report CSV (docs/labs-entry.md) into checked results, or every problem with its row.

Row numbers are the spreadsheet's: the header is row 1, the first result row 2. Each cell is checked
exactly as an API field would be (painwise.labs.entry), and each problem reads `row 3, unit: ...`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from painwise.core.errors import DomainError
from painwise.core.labs import LabConfig, LabInterpretation
from painwise.labs.entry import check_entry
from painwise.labs.models import LabResult
from painwise.patients.models import Patient

COLUMNS = ("analyte", "value", "unit", "collected_at", "ref_low", "ref_high", "lab_name", "note")
REQUIRED_COLUMNS = ("analyte", "value", "unit", "collected_at")
MAX_CSV_BYTES = 1024 * 1024  # a lab report is a few kB; a megabyte is years of results
MAX_CSV_ROWS = 5000
MAX_PROBLEMS = 20  # enough to fix a file in one go, short enough to read


@dataclass
class CsvImportError(DomainError):
    """All problems found (the message shows the first few); nothing was stored."""

    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedRow:
    row: int
    values: dict[str, Any]
    interpretation: LabInterpretation


@dataclass
class ParsedCsv:
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {"row": 4, "reason": "..."}


class _RowProblem(Exception):
    def __init__(self, column: str | None, message: str) -> None:
        self.column, self.message = column, message


def _fail(problems: list[str], first_field: str | None, status: int = 422) -> CsvImportError:
    shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
    return CsvImportError("labs.csv_invalid", f"Nothing was imported: {shown}", first_field, status, problems)


def _number(cell: str, column: str) -> float | None:
    text = cell.strip()
    if not text:
        return None
    if text[0] in "<>≤≥":
        raise _RowProblem(column, f"{text!r} is a censored value (below/above a limit); enter a number.")
    try:
        number = float(text)
    except ValueError:
        hint = " (use a dot for decimals)" if "," in text else ""
        raise _RowProblem(column, f"{text!r} is not a number{hint}.") from None
    if not math.isfinite(number):
        raise _RowProblem(column, f"{text!r} is not a finite number.")
    return number


def _when(cell: str, patient: Patient) -> dt.datetime:
    text = cell.strip()
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment, day = None, None
    if moment is not None:
        # Without an offset the time is the patient's local time, as a lab report prints it.
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    if day is not None:
        return dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    raise _RowProblem("collected_at", f"{text!r} is not a date (YYYY-MM-DD) or ISO 8601 date-time.")


def _header(rows: list[list[str]]) -> list[str]:
    if not rows:
        raise _fail(["row 1: the file is empty; the first row must name the columns"], "csv")
    header = [cell.strip().lower() for cell in rows[0]]
    problems = []
    if len(header) == 1 and ";" in header[0]:
        problems.append("row 1: columns must be separated by commas, not semicolons")
    for name in header:
        if name not in COLUMNS:
            problems.append(f"row 1, {name or '(blank)'}: unknown column; columns are {', '.join(COLUMNS)}")
    for name in REQUIRED_COLUMNS:
        if name not in header:
            problems.append(f"row 1: the {name} column is missing")
    duplicates = sorted({n for n in header if header.count(n) > 1})
    problems += [f"row 1, {name}: the column appears twice" for name in duplicates]
    if problems:
        raise _fail(problems, "csv")
    return header


def _record(cells: list[str], header: list[str], patient: Patient) -> dict[str, Any]:
    if len(cells) != len(header):
        raise _RowProblem(None, f"expected {len(header)} cells (one per column), got {len(cells)}.")
    raw = dict(zip(header, cells, strict=True))
    return {
        "analyte": raw["analyte"].strip(),
        "value": _number(raw["value"], "value"),
        "unit": raw["unit"].strip(),
        "collected_at": _when(raw["collected_at"], patient) if raw["collected_at"].strip() else None,
        "ref_low": _number(raw.get("ref_low", ""), "ref_low"),
        "ref_high": _number(raw.get("ref_high", ""), "ref_high"),
        "lab_name": raw.get("lab_name", ""),
        "note": raw.get("note", ""),
    }


def duplicate_key(analyte: str, collected_at: dt.datetime, canonical_value: float) -> tuple[str, dt.datetime, float]:
    # Compared in the canonical unit, so the same result typed in pmol/L and in pg/mL is one result.
    return analyte, collected_at.astimezone(dt.UTC), float(f"{canonical_value:.9g}")


def _stored_keys(patient: Patient) -> set[tuple[str, dt.datetime, float]]:
    live = LabResult.objects.live().filter(patient=patient)
    return {duplicate_key(*row) for row in live.values_list("analyte", "collected_at", "canonical_value")}


def parse_lab_csv(patient: Patient, text: str, *, now: dt.datetime, config: LabConfig) -> ParsedCsv:
    if len(text.encode("utf-8", errors="replace")) > MAX_CSV_BYTES:
        raise _fail([f"the file is larger than {MAX_CSV_BYTES // 1024} kB; split it"], "csv", 413)
    try:
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    except csv.Error as exc:
        raise _fail([f"the file is not valid CSV ({exc})"], "csv") from exc
    header = _header(rows)
    if len(rows) - 1 > MAX_CSV_ROWS:
        raise _fail([f"the file has {len(rows) - 1} rows; at most {MAX_CSV_ROWS} per import"], "csv", 413)
    parsed, problems, first_field = ParsedCsv(), [], None
    seen = _stored_keys(patient)
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines at the end of exported spreadsheets
        try:
            try:
                values, result = check_entry(patient, _record(cells, header, patient), now=now, config=config)
            except DomainError as exc:
                raise _RowProblem(exc.field, exc.message) from exc
        except _RowProblem as problem:
            where = f"row {number}, {problem.column}" if problem.column else f"row {number}"
            problems.append(f"{where}: {problem.message}")
            first_field = first_field or (f"rows[{number}].{problem.column}" if problem.column else f"rows[{number}]")
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        key = duplicate_key(values["analyte"], values["collected_at"], result.canonical_value)
        if key in seen:
            reason = "same analyte, collected_at and value as a stored result or an earlier row"
            parsed.skipped.append({"row": number, "reason": reason})
            continue
        seen.add(key)
        parsed.rows.append(ParsedRow(number, values, result))
    if problems:
        raise _fail(problems, first_field)
    return parsed
