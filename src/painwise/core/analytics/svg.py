"""Hand-built SVG charts for the analyses (the project's chart style: inline SVG, presentation
attributes only — the CSP forbids inline styles — and a <title> and <desc> for screen readers; the desc
is the analysis's plain-language sentence). Pure: no Django, so the report and the CLI can use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from painwise.core.analytics.changepoints import ChangePointResult
    from painwise.core.analytics.dose_response import DoseResponseResult
    from painwise.core.analytics.hair import HairTimelineResult
    from painwise.core.analytics.modalities import ModalityResult
    from painwise.core.analytics.response import ResponseResult

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 196
# "shedding" with a gap, in viewBox units, at the phone text size (20; app.css "Phone chart text")
SHEDDING_LABEL_WIDTH = 110
LEGEND_LINE = 24  # line spacing of a legend under a chart, room for the phone text size
INK, GRID, BLUE, ORANGE, GREEN, RED = "#3d4752", "#d8dee4", "#1d4f91", "#c2410c", "#2f7a4a", "#b42318"


def _open(chart_id: str, title: str, desc: str, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="DejaVu Sans, system-ui, sans-serif" '
        f'font-size="13" fill="{INK}" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _f(value: float) -> str:
    return f"{value:.1f}"


def _y_axis(low: float, high: float, ticks: list[float], label: str) -> str:
    out = []
    for t in ticks:
        y = _scale(t, low, high)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(y)}" y2="{_f(y)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{_f(y + 4)}" text-anchor="end">{t:g}</text>'
        )
    out.append(
        f'<text x="12" y="{(TOP + BOTTOM) / 2:.0f}" transform="rotate(-90 12 {(TOP + BOTTOM) / 2:.0f})" '
        f'text-anchor="middle">{escape(label)}</text>'
    )
    return "".join(out)


def _scale(value: float, low: float, high: float) -> float:
    span = (high - low) or 1.0
    return BOTTOM - (value - low) * (BOTTOM - TOP) / span


class _Days:
    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start, self.span = start, max((end - start).days, 1)

    def x(self, day: dt.date) -> float:
        return LEFT + (day - self.start).days * (WIDTH - LEFT - RIGHT) / self.span

    def labels(self, end: dt.date) -> str:
        fmt = "%b %Y" if self.span > 180 else "%-d %b"
        days = [self.start + dt.timedelta(days=round(k * self.span / 3)) for k in range(4)]
        anchors = ["start", "middle", "middle", "end"]
        return "".join(
            f'<text x="{_f(self.x(d))}" y="{BOTTOM + 18}" text-anchor="{a}">{d.strftime(fmt)}</text>'
            for d, a in zip(days, anchors, strict=True)
        )


def _path(points: Sequence[tuple[float, float | None]]) -> str:
    out, down = [], False
    for x, y in points:
        if y is None or np.isnan(y):
            down = False
            continue
        out.append(f"{'L' if down else 'M'}{_f(x)} {_f(y)}")
        down = True
    return "".join(out)


def message_chart(chart_id: str, title: str, sentence: str) -> str:
    return (
        _open(chart_id, title, sentence, 60)
        + f'<text x="{WIDTH / 2:.0f}" y="34" text-anchor="middle">{escape("Not enough data for a chart")}</text></svg>'
    )


def response_chart(result: ResponseResult, chart_id: str) -> str:
    base, cur = result.baseline, result.current
    label = "pain (0-10)" if result.measure == "pain" else "PEG (0-10)"
    title = f"{'Pain' if result.measure == 'pain' else 'PEG'}: baseline and current 14 days"
    if base is None or cur is None or base.start is None or cur.end is None:
        return message_chart(chart_id, title, result.sentence)
    days = _Days(base.start, cur.end)
    daily = result.daily[(result.daily.index >= base.start) & (result.daily.index <= cur.end)]
    parts = [_open(chart_id, title, result.sentence), _y_axis(0, 10, [0, 2, 4, 6, 8, 10], label)]
    for window, fill in ((base, "#e8eef6"), (cur, "#e9f3ec")):
        assert window.start is not None and window.end is not None
        x0, x1 = days.x(window.start), days.x(window.end)
        parts.append(
            f'<rect x="{_f(x0)}" y="{TOP}" width="{_f(max(x1 - x0, 2))}" height="{BOTTOM - TOP}" fill="{fill}"/>'
        )
        if window.mean_nrs is not None:
            y = _scale(window.mean_nrs, 0, 10)
            parts.append(
                f'<line x1="{_f(x0)}" x2="{_f(max(x1, x0 + 2))}" y1="{_f(y)}" y2="{_f(y)}" stroke="{ORANGE}" '
                f'stroke-width="3"/>'
            )
    daily = daily.reindex(pd.date_range(base.start, cur.end).date)  # missing days are gaps, never joined
    if len(daily) > 400:  # long spans: weekly means keep the path small
        daily = daily.groupby([(d - base.start).days // 7 for d in daily.index]).mean()  # NaN: a week without entries
        daily.index = [base.start + dt.timedelta(days=7 * int(k)) for k in daily.index]
    points = [(days.x(d), _scale(float(v), 0, 10)) for d, v in daily.items()]
    parts.append(f'<path d="{_path(points)}" stroke="{BLUE}" stroke-width="1.5" fill="none"/>')
    parts.append(days.labels(cur.end))
    parts.append("</svg>")
    return "".join(parts)


def modality_chart(result: ModalityResult, chart_id: str) -> str:
    rows = [r for r in result.effects if r["outcome"] == "same_day"]
    title = "Same-day pain difference per unit of each modality, with 95% intervals"
    if not rows:
        return message_chart(chart_id, title, result.sentence)
    fitted = [r for r in rows if r["status"] == "ok"]
    bound = max([1.0] + [max(abs(r["ci_low"]), abs(r["ci_high"])) for r in fitted])
    # Each label sits on its own line above its interval, so long names never run into the plot and the
    # intervals use the whole width (legible when the chart is scaled down to a phone).
    step = 48
    height = 44 + step * len(rows)
    left, right = 16, WIDTH - 16

    def x(v: float) -> float:
        return left + (v + bound) * (right - left) / (2 * bound)

    parts = [_open(chart_id, title, result.sentence, height)]
    parts.append(
        f'<line x1="{_f(x(0))}" x2="{_f(x(0))}" y1="8" y2="{height - 24}" stroke="{GRID}" stroke-width="2"/>'
        f'<text x="{_f(x(-bound))}" y="{height - 6}" text-anchor="start">{-bound:+.1f} lower pain</text>'
        f'<text x="{_f(x(bound))}" y="{height - 6}" text-anchor="end">higher pain {bound:+.1f}</text>'
    )
    from painwise.core.analytics.common import MODALITY_LABELS

    for i, r in enumerate(rows):
        y = 38 + step * i
        parts.append(f'<text x="{left}" y="{y - 14}">{escape(MODALITY_LABELS[r["modality"]])}</text>')
        if r["status"] != "ok":
            parts.append(f'<text x="{_f(x(0))}" y="{y + 4}" text-anchor="middle" fill="#52606d">not enough data</text>')
            continue
        parts.append(
            f'<line x1="{_f(x(r["ci_low"]))}" x2="{_f(x(r["ci_high"]))}" y1="{y}" y2="{y}" stroke="{BLUE}" '
            f'stroke-width="3"/><circle cx="{_f(x(r["estimate"]))}" cy="{y}" r="6" fill="{BLUE}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def dose_chart(result: DoseResponseResult, chart_id: str) -> str:
    title = "Average pain by the day's kratom amount in grams of leaf (days in each group under the bars)"
    bins = [b for b in result.bins if b["mean_pain"] is not None]
    if not bins:
        return message_chart(chart_id, title, result.sentence)
    # Short labels on their own lines (mean above the bar; grams, then days, under it): at the phone text
    # size (20 units, app.css) a bar is ~100 units wide and "3.6 (148 d)" on one line ran into the next.
    parts = [
        _open(chart_id, title, result.sentence, HEIGHT + LEGEND_LINE),
        _y_axis(0, 10, [0, 2, 4, 6, 8, 10], "mean pain"),
    ]
    width = (WIDTH - LEFT - RIGHT) / len(bins)
    for i, b in enumerate(bins):
        x0 = LEFT + i * width + 6
        middle = _f(x0 + (width - 12) / 2)
        y = _scale(b["mean_pain"], 0, 10)
        parts.append(
            f'<rect x="{_f(x0)}" y="{_f(y)}" width="{_f(width - 12)}" height="{_f(BOTTOM - y)}" fill="#8a5a00" '
            f'opacity="0.8"/><text x="{middle}" y="{_f(y - 4)}" text-anchor="middle">{b["mean_pain"]:.1f}</text>'
            f'<text x="{middle}" y="{BOTTOM + 18}" text-anchor="middle" font-size="11">{escape(_short_bin(b))}</text>'
            f'<text x="{middle}" y="{BOTTOM + 18 + LEGEND_LINE}" text-anchor="middle" font-size="11">'
            f"{b['days']} d</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _short_bin(b: dict[str, object]) -> str:
    low, high = b["low_g"], b["high_g"]
    if b["bin"] == "none" or not isinstance(low, float) or not isinstance(high, float):
        return str(b["bin"])
    return f"{low:.1f}–{high:.1f}"  # grams: the title and the table say so


def hair_chart(result: HairTimelineResult, chart_id: str) -> str:
    title = "Hair shedding, kratom exposure, dose changes and labs on one time axis"
    days_seen = [pd.Timestamp(e["day"]).date() for e in result.events]
    if not result.episodes or not days_seen:
        return message_chart(chart_id, title, result.sentence)
    start, end = min(days_seen), max(days_seen + [d.date() for d in result.exposure.index[-1:]])
    days = _Days(start, end)
    parts = [_open(chart_id, title, result.sentence, HEIGHT + 8 + 3 * LEGEND_LINE)]
    top_kg = float(result.exposure.max()) / 1000 if len(result.exposure) else 0.0
    if top_kg > 0:
        weekly = result.exposure.iloc[::7]
        points = [(days.x(d.date()), _scale(float(v) / 1000, 0, top_kg)) for d, v in weekly.items()]
        parts.append(_y_axis(0, top_kg, [0, round(top_kg / 2, 1), round(top_kg, 1)], "leaf kg, cumulative"))
        parts.append(f'<path d="{_path(points)}" stroke="#8a5a00" stroke-width="2" fill="none"/>')
    label_free_from = float("-inf")  # a label only where the last one has ended: close episodes share one
    for ep in result.episodes:
        x0 = days.x(dt.date.fromisoformat(ep["onset"]))
        x1 = days.x(dt.date.fromisoformat(ep["resolved"])) if ep["resolved"] else days.x(end)
        parts.append(
            f'<rect x="{_f(x0)}" y="{TOP}" width="{_f(max(x1 - x0, 3))}" height="16" fill="{RED}" opacity="0.7"/>'
        )
        # near the right edge the label ends at the edge instead of running off it
        label_x = min(x0, WIDTH - RIGHT - SHEDDING_LABEL_WIDTH)
        if label_x >= label_free_from:
            parts.append(f'<text x="{_f(label_x)}" y="{TOP + 30}" fill="{RED}">shedding</text>')
            label_free_from = label_x + SHEDDING_LABEL_WIDTH
        te0 = days.x(dt.date.fromisoformat(ep["onset"]) - dt.timedelta(days=122))
        te1 = days.x(dt.date.fromisoformat(ep["onset"]) - dt.timedelta(days=56))
        parts.append(
            f'<rect x="{_f(te0)}" y="{TOP + 36}" width="{_f(max(te1 - te0, 1))}" height="8" fill="{RED}" '
            f'opacity="0.25"/>'
        )
    for e in result.events:
        x = days.x(dt.date.fromisoformat(e["day"]))
        if e["kind"] == "dose_change":
            parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{BOTTOM - 24}" y2="{BOTTOM}" stroke="#8a5a00"/>')
        elif e["kind"] == "lab" and e["label"].startswith("ferritin"):
            parts.append(f'<circle cx="{_f(x)}" cy="{BOTTOM - 34}" r="4" fill="{GREEN}"/>')
    parts.append(
        "".join(
            f'<text x="8" y="{HEIGHT + 4 + LEGEND_LINE * (i + 1)}" text-anchor="start" font-size="12">{line}</text>'
            for i, line in enumerate(
                (
                    "red bars: shedding episodes",
                    "green dots: ferritin · ticks: dose changes",
                    "pale band: 2–4 months before onset",
                )
            )
        )
    )
    parts.append(days.labels(end))
    parts.append("</svg>")
    return "".join(parts)


def changepoint_chart(result: ChangePointResult, chart_id: str) -> str:
    title = "Weekly average pain with level shifts"
    weekly = result.weekly
    if len(weekly) < 2:
        return message_chart(chart_id, title, result.sentence)
    start, end = weekly.index[0], weekly.index[-1]
    days = _Days(start, end)
    parts = [_open(chart_id, title, result.sentence), _y_axis(0, 10, [0, 2, 4, 6, 8, 10], "weekly pain")]
    points = [(days.x(d), _scale(float(v), 0, 10)) for d, v in weekly.items()]
    parts.append(f'<path d="{_path(points)}" stroke="{BLUE}" stroke-width="1.5" fill="none"/>')
    for s in result.shifts:
        x = days.x(dt.date.fromisoformat(s["day"]))
        parts.append(
            f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{TOP}" y2="{BOTTOM}" stroke="{ORANGE}" stroke-width="2" '
            f'stroke-dasharray="5 3"/>'
        )
    parts.append(days.labels(end))
    parts.append("</svg>")
    return "".join(parts)
