"""Sign in and out with Django's auth views; demo accounts are refused outside demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect

from painwise.accounts.otp import confirmed_device, otp_required
from painwise.web.forms import DemoAwareAuthenticationForm
from painwise.web.twofactor import SESSION_OTP_PENDING, needs_second_factor, second_step_url

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

    def form_valid(self, form: Any) -> HttpResponse:
        """A correct password; clinicians, admins and anyone with an authenticator then need the code."""
        response = super().form_valid(form)
        user = form.get_user()
        if not otp_required(user) and confirmed_device(user) is not None:
            self.request.session[SESSION_OTP_PENDING] = True
        if needs_second_factor(self.request):
            return HttpResponseRedirect(second_step_url(user, self.get_success_url()))
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link or prefetch cannot sign anyone out."""
