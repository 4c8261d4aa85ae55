"""Shared by the questionnaire pages: the per-instrument history context, and the web app's sign-in
and role check (one decorator for every page, so the demo-mode and 404 rules cannot drift apart)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.safestring import mark_safe

from painwise.core.instruments import get
from painwise.questionnaires.chart import score_chart
from painwise.questionnaires.selectors import responses_for
from painwise.questionnaires.serialise import published_total
from painwise.web.views.common import signed_in

__all__ = ["history_context", "signed_in"]

View = Callable[..., HttpResponse]


PAGE_SIZE = 20  # table rows per page on a history page, latest first


def history_context(patient: Any, code: str, page: Any = 1) -> dict[str, Any]:
    """What a history page shows for one instrument: the chart, one page of rows (latest first; `page`
    from the query string, clamped to the pages there are), and the instrument's caveats."""
    instrument = get(code)
    responses = list(responses_for(patient, code=instrument.code)[:200])
    points = [(r.completed_at, r.total) for r in reversed(responses) if r.total is not None]
    title = f"{instrument.name} scores over time ({instrument.score_range[0]}–{instrument.score_range[1]})"
    paginator = Paginator(responses, PAGE_SIZE)
    rows_page = paginator.get_page(page)  # bad or out-of-range numbers fall back to the first/last page
    return {
        "instrument": instrument,
        "patient": patient,
        "rows": [(r, published_total(r.code, r.total)) for r in rows_page],
        "rows_page": rows_page,
        "rows_total": len(responses),
        # score_chart escapes every value it writes.
        "chart": mark_safe(score_chart(points, instrument.score_range, instrument.bands, title)) if points else "",  # noqa: S308
    }
