"""Load a cohort directory of patient documents into the tidy tables the analyses use.

A cohort directory holds ``patients/*.json``: one document per patient in the record shape of
docs/import-format.md. Two producers write it:

- ``painwise synth`` (format ``painwise.export``: real-looking identities, all FICTIONAL), and
- ``painwise research export`` (format ``painwise.research``: the same records de-identified — study ids,
  shifted dates, wall-clock local times written as UTC with ``time_zone`` "UTC", an ``age_band`` instead of
  the date of birth, free text and lab names removed).

Both load through :func:`load_cohort`, so every analysis runs on either. Lab values are converted to the
analyte's canonical unit with :mod:`painwise.core.labs`; cumulative leaf-equivalent exposure comes from
:mod:`painwise.core.exposure`, never from anything stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from painwise.core.errors import DomainError
from painwise.core.exposure import Product, leaf_grams
from painwise.core.labs import get_analyte, resolve_unit
from painwise.core.labs.units import factor

FORMATS = ("painwise.export", "painwise.research")
# Analytes the analyses read; others are not loaded.
ANALYTES = ("ferritin", "b12", "testosterone", "hemoglobin")
SHEDDING = "hair_shedding"
# Supplements have no coded vocabulary: these words in a supplement's name say which nutrient it gives. A
# research export replaces the (free-text) name by the nutrient found here, so both inputs read the same.
NUTRIENT_WORDS = {
    "iron": ("iron", "ferrous", "ferric", "ferro"),
    "b12": ("b12", "cobalamin", "cyanocobalamin", "methylcobalamin", "hydroxocobalamin"),
    "vitamin_d": ("vitamin d", "d3", "cholecalciferol", "ergocalciferol"),
}


def supplement_nutrient(name: str) -> str:
    """The nutrient a supplement gives, from its name ("" when none of NUTRIENT_WORDS matches)."""
    text = name.lower()
    for nutrient, words in NUTRIENT_WORDS.items():
        if any(word in text for word in words):
            return nutrient
    return ""


MAX_DOCUMENT_BYTES = 200 * 1024 * 1024


@dataclass
class Cohort:
    """Tidy tables of one cohort; every day is the patient's local day (shifted, in a research export).

    ``patients``: one row per patient — patient (study id or username), sex, age (years at the start of
    follow-up; a band's midpoint in a research export), age_band, start, end (first and last recorded
    day), first_onset (first hair-shedding onset day, NaT if none), kratom_user.
    ``labs``: one row per result of ANALYTES — patient, analyte, day, value (canonical unit), unit, on_iron
    and on_b12 (an iron / B12 supplement was taken that day), cum_kg (cumulative leaf-equivalent kg up to and
    including that day).
    ``cumulative_kg``: per patient, cumulative leaf kg for each day from ``start`` to ``end``.
    """

    directory: Path
    kind: str  # "export" (e.g. painwise synth), "research" or "mixed"
    patients: pd.DataFrame
    labs: pd.DataFrame
    cumulative_kg: dict[str, np.ndarray]
    notes: list[str] = field(default_factory=list)

    @property
    def n_patients(self) -> int:
        return len(self.patients)

    def subset(self, keep: Iterable[str]) -> Cohort:
        ids = set(keep)
        return Cohort(
            self.directory,
            self.kind,
            self.patients[self.patients["patient"].isin(ids)].reset_index(drop=True),
            self.labs[self.labs["patient"].isin(ids)].reset_index(drop=True),
            {k: v for k, v in self.cumulative_kg.items() if k in ids},
            list(self.notes),
        )


@cache
def _to_canonical(analyte: str, unit: str) -> float:
    entry = get_analyte(analyte)
    return factor(entry.short_name, resolve_unit(entry, unit).ucum, resolve_unit(entry, entry.canonical_unit).ucum)


def canonical_unit(analyte: str) -> str:
    return get_analyte(analyte).canonical_unit


def age_from_band(band: str) -> float:
    """Midpoint of an age band such as "40-49" (or "80+", taken as 85)."""
    text = str(band).strip()
    try:
        if text.endswith("+"):
            return float(text[:-1]) + 5.0
        low, high = (float(part) for part in text.split("-"))
    except ValueError as exc:
        raise DomainError(
            "research.bad_age_band", f"age_band must look like 40-49 or 80+, got {band!r}", "age_band"
        ) from exc
    return (low + high + 1) / 2


def age_band(age: float) -> str:
    """Ten-year bands, 18-29 at the bottom and 80+ at the top (few people, so top-coded)."""
    if age < 30:
        return "18-29"
    if age >= 80:
        return "80+"
    low = int(age // 10 * 10)
    return f"{low}-{low + 9}"


def _local_days(stamps: list[str], zone: str) -> pd.DatetimeIndex:
    if not stamps:
        return pd.DatetimeIndex([])
    return pd.to_datetime(stamps, utc=True, format="ISO8601").tz_convert(zone).tz_localize(None).normalize()


@dataclass
class _Parsed:
    row: dict[str, Any]
    labs: list[tuple[Any, ...]]  # (patient, analyte, day, canonical value, on iron, on b12, day offset)
    products: list[Product]
    doses: dict[str, list[Any]]  # product_id, amount, unit, status, offset (days since start)
    days: int  # follow-up length in days (start..end inclusive)


def _parse(doc: dict[str, Any], path: Path) -> _Parsed:
    patient = doc.get("patient")
    if not isinstance(patient, dict):
        raise DomainError("research.bad_document", f"{path.name}: no patient object", "patient")
    who = str(patient.get("username") or patient.get("id"))
    zone = patient.get("time_zone") or "UTC"
    stamps = [r["occurred_at"] for kind in ("pain_entries", "check_ins", "dose_events") for r in doc.get(kind, [])]
    stamps += [r["collected_at"] for r in doc.get("lab_results", [])]
    if not stamps:
        raise DomainError("research.bad_document", f"{path.name}: patient {who} has no dated records", "patient")
    first, last = _local_days([min(stamps), max(stamps)], zone)
    start, end = first.date(), last.date()

    # Product ids are made unique across the cohort so all patients' doses convert in one batch.
    products = [
        Product(f"{who}/{t['id']}", t["form"], t["unit"], t.get("leaf_g_per_unit"), t.get("mitragynine_mg_per_g"))
        for t in doc.get("therapies", [])
        if t.get("kind") == "kratom"
    ]
    events = doc.get("dose_events", [])
    offsets = (_local_days([d["occurred_at"] for d in events], zone) - first).days
    doses: dict[str, list[Any]] = {
        "product_id": [f"{who}/{d['product_id']}" for d in events],
        "amount": [float(d["amount"]) for d in events],
        "unit": [d["unit"] for d in events],
        "status": [d["status"] for d in events],
        "offset": list(offsets),
    }
    results = [r for r in doc.get("lab_results", []) if r.get("analyte") in ANALYTES and r.get("value") is not None]
    draw_days = _local_days([r["collected_at"] for r in results], zone)
    supplements = [
        (supplement_nutrient(t.get("name") or ""), t.get("start_date"), t.get("stop_date"))
        for t in doc.get("therapies", [])
        if t.get("kind") == "supplement"
    ]

    def taking(nutrient: str, day: pd.Timestamp) -> bool:
        text = day.date().isoformat()
        return any(n == nutrient and (a or "") <= text and (b is None or text <= b) for n, a, b in supplements)

    labs = [
        (
            who, r["analyte"], day, float(r["value"]) * _to_canonical(r["analyte"], r["unit"]),
            taking("iron", day), taking("b12", day), (day - first).days,
        )
        for r, day in zip(results, draw_days, strict=True)
    ]  # fmt: skip
    onsets = [
        pd.Timestamp(s["onset_date"]) if s.get("onset_date") else _local_days([s["occurred_at"]], zone)[0]
        for s in doc.get("side_effects", [])
        if s.get("kind") == SHEDDING
    ]
    if patient.get("date_of_birth"):
        born = dt.date.fromisoformat(patient["date_of_birth"])
        age = (start - born).days / 365.25
        band = age_band(age)
    elif patient.get("age_band"):
        band = str(patient["age_band"])
        age = age_from_band(band)
    else:
        raise DomainError("research.bad_document", f"{path.name}: needs date_of_birth or age_band", "patient")
    row = {
        "patient": who,
        "sex": patient.get("sex_at_birth"),
        "age": float(age),
        "age_band": band,
        "start": pd.Timestamp(start),
        "end": pd.Timestamp(end),
        "first_onset": min(onsets) if onsets else pd.NaT,
    }
    return _Parsed(row, labs, products, doses, (end - start).days + 1)


def _cumulative(batch: list[_Parsed]) -> list[np.ndarray]:
    """Cumulative leaf kg per day for each patient of a batch (one vectorised conversion for all doses)."""
    frame = pd.DataFrame({key: [v for p in batch for v in p.doses[key]] for key in batch[0].doses})
    grams = leaf_grams([product for p in batch for product in p.products], frame) if len(frame) else np.zeros(0)
    series, at = [], 0
    for parsed in batch:
        n = len(parsed.doses["offset"])
        daily = np.bincount(np.asarray(parsed.doses["offset"], dtype=int), grams[at : at + n], minlength=parsed.days)
        series.append(np.cumsum(daily[: parsed.days]) / 1000.0)
        at += n
    return series


BATCH = 50


def patient_files(directory: Path | str) -> list[Path]:
    root = Path(directory)
    folder = root / "patients"
    if not root.is_dir():
        raise DomainError("research.no_cohort", f"{root} is not a directory", "DIR")
    if not folder.is_dir():
        raise DomainError(
            "research.no_cohort",
            f"{root} has no patients/ folder: give the output of `painwise synth` or `painwise research export`",
            "DIR",
        )
    files = sorted(folder.glob("*.json"))
    if not files:
        raise DomainError("research.no_cohort", f"{folder} holds no patient documents (*.json)", "DIR")
    return files


def read_document(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise DomainError("research.bad_document", f"{path.name} is larger than 200 MiB", "DIR")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError("research.bad_document", f"{path.name} is not a JSON document ({exc})", "DIR") from exc
    if not isinstance(doc, dict) or doc.get("format") not in FORMATS:
        raise DomainError("research.bad_document", f"{path.name}: format must be one of {', '.join(FORMATS)}", "format")
    return doc


def load_documents(
    docs: Iterable[tuple[Path, dict[str, Any]]],
    directory: Path | str = ".",
    progress: Callable[[int], None] | None = None,
) -> Cohort:
    rows: list[dict[str, Any]] = []
    labs: list[tuple[Any, ...]] = []
    cumulative: dict[str, np.ndarray] = {}
    formats: set[str] = set()
    batch: list[_Parsed] = []

    def flush() -> None:
        for parsed, series in zip(batch, _cumulative(batch), strict=True):
            who = parsed.row["patient"]
            cumulative[who] = series
            rows.append({**parsed.row, "kratom_user": bool(series[-1] > 0)})
            labs.extend((*lab[:6], float(series[min(max(lab[6], 0), len(series) - 1)])) for lab in parsed.labs)
        batch.clear()

    seen: set[str] = set()
    for done, (path, doc) in enumerate(docs, start=1):
        try:
            parsed = _parse(doc, path)
        except (KeyError, TypeError, ValueError) as exc:
            raise DomainError("research.bad_document", f"{path.name}: malformed record ({exc!r})", "DIR") from exc
        if parsed.row["patient"] in seen:
            raise DomainError(
                "research.bad_document", f"{path.name}: patient {parsed.row['patient']} appears twice", "DIR"
            )
        seen.add(parsed.row["patient"])
        batch.append(parsed)
        formats.add(doc["format"])
        if len(batch) >= BATCH:
            flush()
        if progress:
            progress(done)
    if batch:
        flush()
    kind = "mixed" if len(formats) > 1 else ("research" if formats == {"painwise.research"} else "export")
    patients = pd.DataFrame(rows)
    lab_frame = pd.DataFrame(labs, columns=["patient", "analyte", "day", "value", "on_iron", "on_b12", "cum_kg"])
    lab_frame["unit"] = lab_frame["analyte"].map(canonical_unit)
    notes = []
    dropped = int((lab_frame["value"] <= 0).sum())
    if dropped:
        notes.append(f"{dropped} lab result(s) of 0 were left out (the logarithm of 0 is undefined).")
        lab_frame = lab_frame[lab_frame["value"] > 0].reset_index(drop=True)
    return Cohort(Path(directory), kind, patients, lab_frame, cumulative, notes)


def load_cohort(directory: Path | str, progress: Callable[[int], None] | None = None) -> Cohort:
    """Read every ``patients/*.json`` under ``directory`` (a synth output or a research export)."""
    files = patient_files(directory)
    return load_documents(((path, read_document(path)) for path in files), directory, progress)


def save_cohort(cohort: Cohort, folder: Path) -> None:
    """Keep a loaded cohort on disk (Parquet tables + a NumPy archive; no pickle) to skip re-reading documents."""
    folder.mkdir(parents=True, exist_ok=True)
    cohort.patients.to_parquet(folder / "patients.parquet", index=False)
    cohort.labs.to_parquet(folder / "labs.parquet", index=False)
    ids = list(cohort.cumulative_kg)
    arrays: dict[str, Any] = {f"arr_{n}": cohort.cumulative_kg[who] for n, who in enumerate(ids)}
    arrays["ids"] = np.array(ids, dtype=str)
    np.savez(folder / "cumulative.npz", **arrays)
    (folder / "meta.json").write_text(json.dumps({"kind": cohort.kind, "notes": cohort.notes}), encoding="utf-8")


def read_saved_cohort(folder: Path, directory: Path) -> Cohort:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    with np.load(folder / "cumulative.npz", allow_pickle=False) as archive:
        ids = [str(i) for i in archive["ids"]]
        cumulative = {who: archive[f"arr_{n}"] for n, who in enumerate(ids)}
    patients = pd.read_parquet(folder / "patients.parquet")
    labs = pd.read_parquet(folder / "labs.parquet")
    return Cohort(directory, meta["kind"], patients, labs, cumulative, list(meta["notes"]))
