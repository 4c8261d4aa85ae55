"""Lab pages: a patient's results table, entry form, CSV upload and a trend chart per analyte.

Thin: access through painwise.patients.access (NotFound → 404, reads by others audited there), writes
through painwise.labs.services. Times show in the patient's time zone.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.core.labs import resolve_analyte
from painwise.labs import charts, display, selectors
from painwise.labs.csv_import import COLUMNS, MAX_CSV_BYTES, MAX_CSV_ROWS, REQUIRED_COLUMNS, CsvImportError
from painwise.labs.forms import CsvUploadForm, LabEntryForm, accepted_units, unit_spellings
from painwise.labs.services import lab_result_create, lab_result_delete, lab_results_import_csv
from painwise.patients.access import allows, may, patient_for, visible_patients
from painwise.patients.models import Patient
from painwise.web.record_forms import show_domain_error
from painwise.web.views.common import signed_in

SCOPE = "labs"
PEOPLE = (Role.PATIENT, Role.CLINICIAN)


def _writable(request: HttpRequest, patient_id: str) -> Patient:
    return patient_for(request.user, patient_id, SCOPE, write=True)


@require_GET
@signed_in(*PEOPLE)
def index(request: HttpRequest) -> HttpResponse:
    """A patient goes to their own results; a clinician picks among patients who shared labs."""
    patients = [p for p in visible_patients(request.user).select_related("user") if may(request.user, p, SCOPE)]
    if request.user.role == Role.PATIENT and patients:  # type: ignore[union-attr]
        return redirect("labs:patient_labs", patient_id=patients[0].id)
    return render(request, "labs/index.html", {"patients": patients})


MAX_SHOWN = 2000  # results read for the page (years of monthly panels)


@require_GET
@signed_in(*PEOPLE)
def patient_labs(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = patient_for(request.user, patient_id, SCOPE)
    # Grouped by test: each test's latest result in the table, earlier ones on demand (<details>), so
    # the page stays short however many draws there were. Bounded: the newest MAX_SHOWN results.
    results = list(selectors.lab_results(patient).select_related("entered_by")[:MAX_SHOWN])
    groups: dict[str, list[display.Row]] = {}
    for result in results:
        groups.setdefault(result.analyte, []).append(display.row(result))
    with timezone.override(patient.time_zone):
        return render(
            request,
            "labs/patient_labs.html",
            {
                "patient": patient,
                "groups": [(rows[0], rows[1:]) for rows in groups.values()],
                "rows": [rows[0] for rows in groups.values()],
                "truncated": len(results) == MAX_SHOWN,
                "charts": [(a, display.display_name(a)) for a in selectors.analytes_measured(patient)],
                "can_write": may(request.user, patient, SCOPE, write=True),
                "own": patient.user_id == request.user.id,
            },
        )


def _form_page(request: HttpRequest, patient: Patient, form: LabEntryForm, status: int = 200) -> HttpResponse:
    context = {"patient": patient, "form": form, "units": unit_spellings(), "accepted": accepted_units()}
    return render(request, "labs/entry.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in(*PEOPLE)
def entry(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = _writable(request, patient_id)
    with timezone.override(patient.time_zone):
        if request.method == "GET":
            return _form_page(request, patient, LabEntryForm())
        form = LabEntryForm(request.POST)
        if not form.is_valid():
            return _form_page(request, patient, form, 422)
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_duplicate", False)
        if not confirmed and selectors.same_result_exists(patient, data):
            # Entering one report twice is the usual slip: say so, and let a real repeat be saved.
            form.add_error(
                None,
                "This result is already recorded (same test, value, unit and collection time). "
                "Save again only if it is a separate result.",
            )
            resubmit = request.POST.copy()
            resubmit["confirm_duplicate"] = "on"
            form.data = resubmit
            return _form_page(request, patient, form, 409)
        try:
            record = lab_result_create(actor=request.user, patient=patient, data=data)
        except DomainError as exc:
            show_domain_error(form, exc)
            return _form_page(request, patient, form, 422)
    row = display.row(record)
    messages.success(request, f"Saved {row.name}: {row.value} ({record.get_status_display().lower()}).")
    return redirect("labs:patient_labs", patient_id=patient.id)


@require_http_methods(["GET", "POST"])
@signed_in(*PEOPLE)
def csv_import(request: HttpRequest, patient_id: str) -> HttpResponse:
    patient = _writable(request, patient_id)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    context = {
        "patient": patient,
        "form": form,
        "columns": COLUMNS,
        "required": REQUIRED_COLUMNS,
        "max_kb": MAX_CSV_BYTES // 1024,
        "max_rows": MAX_CSV_ROWS,
        "problems": [],
    }
    if request.method == "GET":
        return render(request, "labs/csv_import.html", context)
    if not form.is_valid():
        return render(request, "labs/csv_import.html", context, status=422)
    try:
        done = lab_results_import_csv(actor=request.user, patient=patient, text=form.csv_text())
    except forms.ValidationError as exc:
        form.add_error("file", exc)
        return render(request, "labs/csv_import.html", context, status=422)
    except CsvImportError as exc:
        context["problems"] = exc.problems
        return render(request, "labs/csv_import.html", context, status=422)
    skipped = ", ".join(str(s["row"]) for s in done.skipped)
    note = f"; skipped row{'s' if len(done.skipped) > 1 else ''} {skipped} (already stored)" if skipped else ""
    messages.success(request, f"Imported {len(done.created)} result{'s' if len(done.created) != 1 else ''}{note}.")
    return redirect("labs:patient_labs", patient_id=patient.id)


@require_GET
@signed_in(*PEOPLE)
def analyte_chart(request: HttpRequest, patient_id: str, analyte: str) -> HttpResponse:
    patient = patient_for(request.user, patient_id, SCOPE)
    try:
        entry_ = resolve_analyte(analyte)[0]
    except DomainError as exc:
        raise Http404("No such test.") from exc
    results = list(selectors.lab_results(patient, analyte=entry_.short_name).order_by("collected_at", "id"))
    context = {"patient": patient, "analyte": entry_, "rows": [display.row(r) for r in reversed(results)]}
    with timezone.override(patient.time_zone):
        if results:
            start, end = charts.time_window(results)
            # The plan overlay is the plan scope's data: shown only to whoever may read the plan too.
            plan_ok = allows(request.user, patient, "plan", view="lab_chart_overlay")
            therapies = selectors.overlay_therapies(patient, start, end) if plan_ok else []
            context["chart"] = charts.analyte_chart(results, therapies, name=entry_.display_name)
            context["therapies"] = therapies
            context["plan_shown"] = plan_ok
        return render(request, "labs/analyte_chart.html", context)


@require_POST
@signed_in(*PEOPLE)
def delete(request: HttpRequest, patient_id: str, result_id: str) -> HttpResponse:
    patient = _writable(request, patient_id)
    lab_result_delete(actor=request.user, patient=patient, result_id=result_id)
    messages.success(request, "Result deleted.")
    return redirect("labs:patient_labs", patient_id=patient.id)
