from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from painwise.accounts.signup import signup_open
from painwise.web.navigation import nav_tab
from painwise.web.twofactor import needs_second_factor


def painwise_context(request: HttpRequest) -> dict[str, object]:
    # OTP_PENDING hides the navigation on the code and enrolment pages: its links would only bounce back.
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "OTP_PENDING": needs_second_factor(request),
        "SIGNUP_OPEN": signup_open(),
        "NAV_TAB": nav_tab(request),
    }
