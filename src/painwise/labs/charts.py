"""A hand-built SVG trend chart for one analyte, inlined in the page.

Why hand-built: it renders in microseconds inside the request, needs no script, and uses only SVG
presentation attributes (fill, stroke, opacity), because the CSP forbids inline styles. Values are
drawn in the analyte's canonical unit so results entered in different units share one axis. The
reference band is a step: each result's own range (lab's, else catalogue's) holds until the next one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from painwise.labs.display import number
from painwise.labs.models import LabResult
from painwise.treatment.models import Therapy
from painwise.web.svg import Scale, band, chart_open, hline, label, nice_step
from painwise.web.svg import fmt_short as _fmt

WIDTH = 720
LEFT, RIGHT, TOP, PLOT_BOTTOM = 64, 16, 24, 230
AXIS_GAP = 22  # date labels under the plot
ROW = 40  # one therapy row: its name, then its bar (room for the larger phone text, see labs.css)
STATUS_FILL = {"low": "#b42318", "high": "#b42318", "normal": "#1d4f91", "unknown": "#52606d"}
KIND_FILL = {
    "supplement": "#7c3aed",
    "kratom": "#8a5a00",
    "medication": "#0f766e",
    "physical_therapy": "#2f7a4a",
    "cbt": "#9d174d",
    "mindfulness": "#1d4ed8",
}


def _day(result: LabResult) -> dt.date:
    # The patient's local day: views render inside timezone.override(patient.time_zone).
    return timezone.localdate(result.collected_at)


def y_scale(results: Sequence[LabResult]) -> tuple[float, float, float]:
    """(bottom, top, step) covering every value and every finite range limit, on round numbers."""
    points = [r.canonical_value for r in results]
    points += [b for r in results for b in (r.range_low, r.range_high) if b is not None]
    low, high = min(points), max(points)
    if math.isclose(low, high):
        low, high = low * 0.8, (high * 1.2) or 1.0
    step = nice_step(high - low)
    bottom = max(0.0, math.floor(low / step) * step - (step if low > 0 else 0))
    return bottom, math.ceil(high / step) * step + step / 2, step


def time_window(results: Sequence[LabResult], today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(start, end) of the time axis: a little padding around the results, but never past today (the
    patient's local day), so the axis does not run into a future with no results in it."""
    today = today or timezone.localdate()
    first, last = _day(results[0]), _day(results[-1])
    pad = dt.timedelta(days=30) if first == last else dt.timedelta(days=max(1, (last - first).days // 25))
    return first - pad, max(last, min(last + pad, today))


class _Frame:
    def __init__(self, start: dt.date, end: dt.date, bottom: float, top: float) -> None:
        self.start, self.bottom, self.top = start, bottom, top
        self._x = Scale((0, max(1, (end - start).days)), (LEFT, WIDTH - RIGHT))
        self.y = Scale((bottom, top), (PLOT_BOTTOM, TOP), clip=True)

    def x(self, day: dt.date) -> float:
        return float(self._x((day - self.start).days))


def _band(results: Sequence[LabResult], f: _Frame) -> str:
    parts = []
    for i, r in enumerate(results):
        if not r.range_source:
            continue
        x0 = LEFT if i == 0 else f.x(_day(r))
        x1 = WIDTH - RIGHT if i == len(results) - 1 else f.x(_day(results[i + 1]))
        y_top = f.y(r.range_high) if r.range_high is not None else TOP
        y_bottom = f.y(r.range_low) if r.range_low is not None else PLOT_BOTTOM
        parts.append(
            band(
                _fmt(x0),
                _fmt(y_top),
                _fmt(max(x1 - x0, 1)),
                _fmt(max(y_bottom - y_top, 0)),
                fill="#2f7a4a",
                attrs=' opacity="0.14" class="lab-band"',
            )
        )
    return "".join(parts)


def _grid(f: _Frame, step: float, unit: str) -> str:
    out = [label(LEFT, TOP - 8, unit, attrs=' class="chart-label"')]
    value = f.bottom
    while value <= f.top + 1e-9:
        out.append(
            hline(LEFT, WIDTH - RIGHT, _fmt(f.y(value)))
            + label(LEFT - 8, _fmt(f.y(value) + 4), number(value), anchor="end", attrs=' class="chart-label"')
        )
        value += step
    return "".join(out)


def _points(results: Sequence[LabResult], f: _Frame) -> str:
    path = "".join(
        f"{'M' if i == 0 else 'L'}{_fmt(f.x(_day(r)))} {_fmt(f.y(r.canonical_value))}" for i, r in enumerate(results)
    )
    out = [f'<path d="{path}" stroke="#6b8fb3" stroke-width="1.5" fill="none" class="lab-line"/>']
    for r in results:
        source = f", {r.get_range_source_display()}" if r.range_source else ""
        label = f"{number(r.value)} {r.unit} on {_day(r):%-d %b %Y}: {r.get_status_display().lower()}{source}"
        out.append(
            f'<circle cx="{_fmt(f.x(_day(r)))}" cy="{_fmt(f.y(r.canonical_value))}" r="5" '
            f'fill="{STATUS_FILL[r.status]}" class="lab-point lab-{r.status}"><title>{escape(label)}</title></circle>'
        )
    return "".join(out)


def _therapies(therapies: Sequence[Therapy], f: _Frame, end: dt.date) -> str:
    out = []
    for i, t in enumerate(therapies):
        top = PLOT_BOTTOM + AXIS_GAP + 8 + i * ROW
        first, last = max(t.start_date, f.start), min(t.stop_date or end, end)
        colour = KIND_FILL.get(t.kind, "#52606d")
        x0, x1 = f.x(first), f.x(last)
        span = (
            f"{t.start_date:%-d %b %Y} – {t.stop_date:%-d %b %Y}" if t.stop_date else f"since {t.start_date:%-d %b %Y}"
        )
        out.append(
            f'<text x="{LEFT}" y="{top + 18}" class="chart-label lab-therapy-label">'
            f'{escape(t.name)}<tspan class="lab-therapy-detail"> ({escape(t.get_kind_display().lower())}, '
            f"{span})</tspan></text>"
            f'<rect x="{_fmt(x0)}" y="{top + 24}" width="{_fmt(max(x1 - x0, 2))}" height="10" rx="3" '
            f'fill="{colour}" class="lab-therapy lab-therapy-{escape(t.kind)}">'
            f"<title>{escape(t.name)} ({escape(t.get_kind_display().lower())}, {span})</title></rect>"
        )
        if t.start_date >= f.start:  # mark a start inside the window on the plot itself
            out.append(
                f'<line x1="{_fmt(x0)}" x2="{_fmt(x0)}" y1="{TOP}" y2="{PLOT_BOTTOM}" stroke="{colour}" '
                f'stroke-dasharray="4 3" opacity="0.6" class="lab-therapy-start"/>'
            )
    return "".join(out)


def legend(therapies: Sequence[Therapy], start: dt.date) -> SafeString:
    """An HTML key for the dashed lines on the plot (a plan item starting inside the window), shown
    under the chart as a list so screen readers and small screens read it as text; empty if none."""
    kinds = list(dict.fromkeys(t.kind for t in therapies if t.start_date >= start))
    if not kinds:
        return mark_safe("")
    keys = "".join(f'<span class="key key-dashed" data-kind="{escape(k)}"></span>' for k in kinds)
    return mark_safe(  # noqa: S308 - kinds are escaped, the rest is constant
        f'<ul class="legend lab-legend" aria-label="Chart key"><li><span aria-hidden="true">{keys}</span>'
        "Dashed vertical line: the day a plan item listed under the chart started (same colour as its bar)"
        "</li></ul>"
    )


def _dates(f: _Frame, end: dt.date) -> str:
    picks = [(f.start, "start"), (f.start + (end - f.start) / 2, "middle"), (end, "end")]
    return "".join(
        label(_fmt(f.x(day)), PLOT_BOTTOM + 18, f"{day:%-d %b %Y}", anchor=anchor, attrs=' class="chart-label"')
        for day, anchor in picks
    )


def summary(results: Sequence[LabResult], name: str) -> str:
    latest = results[-1]
    out_of_range = sum(1 for r in results if r.out_of_range)
    return (
        f"{len(results)} {name} result{'s' if len(results) != 1 else ''} from {_day(results[0]):%-d %b %Y} "
        f"to {_day(latest):%-d %b %Y}; {out_of_range} outside the reference range. Latest "
        f"{number(latest.value)} {latest.unit} ({latest.get_status_display().lower()})."
    )


def analyte_chart(
    results: Sequence[LabResult], therapies: Sequence[Therapy], *, name: str, chart_id: str = "lab-chart"
) -> SafeString:
    """`results` oldest first (non-empty); `therapies` already limited to the chart's period."""
    start, end = time_window(results)
    bottom, top, step = y_scale(results)
    f = _Frame(start, end, bottom, top)
    height = PLOT_BOTTOM + AXIS_GAP + 8 + len(therapies) * ROW + 8
    unit = results[-1].canonical_unit
    svg = (
        chart_open(
            width=WIDTH,
            height=height,
            css_class="chart lab-chart",
            chart_id=chart_id,
            title=f"{name} over time ({unit})",
            desc=summary(results, name),
            font_size=14,
        )
        + f"{_band(results, f)}{_grid(f, step, unit)}{_therapies(therapies, f, end)}{_points(results, f)}"
        f"{_dates(f, end)}</svg>"
    )
    return mark_safe(svg + legend(therapies, start))  # noqa: S308 - every interpolated value is a number, a date or escaped text
