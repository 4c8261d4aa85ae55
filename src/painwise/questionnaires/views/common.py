"""Shared by the questionnaire pages: sign-in and role checks (kept local so these pages do not depend on
the web app's internals) and the per-instrument history context."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.safestring import mark_safe

from painwise.core.errors import NotFound
from painwise.core.instruments import get
from painwise.questionnaires.chart import score_chart
from painwise.questionnaires.selectors import responses_for
from painwise.questionnaires.serialise import published_total

View = Callable[..., HttpResponse]


def signed_in(*roles: str) -> Callable[[View], View]:
    """Require a signed-in user with one of `roles`; NotFound from access checks becomes a plain 404."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if roles and getattr(user, "role", None) not in roles:
                raise PermissionDenied("This page is for another kind of account.")
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc

        return wrapper

    return decorate


def history_context(patient: Any, code: str) -> dict[str, Any]:
    """What a history page shows for one instrument: the chart, the rows, and the instrument's caveats."""
    instrument = get(code)
    responses = list(responses_for(patient, code=instrument.code)[:200])
    points = [(r.completed_at, r.total) for r in reversed(responses) if r.total is not None]
    title = f"{instrument.name} scores over time ({instrument.score_range[0]}–{instrument.score_range[1]})"
    return {
        "instrument": instrument,
        "patient": patient,
        "rows": [(r, published_total(r.code, r.total)) for r in responses],
        # score_chart escapes every value it writes.
        "chart": mark_safe(score_chart(points, instrument.score_range, instrument.bands, title)) if points else "",  # noqa: S308
    }
