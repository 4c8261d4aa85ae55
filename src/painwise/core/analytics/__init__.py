"""Is the plan working? Analyses of one patient's snapshot, each with its uncertainty (docs/insights.md).

Every analysis takes a ``PatientSnapshot`` and returns a result object with ``.summary`` (a DataFrame),
``to_dict()``, ``chart()`` (accessible inline SVG) and ``sentence`` (plain language); one that the
record cannot support says what is missing. ``insights`` runs them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from painwise.core.analytics.changepoints import ChangePointResult, change_points
from painwise.core.analytics.common import INSUFFICIENT, OK, Result, daily_frame
from painwise.core.analytics.dose_response import DISCLAIMER, DoseResponseResult, dose_response
from painwise.core.analytics.hair import HairTimelineResult, hair_timeline
from painwise.core.analytics.modalities import ModalityResult, modality_effects
from painwise.core.analytics.response import (
    ResponseResult,
    category_for,
    peg_vs_baseline,
    resolve_dates,
    response_vs_baseline,
)
from painwise.core.snapshot import PatientSnapshot


@dataclass
class Insights:
    response: ResponseResult
    peg: ResponseResult
    modalities: ModalityResult
    dose_response: DoseResponseResult
    hair_timeline: HairTimelineResult
    change_points: ChangePointResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "response": self.response.to_dict(),
            "peg": self.peg.to_dict(),
            "modalities": self.modalities.to_dict(),
            "dose_response": self.dose_response.to_dict(),
            "hair_timeline": self.hair_timeline.to_dict(),
            "change_points": self.change_points.to_dict(),
        }


def insights(
    snapshot: PatientSnapshot, *, as_of: dt.date | None = None, baseline_start: dt.date | None = None
) -> Insights:
    """Every analysis; the snapshot is first limited to days up to ``as_of`` when it is given."""
    resolve_dates(snapshot, as_of, baseline_start)  # raises on dates in the wrong order
    upto = snapshot
    if as_of is not None and snapshot.first_day is not None:
        upto = snapshot.window(min(snapshot.first_day, as_of), as_of)
    return Insights(
        response=response_vs_baseline(snapshot, as_of=as_of, baseline_start=baseline_start),
        peg=peg_vs_baseline(snapshot, as_of=as_of, baseline_start=baseline_start),
        modalities=modality_effects(upto),
        dose_response=dose_response(upto),
        hair_timeline=hair_timeline(upto),
        change_points=change_points(upto),
    )


__all__ = [
    "DISCLAIMER",
    "INSUFFICIENT",
    "OK",
    "ChangePointResult",
    "DoseResponseResult",
    "HairTimelineResult",
    "Insights",
    "ModalityResult",
    "ResponseResult",
    "Result",
    "category_for",
    "change_points",
    "daily_frame",
    "dose_response",
    "hair_timeline",
    "insights",
    "modality_effects",
    "peg_vs_baseline",
    "response_vs_baseline",
]
