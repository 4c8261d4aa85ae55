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
from painwise.web.svg import SVG_NS, Scale, chart_open, hline, label
from painwise.web.svg import fmt as _fmt

# A narrow viewBox with large type; on a phone (~330 px drawn) app.css raises the text to 20 units
# (~11.8 px), so the left margin is wide enough for "Sessions" at that size.
WIDTH, HEIGHT = 560, 262
LEFT, RIGHT, TOP = 110, 14, 12
PLOT_BOTTOM = 170  # y of NRS 0
DOSE_ROW = (186, 202)
SESSION_ROW = (210, 226)
AXIS_Y = 250
NRS_Y = Scale((0, 10), (PLOT_BOTTOM, TOP))  # NRS 0-10 to the plot's height


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


Y_OF_NRS = [_fmt(NRS_Y(v)) for v in range(11)]


def _ys(values: np.ndarray) -> np.ndarray:
    return _fmt_all(NRS_Y(values))


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
        out.append(label(xs[i], AXIS_Y, series.days[i].day.strftime(fmt), anchor=anchor, attrs=' class="chart-label"'))
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
    labelled = ' class="chart-label"'
    grid = "".join(
        hline(LEFT, WIDTH - RIGHT, _fmt(NRS_Y(v)), attrs=' class="chart-grid"')
        + label(LEFT - 8, _fmt(NRS_Y(v) + 5), str(v), anchor="end", attrs=labelled)
        for v in (0, 2, 4, 6, 8, 10)
    )
    svg = (
        chart_open(
            width=WIDTH,
            height=HEIGHT,
            css_class="chart",
            chart_id=chart_id,
            title=f"Daily pain, {series.start:%-d %b %Y} to {series.end:%-d %b %Y}",
            desc=summary_text(series) if summary is None else summary,
            font_size=15,
        )
        + f"{grid}"
        + label(LEFT - 8, DOSE_ROW[1] - 2, "Kratom", anchor="end", attrs=labelled)
        + label(LEFT - 8, SESSION_ROW[1] - 2, "Sessions", anchor="end", attrs=labelled)
        + (
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
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated value is a number, a date or escaped text


def sparkline(series: TrendSeries, *, label: str) -> SafeString:
    """A 120x32 line of daily mean pain; gaps stay gaps."""
    n = len(series.days)
    width, height = 120, 32
    y = Scale((0, 10), (height - 2, 2))
    parts: list[str] = []
    pen_down = False
    for i, d in enumerate(series.days):
        if d.mean is None:
            pen_down = False
            continue
        x = (i + 0.5) * width / n
        parts.append(f"{'L' if pen_down else 'M'}{_fmt(x)} {_fmt(y(d.mean))}")
        pen_down = True
    svg = (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" class="sparkline" role="img" '
        f'aria-label="{escape(label)}">'
        + hline(0, width, str(height - 2))
        + f'<path d="{"".join(parts)}" stroke="#1d4f91" stroke-width="1.5" fill="none" stroke-linejoin="round"/>'
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - numbers and escaped text only
