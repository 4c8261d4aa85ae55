"""The clinician's worklist of unacknowledged flags (urgent first) and the acknowledge button."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from painwise.accounts.models import Role
from painwise.monitoring.selectors import flag_for, flags_for, flags_page
from painwise.monitoring.services import flag_acknowledge
from painwise.questionnaires.views.common import signed_in

PAGE_SIZE = 200


@signed_in(Role.CLINICIAN)
def worklist(request: HttpRequest) -> HttpResponse:
    flags = flags_page(request.user, flags_for(request.user), 0, PAGE_SIZE)
    return render(request, "monitoring/worklist.html", {"flags": flags})


@signed_in(Role.CLINICIAN)
@require_POST
def acknowledge(request: HttpRequest, flag_id: uuid.UUID) -> HttpResponse:
    flag = flag_acknowledge(actor=request.user, flag=flag_for(request.user, flag_id))
    messages.success(request, f"Acknowledged: {flag.title} ({flag.patient.user.username}).")
    return redirect("monitoring:worklist")
