from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from painwise.web.twofactor import TwoFactorGate

# Everything is served from our own origin (htmx and charts included): no CDN, no inline scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        # The two-factor gate runs inside this (already registered) middleware, so every page of every
        # app is covered without a settings change, and its redirects get the same headers.
        self.get_response = TwoFactorGate(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Every page, the API docs included: Swagger UI's assets and init script are static files.
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Health data must not linger in shared caches or the back/forward cache.
            response.setdefault("Cache-Control", "no-store")
        return response
