"""Scores over time as a small server-side SVG with the severity bands shaded (no JavaScript, CSP-safe).

Built from the chart kit (painwise.web.svg): presentation attributes only, so the strict CSP (no inline
styles) holds, and every text value is escaped; the result is safe to mark_safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from painwise.core.instruments import Band
from painwise.web.svg import Scale, band, chart_open, hline, label

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
# Light to darker: higher bands read as "more" without relying on colour alone (band names are labelled).
BAND_FILLS = ("#e8f3ec", "#f6f1d5", "#f9e2c7", "#f5d0c5", "#efbcbc")


def _x(moment: dt.datetime, first: dt.datetime, last: dt.datetime) -> float:
    span = (last - first).total_seconds()
    if span <= 0:
        return LEFT + (WIDTH - LEFT - RIGHT) / 2
    return float(Scale((0, span), (LEFT, WIDTH - RIGHT))((moment - first).total_seconds()))


def score_chart(
    points: Sequence[tuple[dt.datetime, float]],
    score_range: tuple[float, float],
    bands: Sequence[Band],
    title: str,
) -> str:
    """An SVG of `points` (time, total), oldest first, on the instrument's full range with bands behind."""
    low, high = float(score_range[0]), float(score_range[1])
    y_of = Scale((low, high), (HEIGHT - BOTTOM, TOP))
    parts = [chart_open(width=WIDTH, height=HEIGHT, css_class="q-chart", chart_id="q-chart", title=title)]
    for index, severity in enumerate(bands):
        # Bands are inclusive integer ranges (0-4, 5-9): shade to the next band's start so they meet.
        top = high if index == len(bands) - 1 else float(bands[index + 1].low)
        y_top, y_bottom = y_of(top), y_of(float(severity.low))
        fill = BAND_FILLS[min(index, len(BAND_FILLS) - 1)]
        parts.append(
            band(
                str(LEFT),
                f"{y_top:.1f}",
                str(WIDTH - LEFT - RIGHT),
                f"{y_bottom - y_top:.1f}",
                fill=fill,
                title=f"{severity.name}: {severity.low:g}–{severity.high:g}",
            )
        )
        parts.append(
            label(
                WIDTH - RIGHT - 4, f"{y_top + 12:.1f}", severity.name, anchor="end", attrs=' font-size="10" fill="#555"'
            )
        )
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        parts.append(hline(LEFT, WIDTH - RIGHT, f"{y:.1f}", stroke="#ccc", width=None))
        parts.append(label(LEFT - 6, f"{y + 4:.1f}", f"{tick:g}", anchor="end", attrs=' font-size="11" fill="#333"'))
    if points:
        first, last = points[0][0], points[-1][0]
        coords = [(_x(moment, first, last), y_of(float(value))) for moment, value in points]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
        for (x, y), (moment, value) in zip(coords, points, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f4e79">'
                f"<title>{moment:%Y-%m-%d}: {value:g}</title></circle>"
            )
        # The first date starts at the first point and the last ends at the last point, so neither runs
        # past the chart's edge (a centred label at the right edge was cut off); a lone point is centred.
        ends = (
            [(coords[0][0], first, "start"), (coords[-1][0], last, "end")]
            if len(coords) > 1
            else [(coords[0][0], first, "middle")]
        )
        for x, moment, anchor in ends:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" font-size="11" fill="#333" '
                f'class="q-date">{moment:%d %b %Y}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
