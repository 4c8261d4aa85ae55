from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from painwise.audit.context import RequestContext, current

# Requests under the REST API are audited as channel "api", pages as "web", commands as "cli".
API_PREFIX = "/api/"


class RequestContextMiddleware:
    """Gives each request an id (echoed as X-Request-ID) and remembers the client IP for audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        request_id = request_id[:64]
        channel = "api" if request.path.startswith(API_PREFIX) else "web"
        token = current.set(RequestContext(ip=request.META.get("REMOTE_ADDR"), request_id=request_id, channel=channel))
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response
