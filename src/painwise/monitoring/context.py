"""Template context for every page: the signed-in clinician's active flag counts (badge, Worklist tab),
computed only when a template reads them."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from painwise.monitoring.selectors import active_counts


def monitoring_context(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {"MONITORING": SimpleLazyObject(lambda: active_counts(user))}
