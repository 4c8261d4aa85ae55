"""The pain chart's SVG text: vectorised coordinate formatting writes what f"{v:.1f}" would."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np

from painwise.core import trends
from painwise.web import charts


def test_coordinates_are_formatted_like_an_f_string_including_near_halves():
    values = [12 + i / 100 for i in range(0, 53_500)] + [134.45, 0.05, 0.15, 2.25, 545.95]
    values += [charts.PLOT_BOTTOM - (q / 4) * (charts.PLOT_BOTTOM - charts.TOP) / 10 for q in range(41)]
    assert charts._fmt_all(np.array(values)).tolist() == [f"{v:.1f}" for v in values]
    assert charts._fmt_all(np.array([-1.25, 1234.56])).tolist() == ["-1.2", "1234.6"]


def reference_line(values, xs):
    parts, pen_down = [], False
    for x, value in zip(xs, values, strict=True):
        if value is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{x} {charts.NRS_Y(value):.1f}")
        pen_down = True
    return "".join(parts)


def test_paths_lift_the_pen_over_gaps_and_mark_days_with_events():
    rng = random.Random(11)
    start = dt.date(2025, 1, 1)
    days = 400
    pain = [
        trends.DailyPain(start + dt.timedelta(days=i), rng.randint(0, 40) / 4, rng.randint(0, 10), 4)
        for i in range(-6, days)
        if rng.random() < 0.7
    ]
    doses = {start + dt.timedelta(days=i): rng.randint(1, 5) for i in range(days) if rng.random() < 0.5}
    series = trends.build_series(pain, doses, {}, start, start + dt.timedelta(days=days - 1))
    xs = charts._xs(days)
    assert xs.tolist() == [
        f"{charts.LEFT + (i + 0.5) * (charts.WIDTH - charts.LEFT - charts.RIGHT) / days:.1f}" for i in range(days)
    ]
    means = [d.mean for d in series.days]
    assert charts._line(means, xs) == reference_line(means, xs.tolist())
    ticks = charts._ticks([d.doses for d in series.days], xs, charts.DOSE_ROW)
    assert ticks == "".join(f"M{x} 186V202" for x, d in zip(xs.tolist(), series.days, strict=True) if d.doses)
    maxima = "".join(
        f"M{x} {charts.Y_OF_NRS[d.max]}h0" for x, d in zip(xs.tolist(), series.days, strict=True) if d.max is not None
    )
    svg = charts.pain_chart(series)
    assert f'd="{maxima}"' in svg and charts.summary_text(series) in svg
    assert charts._line([None, None], xs[:2]) == "" and charts._ticks([0, 0], xs[:2], charts.DOSE_ROW) == ""
