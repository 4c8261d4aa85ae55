"""A patient's rights: who viewed or changed my data, download all my data, erase my account."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import logout
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from painwise.accounts.erasure import account_erase
from painwise.audit.models import AuditEvent
from painwise.audit.selectors import events_about_me
from painwise.core.errors import DomainError, NotFound
from painwise.exchange.export import export_patient
from painwise.patients.access import patient_by_user
from painwise.web.account_forms import EraseForm, show_domain_error
from painwise.web.views.common import signed_in

PAGE_SIZE = 25
ACTION_LABELS = {"read": "viewed", "create": "added", "update": "changed", "delete": "deleted", "export": "downloaded",
                 "import": "imported", "grant": "shared", "revoke": "revoked access", "invite": "created a share code",
                 "erase": "erased", "research_export": "included in a de-identified research export",
                 "research_consent": "recorded a research decision"}  # fmt: skip


def who(event: AuditEvent, me: Any) -> str:
    """ "you", "clinician bob" or "system": patients appear only by account id, so only "you" is possible."""
    if event.actor_id == me.pk:
        return "you"
    if event.actor_role:
        return f"{event.actor_role} {event.actor_username}".strip()
    return "system"


@signed_in("patient")
def my_audit(request: HttpRequest) -> HttpResponse:
    page = Paginator(events_about_me(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"at": e.at, "who": who(e, request.user), "what": ACTION_LABELS.get(e.action, e.action),
         "object_type": e.object_type.replace("_", " "), "channel": e.channel}
        for e in page
    ]  # fmt: skip
    return render(request, "web/account/my_audit.html", {"page": page, "rows": rows})


@signed_in("patient")
def my_export(request: HttpRequest) -> HttpResponse:
    patient = patient_by_user(request.user)
    if patient is None:
        raise NotFound("patient")
    document = export_patient(patient, actor=request.user)
    response = HttpResponse(json.dumps(document, cls=DjangoJSONEncoder, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="painwise-my-data.json"'
    return response


@signed_in("patient")
def erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_erase(
                actor=request.user, password=form.cleaned_data["password"], confirm=form.cleaned_data["confirm"]
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            logout(request)
            return redirect("web:erased")
    return render(request, "web/account/erase.html", {"form": form}, status=422 if form.errors else 200)


def erased(request: HttpRequest) -> HttpResponse:
    """Shown once the account is gone (anyone may open it: it says nothing about anybody)."""
    return render(request, "web/account/erased.html")
