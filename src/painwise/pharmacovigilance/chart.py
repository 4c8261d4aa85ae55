"""EB05–EB95 intervals with the EBGM as a dot, one row per event, on a log scale: hand-built SVG.

Presentation attributes and classes only (no inline style, no script), so the strict CSP holds.
"""

from __future__ import annotations

import math

import pandas as pd
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
LABEL_W = 250
RIGHT_PAD = 20
ROW_H = 22
TOP = 30
BOTTOM = 34
TICKS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def _label(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def interval_chart(rows: pd.DataFrame, *, title: str) -> SafeString:
    if rows.empty:
        return mark_safe("")
    lo = float(max(min(rows["EB05"].min(), 1.0) / 1.5, 0.05))
    hi = float(min(max(rows["EB95"].max(), 2.0) * 1.5, 5000.0))
    left, right = LABEL_W, WIDTH - RIGHT_PAD
    height = TOP + ROW_H * len(rows) + BOTTOM

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return left + (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo)) * (right - left)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="pv-chart" role="img" '
        f'aria-labelledby="pv-chart-title"><title id="pv-chart-title">{escape(title)}</title>'
    ]
    bottom = TOP + ROW_H * len(rows)
    for t in TICKS:
        if lo <= t <= hi:
            tx = x(t)
            cls = "pv-ref" if t == 1 else ("pv-threshold" if t == 2 else "pv-grid")
            parts.append(f'<line x1="{tx:.1f}" y1="{TOP - 6}" x2="{tx:.1f}" y2="{bottom}" class="{cls}"/>')
            parts.append(f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" class="pv-tick">{t:g}</text>')
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="{height - 2}" text-anchor="middle" class="pv-axis">'
        "relative reporting ratio (log scale): line EB05–EB95, dot EBGM; dashed line at 2</text>"
    )
    for i, row in enumerate(rows.itertuples(index=False)):
        cy = TOP + ROW_H * i + ROW_H / 2
        x0, x1, xm = x(float(row.EB05)), x(float(row.EB95)), x(float(row.EBGM))
        flagged = " pv-flag" if float(row.EB05) >= 2 else ""
        name = escape(_label(str(row.var2)))
        parts.append(f'<text x="{left - 8}" y="{cy + 4:.1f}" text-anchor="end" class="pv-label">{name}</text>')
        parts.append(f'<line x1="{x0:.1f}" y1="{cy:.1f}" x2="{x1:.1f}" y2="{cy:.1f}" class="pv-interval{flagged}"/>')
        parts.append(
            f'<circle cx="{xm:.1f}" cy="{cy:.1f}" r="4" class="pv-dot{flagged}"><title>{escape(str(row.var2))}: '
            f"N {int(row.N)}, EBGM {float(row.EBGM):.2f}, EB05 {float(row.EB05):.2f}, "
            f"EB95 {float(row.EB95):.2f}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped text only
