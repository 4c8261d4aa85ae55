"""What a locked-out client sees (django-axes AXES_LOCKOUT_CALLABLE): the API's error shape, or a page."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

MESSAGE = "Too many failed attempts: this account is locked from this address for a while. Try again later."


def lockout_response(request: HttpRequest, original_response: Any, credentials: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"error": {"code": "auth.locked_out", "message": MESSAGE, "field": "password"}}
        return HttpResponse(json.dumps(body), status=429, content_type="application/json")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return HttpResponse(
        f"<!doctype html><title>Locked</title><h1>Locked</h1><p>{MESSAGE} ({minutes} minutes)</p>",
        status=429,
        content_type="text/html; charset=utf-8",
    )
