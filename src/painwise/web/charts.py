"""Hand-built SVG charts from a TrendSeries, inlined in the page.

Why not altair/vl-convert here: a five-year chart has ~1,800 days and must render in milliseconds
inside the dashboard request, and the CSP forbids inline <style>. Plain SVG with presentation
attributes (fill, stroke — not style="") is fast, needs no script, and the stylesheet can still
restyle it through class names. Long series stay small because each layer is one <path>, not one
element per day (daily maxima are zero-length round-capped segments, which draw as dots).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from painwise.core.trends import TrendSeries

# A narrow viewBox with large type: on a phone the chart is ~340 px wide, so labels still read at ~9 px.
WIDTH, HEIGHT = 560, 262
LEFT, RIGHT, TOP = 80, 14, 12
PLOT_BOTTOM = 170  # y of NRS 0
DOSE_ROW = (186, 202)
SESSION_ROW = (210, 226)
AXIS_Y = 250


def _fmt(value: float) -> str:
    return f"{value:.1f}"


@functools.cache
def _tenths() -> np.ndarray:
    """ "0.0", "0.1", ... "999.9" as an object array: a coordinate's text is one index, not a format call."""
    return np.array([f"{t // 10}.{t % 10}" for t in range(10_000)], dtype=object)


def _fmt_all(values: np.ndarray) -> np.ndarray:
    """f"{v:.1f}" of every value, vectorised (an object array of str).

    rint(v * 10) picks the same tenth as the format unless v * 10 lies within a hair of a half; those
    values (each distinct one once) and anything outside 0..999.9 go through the format itself.
    """
    scaled = values * 10
    if values.size and not (values.min() >= 0 and values.max() < 999.9):
        return np.array([_fmt(v) for v in values.tolist()], dtype=object)
    out = _tenths()[np.rint(scaled).astype(np.int64)]
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    if near_half.size:  # common: a mean of four entries is a quarter, so its y can end in .x5
        distinct, where = np.unique(values[near_half], return_inverse=True)
        out[near_half] = np.array([_fmt(v) for v in distinct.tolist()], dtype=object)[where]
    return out


def _xs(n: int) -> np.ndarray:
    """Each day's x as text, formatted once: a five-year chart reuses them across four layers."""
    step = (WIDTH - LEFT - RIGHT) / n
    return _fmt_all(LEFT + (np.arange(n) + 0.5) * step)


def _y(nrs: float) -> float:
    return PLOT_BOTTOM - nrs * (PLOT_BOTTOM - TOP) / 10


Y_OF_NRS = [_fmt(_y(v)) for v in range(11)]


def _ys(values: np.ndarray) -> np.ndarray:
    return _fmt_all(PLOT_BOTTOM - values * (PLOT_BOTTOM - TOP) / 10)


def _joined(*columns: Any) -> str:
    """Concatenate row by row: column k of row i follows column k-1 (each column an array or a constant)."""
    n = len(next(c for c in columns if not isinstance(c, str)))
    table = np.empty((n, len(columns)), dtype=object)
    for k, column in enumerate(columns):
        table[:, k] = column
    return "".join(table.ravel().tolist())


def _line(values: list[float | None], xs: np.ndarray) -> str:
    """One path whose pen lifts over gaps, so missing days never look like zero pain."""
    numbers = np.array(values, dtype=np.float64)  # None becomes NaN
    present = ~np.isnan(numbers)
    if not present.any():
        return ""
    after_value = np.concatenate(([False], present[:-1]))[present]
    commands = np.where(after_value, "L", "M").astype(object)
    return _joined(commands, xs[present], " ", _ys(numbers[present]))


def _ticks(counts: list[int], xs: np.ndarray, row: tuple[int, int]) -> str:
    picked = xs[np.array(counts, dtype=np.int64) != 0].tolist()
    suffix = f" {row[0]}V{row[1]}"
    return "M" + f"{suffix}M".join(picked) + suffix if picked else ""


def _maxima(series: TrendSeries, xs: np.ndarray) -> str:
    """Daily highest as zero-length segments (drawn as round dots)."""
    highest = np.array([d.max for d in series.days], dtype=np.float64)  # None becomes NaN
    present = ~np.isnan(highest)
    if not present.any():
        return ""
    y_text = np.array(Y_OF_NRS, dtype=object)[highest[present].astype(np.int64)]
    return _joined("M", xs[present], " ", y_text, "h0")


