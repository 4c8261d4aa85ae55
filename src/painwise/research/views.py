"""Research pages: a patient's consent (patients only) and the researcher's cohort page (researchers only).

Researchers see counts (small ones suppressed), analysis results and charts, and download the de-identified
export; never a patient's identity, account or real dates. Other roles get 403 (role first, then the run: 404).
"""

from __future__ import annotations

import zipfile
from typing import cast

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from painwise.accounts.models import Role
from painwise.audit.services import audit_record
from painwise.core.errors import DomainError
from painwise.core.research.results import ASSOCIATION_NOT_CAUSE, COMMON_CONFOUNDERS
from painwise.research import selectors
from painwise.research.consent import CONSENT_TEXT, CONSENT_VERSION
from painwise.research.exports import AGE_BANDS, CohortFilters, research_dir
from painwise.research.models import Decision, RunStatus
from painwise.research.services import (
    COHORT_CACHE,
    STEPS,
    research_consent_set,
    research_run_create,
    research_run_step,
    run_directory,
)
from painwise.web.views.common import signed_in


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    version = forms.CharField(max_length=32)


class FilterForm(forms.Form):
    sex = forms.ChoiceField(choices=[("", "Any"), ("female", "Female"), ("male", "Male")], required=False)
    age_bands = forms.MultipleChoiceField(
        choices=[(b, b) for b in AGE_BANDS], required=False, widget=forms.CheckboxSelectMultiple, label="Age bands"
    )
    kratom_only = forms.BooleanField(required=False, label="Only patients with recorded kratom use")


def _consent_page(request: HttpRequest, form: ConsentForm | None = None, status: int = 200) -> HttpResponse:
    patient = selectors.own_patient(request.user)
    context = {
        "current": selectors.current_consent(patient),
        "history": selectors.consent_history(patient)[:20],
        "text": CONSENT_TEXT,
        "version": CONSENT_VERSION,
        "form": form,
    }
    return render(request, "research/consent.html", context, status=status)


@require_GET
@signed_in(Role.PATIENT)
def consent(request: HttpRequest) -> HttpResponse:
    return _consent_page(request)


@require_POST
@signed_in(Role.PATIENT)
def consent_set(request: HttpRequest) -> HttpResponse:
    patient = selectors.own_patient(request.user)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _consent_page(request, form, status=422)
    try:
        research_consent_set(
            actor=request.user, patient=patient, decision=form.cleaned_data["decision"],
            version=form.cleaned_data["version"],
        )  # fmt: skip
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _consent_page(request, form, status=422)
    if form.cleaned_data["decision"] == Decision.OPT_IN:
        messages.success(request, "Thank you: you have opted in to research use. You can opt out at any time.")
    else:
        messages.success(request, "You have opted out: no later research export will include your records.")
    return redirect("research:consent")


def _index_page(request: HttpRequest, form: FilterForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "consenting": selectors.consenting_count_label(),
        "runs": selectors.runs_of(request.user)[:20],
    }
    return render(request, "research/index.html", context, status=status)


@require_GET
@signed_in(Role.RESEARCHER)
def index(request: HttpRequest) -> HttpResponse:
    return _index_page(request, FilterForm())


@require_POST
@signed_in(Role.RESEARCHER)
def run_create(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.POST)
    if not form.is_valid():
        return _index_page(request, form, status=422)
    data = form.cleaned_data
    try:
        filters = CohortFilters.parse(sex=data["sex"], age_bands=data["age_bands"], kratom_only=data["kratom_only"])
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _index_page(request, form, status=422)
    run = research_run_create(actor=request.user, filters=filters)
    return redirect("research:run_detail", run_id=run.id)


def _p_text(p: object) -> str:
    if not isinstance(p, float | int):
        return "not available"
    return "< 0.0001" if p < 0.0001 else f"= {p:.4f}"


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _run_context(run: object) -> dict[str, object]:
    results = getattr(run, "results", {}) or {}
    analyses = []
    for name in STEPS[1:]:
        item = results.get(name)
        if item is None:
            continue
        analyses.append(
            {
                "name": name,
                "item": item,
                "error": (item.get("error") or {}).get("message"),
                "p_text": _p_text(item.get("p_value")),
                "chart": mark_safe(item.get("chart_svg", "")),  # noqa: S308 - built by painwise.core.research.results
                "columns": list(item.get("summary", [{}])[0].keys()) if item.get("summary") else [],
                "rows": [[_cell(v) for v in row.values()] for row in item.get("summary", [])],
            }
        )
    done = getattr(run, "steps_done", 0)
    return {
        "run": run,
        "export": results.get("export"),
        "analyses": analyses,
        "steps_total": len(STEPS),
        "next_step": STEPS[done] if done < len(STEPS) else None,
        "percent": round(100 * done / len(STEPS)),
        "finished": getattr(run, "status", "") in (RunStatus.DONE, RunStatus.FAILED),
        "caveat": ASSOCIATION_NOT_CAUSE,
        "confounders": COMMON_CONFOUNDERS,
    }


@require_GET
@signed_in(Role.RESEARCHER)
def run_detail(request: HttpRequest, run_id: str) -> HttpResponse:
    run = selectors.run_of(request.user, run_id)
    return render(request, "research/run.html", _run_context(run))


@require_POST
@signed_in(Role.RESEARCHER)
def run_step(request: HttpRequest, run_id: str) -> HttpResponse:
    run = research_run_step(actor=request.user, run_id=run_id)
    context = _run_context(run)
    if request.headers.get("HX-Request") == "true":
        if context["finished"]:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = request.build_absolute_uri(run_url(run.id))
            return response
        return render(request, "research/_progress.html", context)
    return redirect("research:run_detail", run_id=run.id)


def run_url(run_id: object) -> str:
    from django.urls import reverse

    return reverse("research:run_detail", kwargs={"run_id": run_id})


@require_GET
@signed_in(Role.RESEARCHER)
def download(request: HttpRequest, run_id: str) -> HttpResponse:
    run = selectors.run_of(request.user, run_id)
    folder = run_directory(run)
    if run.steps_done < 1 or run.status == RunStatus.FAILED or not (folder / "manifest.json").exists():
        messages.error(request, "This cohort has no export to download.")
        return redirect("research:run_detail", run_id=run.id)
    export_id = run.results["export"]["export_id"]
    archive_path = research_dir() / f"{run.id}.zip"
    if not archive_path.exists():
        partial = archive_path.with_suffix(".part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and COHORT_CACHE not in path.relative_to(folder).parts:
                    archive.write(path, f"research-export-{export_id}/{path.relative_to(folder)}")
        partial.replace(archive_path)
    audit_record(
        actor=request.user, action="research_download", patient_key=None, object_type="research_run",
        object_id=run.id, detail={"export_id": export_id, "patients": run.patients},
    )  # fmt: skip
    response = FileResponse(
        archive_path.open("rb"), as_attachment=True, filename=f"research-export-{export_id}.zip",
        content_type="application/zip",
    )  # fmt: skip
    return cast(HttpResponse, response)
