"""Admins search the audit trail and download it as CSV; everyone else gets 404 from the selector."""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from painwise.audit.api import CSV_COLUMNS
from painwise.audit.models import AuditEvent
from painwise.audit.selectors import events_search, hide_patient_ids, iter_hiding_patient_ids
from painwise.web.account_forms import AuditSearchForm
from painwise.web.views.common import signed_in

PAGE_SIZE = 50


def _search(request: HttpRequest) -> tuple[AuditSearchForm, QuerySet[AuditEvent]]:
    form = AuditSearchForm(request.GET)
    # The selector runs first so a non-admin gets 404 whatever the filters say.
    events = events_search(request.user)
    if not form.is_valid():
        return form, events.none()
    data: dict[str, Any] = form.cleaned_data
    key = data["patient_key"]
    return form, events_search(
        request.user,
        actor=data["actor"] or None,
        action=data["action"] or None,
        patient_key=str(key) if key else None,
        date_from=data["date_from"],
        date_to=data["date_to"],
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@signed_in()
def admin_audit(request: HttpRequest) -> HttpResponse:
    form, events = _search(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = hide_patient_ids(page.object_list)
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "web/account/admin_audit.html", context, status=422 if form.errors else 200)


class _Echo:
    def write(self, value: str) -> str:
        return value


@signed_in()
def admin_audit_csv(request: HttpRequest) -> HttpResponse:
    _, events = _search(request)
    writer = csv.writer(_Echo())
    lines = [writer.writerow(CSV_COLUMNS)]
    for event in iter_hiding_patient_ids(events):
        lines.append(writer.writerow(["" if (v := getattr(event, c)) is None else v for c in CSV_COLUMNS]))
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="painwise-audit.csv"'
    return response