def _date_labels(series: TrendSeries, xs: np.ndarray) -> str:
    n = len(xs)
    fmt = "%b %Y" if n > 400 else "%-d %b"
    count = min(n, 4)
    picks = sorted({round(k * (n - 1) / max(count - 1, 1)) for k in range(count)})
    out = []
    for i in picks:
        anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
        label = series.days[i].day.strftime(fmt)
        out.append(f'<text x="{xs[i]}" y="{AXIS_Y}" text-anchor="{anchor}" class="chart-label">{label}</text>')
    return "".join(out)


def summary_text(series: TrendSeries) -> str:
    mean = series.mean_of_means()
    if mean is None:
        return f"No pain entries between {series.start:%-d %b %Y} and {series.end:%-d %b %Y}."
    dose_days = sum(1 for d in series.days if d.doses)
    session_days = sum(1 for d in series.days if d.sessions)
    return (
        f"From {series.start:%-d %b %Y} to {series.end:%-d %b %Y}: pain recorded on {series.days_with_pain} days, "
        f"average of daily means {_fmt(mean)} out of 10. Kratom taken on {dose_days} days; "
        f"therapy sessions on {session_days} days."
    )


def pain_chart(series: TrendSeries, *, chart_id: str = "pain-chart", summary: str | None = None) -> SafeString:
    """The chart as inline SVG; `summary` is summary_text(series) when the caller already has it."""
    n = len(series.days)
    xs = _xs(n)
    means = [d.mean for d in series.days]
    rolling = [d.rolling for d in series.days]
    maxima = _maxima(series, xs)
    dot = max(2.5, min(8.0, 400 / n))
    grid = "".join(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(_y(v))}" y2="{_fmt(_y(v))}" stroke="#d8dee4" '
        f'stroke-width="1" class="chart-grid"/>'
        f'<text x="{LEFT - 8}" y="{_fmt(_y(v) + 5)}" text-anchor="end" class="chart-label">{v}</text>'
        for v in (0, 2, 4, 6, 8, 10)
    )
    title = escape(f"Daily pain, {series.start:%-d %b %Y} to {series.end:%-d %b %Y}")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="system-ui, sans-serif" font-size="15" '
        f'fill="#3d4752">'
        f'<title id="{chart_id}-title">{title}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary_text(series) if summary is None else summary)}</desc>'
        f"{grid}"
        f'<text x="{LEFT - 8}" y="{DOSE_ROW[1] - 2}" text-anchor="end" class="chart-label">Kratom</text>'
        f'<text x="{LEFT - 8}" y="{SESSION_ROW[1] - 2}" text-anchor="end" class="chart-label">Sessions</text>'
        f'<path d="{_ticks([d.doses for d in series.days], xs, DOSE_ROW)}" stroke="#8a5a00" '
        f'stroke-width="{_fmt(max(1.0, min(3.0, 400 / n)))}" fill="none" class="chart-dose"/>'
        f'<path d="{_ticks([d.sessions for d in series.days], xs, SESSION_ROW)}" stroke="#2f7a4a" '
        f'stroke-width="{_fmt(max(1.0, min(3.0, 400 / n)))}" fill="none" class="chart-session"/>'
        f'<path d="{maxima}" stroke="#c2410c" stroke-width="{_fmt(dot)}" stroke-linecap="round" fill="none" '
        f'class="chart-max"/>'
        f'<path d="{_line(means, xs)}" stroke="#6b8fb3" stroke-width="1.25" fill="none" stroke-linejoin="round" '
        f'class="chart-mean"/>'
        f'<path d="{_line(rolling, xs)}" stroke="#1d4f91" stroke-width="3" fill="none" stroke-linejoin="round" '
        f'stroke-linecap="round" class="chart-rolling"/>'
        f"{_date_labels(series, xs)}"
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated value is a number, a date or escaped text


def sparkline(series: TrendSeries, *, label: str) -> SafeString:
    """A 120x32 line of daily mean pain; gaps stay gaps."""
    n = len(series.days)
    width, height = 120, 32
    parts: list[str] = []
    pen_down = False
    for i, d in enumerate(series.days):
        if d.mean is None:
            pen_down = False
            continue
        x = (i + 0.5) * width / n
        y = height - 2 - d.mean * (height - 4) / 10
        parts.append(f"{'L' if pen_down else 'M'}{_fmt(x)} {_fmt(y)}")
        pen_down = True
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="sparkline" role="img" '
        f'aria-label="{escape(label)}">'
        f'<line x1="0" x2="{width}" y1="{height - 2}" y2="{height - 2}" stroke="#d8dee4" stroke-width="1"/>'
        f'<path d="{"".join(parts)}" stroke="#1d4f91" stroke-width="1.5" fill="none" stroke-linejoin="round"/>'
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - numbers and escaped text only
