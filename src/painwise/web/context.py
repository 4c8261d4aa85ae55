from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def painwise_context(request: HttpRequest) -> dict[str, object]:
    return {"DEMO_MODE": settings.DEMO_MODE}
