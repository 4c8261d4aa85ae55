"""The hair-loss timeline: shedding reports against kratom exposure and the B12, ferritin and TSH results.

Hand-built SVG like the other charts (no script, presentation attributes only, CSP-safe). It shows
timing for a clinician to read; it draws no association and names no cause.
"""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from painwise.core.rules.base import leaf_grams
from painwise.core.snapshot import PatientSnapshot

WIDTH, LEFT, RIGHT = 720, 100, 40
ROWS = {"exposure": (20, 110), "shedding": (140, 170), "b12": (195, 215), "ferritin": (235, 255), "tsh": (275, 295)}
HEIGHT = 330
STATUS_FILL = {"low": "#b42318", "high": "#b42318", "normal": "#1d4f91", "unknown": "#52606d"}
LABELS = {"exposure": "Kratom, g/day", "shedding": "Shedding", "b12": "B12", "ferritin": "Ferritin", "tsh": "TSH"}


def hair_timeline(view: PatientSnapshot, end: dt.date, *, chart_id: str = "hair-timeline") -> SafeString | None:
    """From 4 months before the first shedding report of the record to `end`; None without a report."""
    reports = [s for s in view.side_effects if s.kind == "hair_shedding" and s.day <= end]
    if not reports:
        return None
    start = min(r.onset for r in reports) - dt.timedelta(days=120)
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / span

    grams = leaf_grams(view, start, end)
    top = max(grams.values(), default=0.0) or 1.0
    ex_top, ex_bottom = ROWS["exposure"]
    bar = max((WIDTH - LEFT - RIGHT) / span, 1.0)
    parts = [
        f'<rect x="{x(day):.1f}" y="{ex_bottom - (ex_bottom - ex_top) * g / top:.1f}" width="{bar:.1f}" '
        f'height="{(ex_bottom - ex_top) * g / top:.1f}" fill="#8a5a00" opacity="0.7"/>'
        for day, g in sorted(grams.items())
    ]
    parts.append(f'<text x="{WIDTH - RIGHT + 4}" y="{ex_top + 10}" font-size="11">{top:.0f} g</text>')
    sh_top, sh_bottom = ROWS["shedding"]
    for report in reports:
        grade = f" grade {report.ctcae_grade}" if report.ctcae_grade else ""
        parts.append(
            f'<path d="M{x(report.onset):.1f} {sh_top} l6 {sh_bottom - sh_top} h-12 z" fill="#b42318">'
            f"<title>Shedding from {report.onset.isoformat()}{escape(grade)}</title></path>"
        )
    for analyte in ("b12", "ferritin", "tsh"):
        row_top, row_bottom = ROWS[analyte]
        for lab in view.labs:
            if lab.analyte != analyte or not start <= lab.day <= end:
                continue
            fill = STATUS_FILL.get(lab.interpretation.status, "#52606d")
            parts.append(
                f'<circle cx="{x(lab.day):.1f}" cy="{(row_top + row_bottom) / 2:.1f}" r="6" fill="{fill}">'
                f"<title>{escape(analyte)} {lab.value:g} {escape(lab.unit)} on {lab.day.isoformat()} "
                f"({escape(lab.interpretation.status)})</title></circle>"
            )
    for name, (row_top, row_bottom) in ROWS.items():
        parts.append(
            f'<text x="{LEFT - 6}" y="{(row_top + row_bottom) / 2 + 4:.1f}" text-anchor="end" font-size="12">'
            f"{LABELS[name]}</text>"
        )
    for day in (start, start + (end - start) / 2, end):
        parts.append(
            f'<text x="{x(day):.1f}" y="{HEIGHT - 6}" text-anchor="middle" font-size="12">{day:%-d %b %Y}</text>'
        )
    summary = (
        f"{len(reports)} shedding report(s), first onset {min(r.onset for r in reports).isoformat()}; kratom "
        f"leaf-equivalent grams per day and B12, ferritin and TSH results from {start.isoformat()} to "
        f"{end.isoformat()}. Timing only: no cause is implied."
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart hair-timeline" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="system-ui, sans-serif" '
        f'fill="#3d4752"><title id="{chart_id}-title">Hair shedding timeline</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - numbers, dates and escaped text only
