"""Monitoring pieces other pages include: patient-list marks, the clinician summary, patient notes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def patient_flags_mark(context: template.Context, patient: Any) -> SafeString | str:
    """ "2 open flags, 1 urgent" next to a patient in the clinician's list (one query for the whole list)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or getattr(user, "role", "") != "clinician":
        return ""
    cache = getattr(request, "_monitoring_marks", None)
    if cache is None:
        from painwise.monitoring.selectors import flags_for, patients_with_active_flags

        ids = flags_for(user, status="active").order_by().values_list("patient_id", flat=True).distinct()
        cache = patients_with_active_flags(user, list(ids))
        request._monitoring_marks = cache  # type: ignore[union-attr]
    mark = cache.get(str(patient.id))
    if not mark:
        return ""
    urgent = ", urgent" if mark["urgent"] else ""
    return format_html(
        '<a class="patient-flags{}" href="{}?patient={}">{} open flag{}{}</a>',
        "" if mark["urgent"] else " routine",
        "/monitoring/",
        patient.id,
        mark["count"],
        "" if mark["count"] == 1 else "s",
        urgent,
    )


@register.inclusion_tag("monitoring/partials/summary.html", takes_context=True)
def monitoring_summary(context: template.Context, patient: Any) -> dict[str, Any]:
    from painwise.monitoring.summary import clinician_summary

    request = context.get("request")
    summary = clinician_summary(request.user, patient)  # type: ignore[union-attr]
    return {"summary": summary, "patient": patient, "request": request}


@register.inclusion_tag("monitoring/partials/notes.html", takes_context=True)
def my_monitoring_notes(context: template.Context) -> dict[str, Any]:
    from painwise.monitoring.summary import patient_notes
    from painwise.patients.access import patient_by_user

    request = context.get("request")
    user = getattr(request, "user", None)
    user_id = getattr(user, "id", None)
    patient = context.get("patient")  # the page's own patient, when it is the signed-in one: no second query
    if patient is None or user_id is None or patient.user_id != user_id:
        patient = patient_by_user(user)
    return {"notes": patient_notes(patient) if patient is not None else []}
