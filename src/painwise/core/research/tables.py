"""The tables of a research export (record-level and aggregate), their dictionary and small-cell suppression."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from painwise.core.research.cohort import Cohort

# Counts from 1 to SMALL_CELL - 1 are suppressed in every aggregate table (0 is shown: it discloses nobody).
SMALL_CELL = 5

DICTIONARY: dict[str, list[tuple[str, str, str]]] = {
    "patients": [
        ("study_id", "string", "random study id, new in every export; not linkable to an account"),
        ("sex_at_birth", "string", "female or male"),
        ("age_band", "string", "age at the start of follow-up: 18-29, 30-39, ..., 70-79, 80+"),
        ("follow_up_days", "integer", "days from the first to the last recorded day"),
        ("start_day", "date", "first recorded day (shifted)"),
        ("kratom_user", "boolean", "any leaf-equivalent kratom exposure recorded"),
        ("cumulative_leaf_kg", "number", "cumulative leaf-equivalent kratom (kg) at the end of follow-up"),
        ("first_shedding_onset", "date", "first hair-shedding onset (shifted), empty if none"),
    ],
    "lab_results": [
        ("study_id", "string", "patient"),
        ("analyte", "string", "ferritin, b12, testosterone or hemoglobin (painwise.core.labs short name)"),
        ("day", "date", "collection day (local, shifted)"),
        ("value", "number", "result converted to the analyte's canonical unit"),
        ("unit", "string", "canonical unit (ferritin ng/mL, b12 pg/mL, testosterone ng/dL, hemoglobin g/dL)"),
        ("cumulative_leaf_kg", "number", "cumulative leaf-equivalent kratom (kg) up to and including that day"),
    ],
    "exposure_daily": [
        ("study_id", "string", "patient"),
        ("day", "date", "local day (shifted)"),
        ("leaf_g", "number", "leaf-equivalent kratom that day (g), computed from dose records"),
        ("cumulative_leaf_kg", "number", "cumulative leaf-equivalent kratom (kg)"),
    ],
    "pain_daily": [
        ("study_id", "string", "patient"),
        ("day", "date", "local day (shifted)"),
        ("mean_nrs", "number", "mean pain rating (0-10) of the day's entries"),
        ("entries", "integer", "number of pain entries that day"),
    ],
    "side_effects": [
        ("study_id", "string", "patient"),
        ("kind", "string", "side-effect kind (painwise.core.diary vocabulary)"),
        ("onset_date", "date", "onset (shifted), if recorded"),
        ("resolved_date", "date", "resolution (shifted), if recorded"),
        ("ctcae_grade", "integer", "CTCAE grade, if recorded"),
        ("severity", "string", "mild, moderate or severe, if recorded"),
    ],
    "questionnaires": [
        ("study_id", "string", "patient"),
        ("code", "string", "instrument (peg, phq9, gad7, ...)"),
        ("day", "date", "completion day (shifted)"),
        ("total", "number", "total score"),
        ("band", "string", "severity band of the total"),
    ],
    "summary": [
        ("sex_at_birth", "string", "female or male"),
        ("age_band", "string", "age band"),
        ("patients", "integer", f"patients in the cell; empty when 1-{SMALL_CELL - 1} (suppressed)"),
        ("kratom_users", "integer", f"of whom recorded kratom exposure; empty when 1-{SMALL_CELL - 1}"),
        ("with_shedding", "integer", f"of whom recorded hair shedding; empty when 1-{SMALL_CELL - 1}"),
        ("suppressed", "boolean", "true when any count in the row was suppressed"),
    ],
}


def doc_rows(doc: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of the diary-derived tables from one de-identified document (its times are already local)."""
    who = doc["patient"]["id"]
    pain: dict[str, list[int]] = {}
    for entry in doc.get("pain_entries", []):
        pain.setdefault(entry["occurred_at"][:10], []).append(entry["nrs"])
    return {
        "pain_daily": [(who, day, float(np.mean(v)), len(v)) for day, v in sorted(pain.items())],
        "side_effects": [
            (who, s["kind"], s.get("onset_date"), s.get("resolved_date"), s.get("ctcae_grade"), s.get("severity"))
            for s in doc.get("side_effects", [])
        ],
        "questionnaires": [
            (who, q["code"], q["completed_at"][:10], q.get("total"), q.get("band"))
            for q in doc.get("questionnaire_responses", [])
        ],
    }


