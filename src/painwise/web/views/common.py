"""What every web view needs: sign-in and role checks, 404 for NotFound, the patient's clock."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from painwise.core.errors import NotFound
from painwise.core.trends import DEFAULT_WINDOW, WINDOWS

View = Callable[..., HttpResponse]
DEMO_OFF_MESSAGE = "Demo accounts can only sign in while the site runs in demo mode."


def signed_in(*roles: str) -> Callable[[View], View]:
    """Require a signed-in, non-demo-outside-demo-mode user with one of `roles` (any role if none given).

    A demo user whose session outlived demo mode is signed out here, not only at the login form.
    NotFound from access checks becomes a plain 404 so ids cannot be probed.
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
                logout(request)
                messages.error(request, DEMO_OFF_MESSAGE)
                return redirect("web:login")
            if roles and getattr(user, "role", None) not in roles:
                raise PermissionDenied("This page is for another kind of account.")
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc

        return wrapper

    return decorate


def window_param(request: HttpRequest) -> str:
    window = request.GET.get("window", DEFAULT_WINDOW)
    return window if window in WINDOWS else DEFAULT_WINDOW
