"""Shared parts of the analyses: the result object, the per-day frame every analysis reads, dates.

Every analysis takes a ``PatientSnapshot`` and returns a result object (the lifelines pattern):
``.summary`` (a pandas DataFrame), ``to_dict()`` (JSON-ready), ``chart()`` (inline SVG, accessible: a
<title> and a <desc>) and ``sentence`` (plain language). When the record cannot support an analysis the
result says so (``status == "insufficient_data"``) and ``missing`` says what is missing, e.g. "needs at
least 7 days with pain entries in each window; the baseline has 4". Bad input (a date in the wrong order)
raises ``DomainError`` naming the field.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from painwise.core.snapshot import PatientSnapshot

OK = "ok"
INSUFFICIENT = "insufficient_data"

SESSION_MODALITIES = ("physical_therapy", "cbt", "mindfulness")
MODALITY_LABELS = {
    "kratom": "kratom (daily leaf-equivalent grams)",
    "physical_therapy": "physical therapy sessions",
    "cbt": "CBT sessions",
    "mindfulness": "mindfulness sessions",
    "sleep": "sleep (hours)",
}


def iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def clean(value: Any) -> Any:
    """JSON-safe: NaN/inf become None, numpy scalars become Python numbers, dates ISO text."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NaT:
        return None
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [clean(row) for row in frame.to_dict(orient="records")]


@dataclass
class Result:
    """Base of every analysis result."""

    name: str = ""
    status: str = OK
    missing: str | None = None
    sentence: str = ""
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return self.status == OK

    def to_dict(self) -> dict[str, Any]:
        return clean({"status": self.status, "missing": self.missing, "sentence": self.sentence})

    def chart(self, chart_id: str | None = None) -> str:
        from painwise.core.analytics import svg

        return svg.message_chart(chart_id or f"{self.name}-chart", self.name, self.sentence)


_FRAMES: list[tuple[PatientSnapshot, dt.date | None, dt.date | None, pd.DataFrame]] = []


def daily_frame(snapshot: PatientSnapshot, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """``_daily_frame``, remembered for the last few snapshots (by identity: analyses of one snapshot share it).
    Callers must not modify the frame."""
    for seen, first, last, frame in _FRAMES:
        if seen is snapshot and first == start and last == end:
            return frame
    frame = _daily_frame(snapshot, start, end)
    _FRAMES.insert(0, (snapshot, start, end, frame))
    del _FRAMES[4:]
    return frame


def _daily_frame(snapshot: PatientSnapshot, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """One row per local day from ``start`` to ``end`` (default: the record's span).

    Columns: pain_mean (mean NRS of all entries, all sites; NaN without entries), pain_entries,
    kratom_leaf_g (leaf-equivalent grams taken, 0 without doses), kratom_doses (taken/as-needed doses),
    physical_therapy / cbt / mindfulness (sessions done), sleep_hours (mean of that day's check-ins),
    side_effects (records that day, hair shedding excluded), recorded (any diary record that day).
    """
    first = start or snapshot.first_day
    last = end or snapshot.last_day
    if first is None or last is None or last < first:
        return pd.DataFrame(
            columns=[
                "pain_mean",
                "pain_entries",
                "kratom_leaf_g",
                "kratom_doses",
                *SESSION_MODALITIES,
                "sleep_hours",
                "side_effects",
                "recorded",
            ]
        )
    index = pd.date_range(first, last, freq="D")
    frame = pd.DataFrame(index=index)
    frame.index.name = "day"
    pain = pd.DataFrame({"day": [p.day for p in snapshot.pain], "nrs": [p.nrs for p in snapshot.pain]})
    if len(pain):
        grouped = pain.groupby(pd.to_datetime(pain["day"]))["nrs"]
        frame["pain_mean"] = grouped.mean().reindex(index)
        frame["pain_entries"] = grouped.size().reindex(index).fillna(0).astype(int)
    else:
        frame["pain_mean"] = np.nan
        frame["pain_entries"] = 0
    if snapshot.kratom_products:
        exposure = snapshot.exposure(first, last).summary
        leaf = exposure["leaf_g"]
        leaf.index = pd.to_datetime(leaf.index)
        frame["kratom_leaf_g"] = leaf.reindex(index).fillna(0.0).astype(float)
    else:
        frame["kratom_leaf_g"] = 0.0
    taken = [d.day for d in snapshot.doses if d.status != "skipped"]
    frame["kratom_doses"] = _counts(taken, index)
    for modality in SESSION_MODALITIES:
        done = [s.day for s in snapshot.sessions if s.modality == modality and s.status == "done"]
        frame[modality] = _counts(done, index)
    sleep = [(c.day, c.sleep_hours) for c in snapshot.check_ins if c.sleep_hours is not None]
    if sleep:
        sleep_frame = pd.DataFrame(sleep, columns=["day", "hours"])
        frame["sleep_hours"] = sleep_frame.groupby(pd.to_datetime(sleep_frame["day"]))["hours"].mean().reindex(index)
    else:
        frame["sleep_hours"] = np.nan
    effects = [s.day for s in snapshot.side_effects if s.kind != "hair_shedding"]
    frame["side_effects"] = _counts(effects, index)
    recorded = (
        [p.day for p in snapshot.pain]
        + [c.day for c in snapshot.check_ins]
        + [d.day for d in snapshot.doses]
        + [s.day for s in snapshot.sessions]
    )
    frame["recorded"] = _counts(recorded, index) > 0
    return frame


def _counts(days: list[dt.date], index: pd.DatetimeIndex) -> np.ndarray:
    if not days:
        return np.zeros(len(index), dtype=int)
    series = pd.Series(1, index=pd.to_datetime(pd.Series(days))).groupby(level=0).sum()
    return series.reindex(index).fillna(0).astype(int).to_numpy()


def fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"
