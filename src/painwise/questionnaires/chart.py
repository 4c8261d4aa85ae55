"""Scores over time as a small server-side SVG with the severity bands shaded (no JavaScript, CSP-safe).

Colours are SVG presentation attributes, not style attributes, so the strict CSP (no inline styles) holds.
Every text value is escaped here; the result is safe to mark_safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from painwise.core.instruments import Band

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
# Light to darker: higher bands read as "more" without relying on colour alone (band names are labelled).
BAND_FILLS = ("#e8f3ec", "#f6f1d5", "#f9e2c7", "#f5d0c5", "#efbcbc")


def _y(value: float, low: float, high: float) -> float:
    span = (high - low) or 1
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def _x(moment: dt.datetime, first: dt.datetime, last: dt.datetime) -> float:
    span = (last - first).total_seconds()
    inner = WIDTH - LEFT - RIGHT
    if span <= 0:
        return LEFT + inner / 2
    return LEFT + inner * (moment - first).total_seconds() / span


def score_chart(
    points: Sequence[tuple[dt.datetime, float]],
    score_range: tuple[float, float],
    bands: Sequence[Band],
    title: str,
) -> str:
    """An SVG of `points` (time, total), oldest first, on the instrument's full range with bands behind."""
    low, high = float(score_range[0]), float(score_range[1])
    parts = [
        f'<svg class="q-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="q-chart-title" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="q-chart-title">{escape(title)}</title>',
    ]
    for index, band in enumerate(bands):
        # Bands are inclusive integer ranges (0-4, 5-9): shade to the next band's start so they meet.
        top = high if index == len(bands) - 1 else float(bands[index + 1].low)
        y_top, y_bottom = _y(top, low, high), _y(float(band.low), low, high)
        fill = BAND_FILLS[min(index, len(BAND_FILLS) - 1)]
        parts.append(
            f'<rect x="{LEFT}" y="{y_top:.1f}" width="{WIDTH - LEFT - RIGHT}" height="{y_bottom - y_top:.1f}" '
            f'fill="{fill}"><title>{escape(band.name)}: {band.low:g}–{band.high:g}</title></rect>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT - 4}" y="{y_top + 12:.1f}" text-anchor="end" font-size="10" fill="#555">'
            f"{escape(band.name)}</text>"
        )
    for tick in (low, (low + high) / 2, high):
        y = _y(tick, low, high)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{tick:g}</text>'
        )
    if points:
        first, last = points[0][0], points[-1][0]
        coords = [(_x(moment, first, last), _y(float(value), low, high)) for moment, value in points]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
        for (x, y), (moment, value) in zip(coords, points, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f4e79">'
                f"<title>{moment:%Y-%m-%d}: {value:g}</title></circle>"
            )
        ends = [(coords[0][0], first)] + ([(coords[-1][0], last)] if len(coords) > 1 else [])
        for x, moment in ends:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#333">'
                f"{moment:%d %b %Y}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