def suppress(frame: pd.DataFrame, columns: list[str], threshold: int = SMALL_CELL) -> pd.DataFrame:
    """Blank counts from 1 to threshold-1 and flag the row; a blanked count cannot be recovered from a total
    because no totals are published alongside."""
    out = frame.copy()
    small = (out[columns] > 0) & (out[columns] < threshold)
    out[columns] = out[columns].astype("Int64").mask(small)
    out["suppressed"] = small.any(axis=1)
    return out


def summary_table(patients: pd.DataFrame, threshold: int = SMALL_CELL) -> pd.DataFrame:
    frame = patients.assign(with_shedding=patients["first_onset"].notna())
    table = (
        frame.groupby(["sex", "age_band"])
        .agg(patients=("patient", "size"), kratom_users=("kratom_user", "sum"), with_shedding=("with_shedding", "sum"))
        .reset_index()
        .rename(columns={"sex": "sex_at_birth"})
    )
    return suppress(table, ["patients", "kratom_users", "with_shedding"], threshold)


def cohort_tables(cohort: Cohort, rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, pd.DataFrame]:
    p = cohort.patients
    columns = {name: [c[0] for c in spec] for name, spec in DICTIONARY.items()}
    patients = pd.DataFrame(
        {
            "study_id": p["patient"],
            "sex_at_birth": p["sex"],
            "age_band": p["age_band"],
            "follow_up_days": (p["end"] - p["start"]).dt.days + 1,
            "start_day": p["start"].dt.date,
            "kratom_user": p["kratom_user"],
            "cumulative_leaf_kg": [float(cohort.cumulative_kg[w][-1]) for w in p["patient"]],
            "first_shedding_onset": p["first_onset"].dt.date,
        }
    )
    labs = cohort.labs.rename(columns={"patient": "study_id", "cum_kg": "cumulative_leaf_kg"})
    labs = labs.assign(day=labs["day"].dt.date)[columns["lab_results"]]
    exposure = []
    for who, start in zip(p["patient"], p["start"], strict=True):
        cumulative = cohort.cumulative_kg[who]
        days = pd.date_range(start, periods=len(cumulative), freq="D").date
        daily = np.diff(cumulative, prepend=0.0) * 1000
        exposure.append(pd.DataFrame({"study_id": who, "day": days, "leaf_g": daily.round(3),
                                      "cumulative_leaf_kg": cumulative.round(6)}))  # fmt: skip
    tables = {
        "patients": patients,
        "lab_results": labs,
        "exposure_daily": pd.concat(exposure, ignore_index=True)
        if exposure
        else pd.DataFrame(columns=columns["exposure_daily"]),
    }
    for name in ("pain_daily", "side_effects", "questionnaires"):
        tables[name] = pd.DataFrame(rows.get(name, []), columns=columns[name])
    tables["summary"] = summary_table(p)
    return tables


def write_tables(root: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Each table as Parquet and CSV, plus the data dictionary (CSV and Markdown)."""
    written = []
    for folder in ("parquet", "csv"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_parquet(root / "parquet" / f"{name}.parquet", engine="pyarrow", index=False)
        frame.to_csv(root / "csv" / f"{name}.csv", index=False)
        written += [root / "parquet" / f"{name}.parquet", root / "csv" / f"{name}.csv"]
    entries = [(table, *column) for table, spec in DICTIONARY.items() for column in spec]
    pd.DataFrame(entries, columns=["table", "column", "type", "description"]).to_csv(
        root / "data_dictionary.csv", index=False
    )
    lines = ["# Data dictionary", ""]
    for table, spec in DICTIONARY.items():
        lines += [f"## {table}", "", "| column | type | description |", "|---|---|---|"]
        lines += [f"| {c} | {t} | {d} |" for c, t, d in spec] + [""]
    (root / "data_dictionary.md").write_text("\n".join(lines), encoding="utf-8")
    return [*written, root / "data_dictionary.csv", root / "data_dictionary.md"]
