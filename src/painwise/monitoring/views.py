"""The clinician's worklist (active flags across their patients, urgent first, filterable), one flag
with the data behind it (lab trend with its reference band, hair timeline), the lifecycle buttons,
and the evidence page every rule links to."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.core.rules import CITATIONS, REGISTRY
from painwise.monitoring import charts
from painwise.monitoring.engine import local_today
from painwise.monitoring.models import Severity, Status
from painwise.monitoring.selectors import flag_for, flag_read, flags_for, flags_page
from painwise.monitoring.services import flag_acknowledge, flag_close
from painwise.patients.access import may
from painwise.questionnaires.views.common import signed_in

PAGE_SIZE = 200
LAB_RULES = (
    "labs.out_of_range",
    "nutrition.b12_deficiency",
    "nutrition.iron_deficiency",
    "blood.anemia",
    "hormones.abnormal",
    "liver.injury",
    "liver.hys_law",
)
HAIR_RULES = ("hair.workup_due", "hair.new_onset_on_kratom")


def _filters(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip() for key in ("rule", "severity", "patient", "status")}


@signed_in(Role.CLINICIAN)
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    chosen = _filters(request)
    try:
        flags_qs = flags_for(
            request.user,
            status=chosen["status"] or "active",
            rule=chosen["rule"] or None,
            severity=chosen["severity"] or None,
            patient_id=chosen["patient"] or None,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("monitoring:worklist")
    flags = flags_page(request.user, flags_qs, 0, PAGE_SIZE)
    everyone = flags_for(request.user, status="active").order_by().values_list("patient_id", "patient__user__username")
    context = {
        "flags": flags,
        "count": flags_qs.count(),
        "chosen": chosen,
        "rules": sorted(REGISTRY),
        "severities": Severity.choices,
        "statuses": [("active", "Open and acknowledged"), *Status.choices, ("all", "All")],
        "patients": sorted(set(everyone), key=lambda row: row[1]),
    }
    return render(request, "monitoring/worklist.html", context)


@signed_in(Role.CLINICIAN)
@require_GET
def flag_detail(request: HttpRequest, flag_id: uuid.UUID) -> HttpResponse:
    flag = flag_read(request.user, flag_id)
    patient = flag.patient
    context: dict[str, object] = {"flag": flag, "rule": REGISTRY.get(flag.rule_id)}
    if flag.rule_id in LAB_RULES and may(request.user, patient, "labs"):
        context["lab_charts"] = _lab_charts(request, flag)
    if flag.rule_id in HAIR_RULES and may(request.user, patient, "diary") and may(request.user, patient, "labs"):
        from painwise.patients.access import allows
        from painwise.patients.snapshot import build_snapshot

        allows(request.user, patient, "diary", view="flag")  # the policy audits the diary read behind it
        allows(request.user, patient, "labs", view="flag")
        context["hair_timeline"] = charts.hair_timeline(build_snapshot(patient.id), local_today(patient))
    return render(request, "monitoring/flag.html", context)


def _lab_charts(request: HttpRequest, flag: object) -> list[tuple[str, object]]:
    from painwise.labs.charts import analyte_chart
    from painwise.labs.selectors import lab_results
    from painwise.patients.access import patient_for

    data = getattr(flag, "data", {}) or {}
    analytes = {data.get("analyte")} | {r.get("analyte") for r in data.get("results", [])}
    if isinstance(data.get("results"), dict):
        analytes |= set(data["results"])
    patient = patient_for(request.user, flag.patient_id, "labs", view="flag")  # type: ignore[attr-defined]
    out: list[tuple[str, object]] = []
    for index, analyte in enumerate(sorted(a for a in analytes if a)):
        results = list(reversed(lab_results(patient, analyte=analyte)[:50]))
        if results:
            out.append((analyte, analyte_chart(results, [], name=analyte, chart_id=f"flag-lab-{index}")))
    return out


@signed_in(Role.CLINICIAN)
@require_POST
def acknowledge(request: HttpRequest, flag_id: uuid.UUID) -> HttpResponse:
    flag = flag_acknowledge(actor=request.user, flag=flag_for(request.user, flag_id))
    messages.success(request, f"Acknowledged: {flag.title} ({flag.patient.user.username}).")
    return _back(request)


@signed_in(Role.CLINICIAN)
@require_POST
def close(request: HttpRequest, flag_id: uuid.UUID, status: str) -> HttpResponse:
    flag = flag_for(request.user, flag_id)
    try:
        flag = flag_close(actor=request.user, flag=flag, status=status, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("monitoring:flag", flag_id=flag.id)
    messages.success(request, f"{flag.get_status_display()}: {flag.title} ({flag.patient.user.username}).")
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/monitoring/") and "//" not in target:
        return redirect(target)
    return redirect("monitoring:worklist")


@require_GET
def evidence(request: HttpRequest) -> HttpResponse:
    """The sources behind every rule (the same text as docs/evidence.md), for anyone signed in."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('web:login')}?next={request.path}")
    citations = [(c, [r.id for r in REGISTRY.values() if c.key in r.evidence]) for c in CITATIONS.values()]
    return render(request, "monitoring/evidence.html", {"citations": citations})
