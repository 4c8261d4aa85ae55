"""Per-request facts (IP, request id) that audit events carry, set by middleware."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str | None = None
    channel: str = "cli"


current = contextvars.ContextVar[RequestContext]("painwise_request_context", default=RequestContext())  # noqa: B039 - frozen
