"""The web's second sign-in step (TOTP): who must pass it, and the gate that holds everyone else back.

A password alone opens nothing for clinicians and admins (`otp_required`): until the session is
verified by django-otp, every page answers with a redirect to the code step (or to enrolment when
they have no authenticator yet). The gate is a middleware, not a view decorator, so pages of other
apps (questionnaires, labs, monitoring) cannot forget it. Patients may enrol voluntarily; their
login then asks for the code too (flagged in the session at login so ordinary requests cost no query).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from painwise.accounts.otp import confirmed_device, otp_required
from painwise.web.views.common import DEMO_OFF_MESSAGE

# Set at password login for users with a voluntary authenticator (patients, researchers).
SESSION_OTP_PENDING = "painwise_otp_pending"
# The API checks TOTP when a token is issued; static files hold no data.
EXEMPT_PREFIXES = ("/static/", "/api/")
EXEMPT_NAMES = ("web:login", "web:logout", "web:login_otp", "web:otp_enrol", "web:erased")


def needs_second_factor(request: HttpRequest) -> bool:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_verified", lambda: False)():
        return False
    return otp_required(user) or bool(request.session.get(SESSION_OTP_PENDING))


def second_step_url(user: Any, next_url: str = "") -> str:
    """The code step when the user has an authenticator, else enrolment; `next` carried along."""
    name = "web:login_otp" if confirmed_device(user) is not None else "web:otp_enrol"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class TwoFactorGate:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._exempt(request.path) or not needs_second_factor(request):
            return self.get_response(request)
        if getattr(request.user, "is_demo", False) and not settings.DEMO_MODE:
            # A demo session that outlived demo mode is ended, not offered enrolment.
            logout(request)
            messages.error(request, DEMO_OFF_MESSAGE)
            return HttpResponseRedirect(reverse("web:login"))
        next_url = request.get_full_path() if request.method == "GET" else ""
        target = second_step_url(request.user, next_url)
        if getattr(request, "htmx", False):
            # An htmx fragment request must not swap the code form into a card: load the whole page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)

    @staticmethod
    def _exempt(path: str) -> bool:
        if path.startswith(EXEMPT_PREFIXES):
            return True
        return path in {reverse(name) for name in EXEMPT_NAMES}
