"""Sign in and out with Django's auth views; demo accounts are refused outside demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views

from painwise.web.forms import DemoAwareAuthenticationForm

# Kept here rather than imported from the demo seeder so the login page never depends on it.
DEMO_LOGINS = (
    ("demo-patient", "patient with a two-year synthetic diary, shared with demo-clinician"),
    ("demo-patient2", "patient who has shared with nobody"),
    ("demo-clinician", "clinician with access to demo-patient"),
    ("demo-clinician2", "clinician nobody has shared with"),
    ("demo-researcher", "researcher: no identifiable data"),
    ("demo-admin", "administrator: manages accounts, reads no clinical data"),
)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = DemoAwareAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_logins"] = DEMO_LOGINS
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link or prefetch cannot sign anyone out."""
