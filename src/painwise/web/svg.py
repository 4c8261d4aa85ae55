"""The chart kit: SVG building blocks shared by every hand-built chart (the pain chart and sparkline in
web/charts.py, lab trends in labs/charts.py, questionnaire histories in questionnaires/chart.py).

Why hand-built SVG: see docs/architecture.md ("Charts are hand-built SVG"). Every block writes only
presentation attributes (fill, stroke, opacity), never style="", so the strict CSP holds, and every
text it is given is escaped here. Numbers are formatted by the caller's `fmt` (one decimal, or one
decimal without trailing zeros), so coordinates stay short.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.html import escape

SVG_NS = "http://www.w3.org/2000/svg"
GRID_STROKE = "#d8dee4"
FONT = "system-ui, sans-serif"
TEXT_FILL = "#3d4752"


def fmt(value: float) -> str:
    """One decimal: 12.0, 3.5."""
    return f"{value:.1f}"


def fmt_short(value: float) -> str:
    """One decimal without trailing zeros: 12, 3.5."""
    return fmt(value).rstrip("0").rstrip(".")


class Scale:
    """A linear map from data values (domain) to SVG coordinates (range), optionally clipped to the
    domain. Works on numbers and, unclipped, on numpy arrays alike."""

    def __init__(self, domain: tuple[float, float], to: tuple[float, float], *, clip: bool = False) -> None:
        (self.d0, self.d1), (self.r0, self.r1), self.clip = domain, to, clip
        self.span = (self.d1 - self.d0) or 1  # a one-value domain maps everything to r0

    def __call__(self, value: Any) -> Any:
        if self.clip:
            value = min(max(value, min(self.d0, self.d1)), max(self.d0, self.d1))
        return self.r0 + (value - self.d0) * (self.r1 - self.r0) / self.span


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` ticks over `span`."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def chart_open(
    *,
    width: float,
    height: float,
    css_class: str,
    chart_id: str,
    title: str,
    desc: str | None = None,
    font_size: int | None = None,
) -> str:
    """The opening <svg> with its accessible name (<title>) and, when given, description (<desc>):
    screen readers announce the title and read the description as the chart's text alternative."""
    labelled = f"{chart_id}-title" + (f" {chart_id}-desc" if desc is not None else "")
    font = f' font-family="{FONT}" font-size="{font_size}" fill="{TEXT_FILL}"' if font_size else ""
    head = (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" class="{css_class}" role="img" '
        f'aria-labelledby="{labelled}"{font}><title id="{chart_id}-title">{escape(title)}</title>'
    )
    return head + (f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' if desc is not None else "")


def hline(
    x1: float | str, x2: float | str, y: str, *, stroke: str = GRID_STROKE, width: float | None = 1, attrs: str = ""
) -> str:
    """A horizontal grid or axis line at `y` (already formatted)."""
    stroke_width = f' stroke-width="{width}"' if width is not None else ""
    return f'<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}"{stroke_width}{attrs}/>'


def label(x: float | str, y: float | str, text: str, *, anchor: str | None = None, attrs: str = "") -> str:
    """A text label (escaped); `attrs` adds presentation attributes, e.g. ' class="chart-label"'."""
    anchor_attr = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{x}" y="{y}"{anchor_attr}{attrs}>{escape(text)}</text>'


def band(x: str, y: str, width: str, height: str, *, fill: str, attrs: str = "", title: str | None = None) -> str:
    """A shaded rectangle (a reference range, a severity band); `title` is its tooltip (escaped)."""
    head = f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}"{attrs}'
    return head + (f"><title>{escape(title)}</title></rect>" if title is not None else "/>")
