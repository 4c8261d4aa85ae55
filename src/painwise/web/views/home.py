"""The one home URL; what it shows depends on who signs in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from painwise.accounts.models import Role
from painwise.web.views import clinician, patient
from painwise.web.views.common import signed_in


@signed_in()
def home(request: HttpRequest) -> HttpResponse:
    role = getattr(request.user, "role", None)
    if role == Role.PATIENT:
        return patient.dashboard(request)
    if role == Role.CLINICIAN:
        return clinician.home(request)
    # Researchers and admins see no clinical data in the web UI; the page says what they can do.
    return render(request, "web/other_home.html", {"role": role})
