"""Result objects of the cohort analyses: `.summary` (a DataFrame), `to_dict()`, `chart()` (SVG)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from typing import Any

import pandas as pd

ASSOCIATION_NOT_CAUSE = (
    "This is an association in observational data, not proof of cause. Patients chose how much kratom to "
    "use; the estimate can reflect anything that goes with heavier use and was not measured."
)
# What the data cannot rule out, named in every result.
COMMON_CONFOUNDERS = (
    "diet and iron intake (e.g. reduced appetite, vegetarian diet)",
    "blood loss (menstrual, gastrointestinal) and blood donation",
    "illness, stress, surgery or weight loss (telogen effluvium triggers)",
    "thyroid disease and other medicines (opioids, anticonvulsants, hormonal contraception)",
    "use of other substances and product adulteration (contents were not measured)",
    "reverse causation: pain or illness leading both to heavier use and to the outcome",
    "who consents to research and who keeps recording (selection)",
)


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


@dataclass
class ResearchResult:
    """One analysis: the headline figure (`estimate` or `hazard_ratio`) with a 95% CI and a p-value.

    `summary` holds one row per model term (or per mediator); `extra` holds everything else reported.
    """

    name: str
    title: str
    measure: str  # what `estimate` is, in words
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    summary: pd.DataFrame
    extra: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    confounders: tuple[str, ...] = COMMON_CONFOUNDERS
    headline_key: str = "estimate"
    null_value: float = 0.0  # the value meaning "no association" (1 for a hazard ratio)

    @property
    def covers_null(self) -> bool:
        return self.ci_low <= self.null_value <= self.ci_high

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"analysis": self.name, "title": self.title, "measure": self.measure}
        data[self.headline_key] = self.estimate
        if self.headline_key != "estimate":
            data["estimate"] = self.estimate
        data.update(ci_low=self.ci_low, ci_high=self.ci_high, p_value=self.p_value)
        data.update(self.extra)
        data["summary"] = self.summary.reset_index().to_dict(orient="records")
        data["association_is_not_cause"] = ASSOCIATION_NOT_CAUSE
        data["confounders_not_ruled_out"] = list(self.confounders)
        data["notes"] = list(self.notes)
        return _clean(data)  # type: ignore[no-any-return]

    def chart(self, width: int = 560) -> str:
        """A forest plot (SVG) of the headline estimate and, where there are several, each summary row."""
        rows = self.summary
        labels = [str(i) for i in rows.index]
        points = rows[["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float)
        return forest_svg(
            self.title, labels, points, self.null_value, log=self.headline_key == "hazard_ratio", width=width
        )


def forest_svg(
    title: str, labels: list[str], points: Any, null_value: float, *, log: bool = False, width: int = 560
) -> str:
    """Estimates with 95% CIs as horizontal lines, a dashed line at the null value. Plain SVG (no scripts,
    no inline styles) so it passes the site's Content-Security-Policy."""
    row_h, left, right, top = 38, 200, 20, 34
    height = top + row_h * max(len(labels), 1) + 30
    transform = (lambda v: math.log(v) if v > 0 else math.log(1e-6)) if log else (lambda v: v)
    finite = [transform(v) for row in points for v in row if math.isfinite(v)] + [transform(null_value)]
    low, high = min(finite), max(finite)
    span = (high - low) or 1.0
    low, high = low - 0.05 * span, high + 0.05 * span

    def x(value: float) -> float:
        return left + (transform(value) - low) / (high - low) * (width - left - right)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}: estimates with 95% confidence intervals">',
        f'<text x="4" y="18" font-size="13" font-weight="bold" fill="#1f2933">{escape(title)}</text>',
        f'<line x1="{x(null_value):.1f}" y1="{top - 6}" x2="{x(null_value):.1f}" y2="{height - 24}" '
        'stroke="#7b8794" stroke-dasharray="4 3"/>',
    ]
    for i, (label, (est, lo, hi)) in enumerate(zip(labels, points, strict=True)):
        y = top + row_h * i + row_h / 2
        parts.append(f'<text x="4" y="{y - 3:.1f}" font-size="12" fill="#1f2933">{escape(label)}</text>')
        if all(math.isfinite(v) for v in (est, lo, hi)) and (not log or min(est, lo, hi) > 0):
            parts.append(
                f'<line x1="{x(lo):.1f}" y1="{y:.1f}" x2="{x(hi):.1f}" y2="{y:.1f}" stroke="#2c5282" stroke-width="2"/>'
            )
            parts.append(f'<circle cx="{x(est):.1f}" cy="{y:.1f}" r="4" fill="#2c5282"/>')
            parts.append(
                f'<text x="4" y="{y + 11:.1f}" font-size="10" fill="#52606d">{est:.3g} ({lo:.3g} to {hi:.3g})</text>'
            )
        else:
            parts.append(f'<text x="4" y="{y + 11:.1f}" font-size="10" fill="#52606d">not estimable</text>')
    parts.append(
        f'<text x="{x(null_value):.1f}" y="{height - 8}" font-size="10" text-anchor="middle" fill="#52606d">'
        f"no association ({null_value:g})</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
