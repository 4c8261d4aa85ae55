"""The visit report and the CSV export: access, content, HTML, PDF, zip (docs/reports.md).

Access policy (decided for issue 10, tested in tests/reports): the patient always gets the whole report.
A clinician needs an active grant with the ``reports`` scope (otherwise NotFound, shown as 404, like
every other unshared read), and the report then shows only the sections whose data scopes the grant
also holds (painwise.core.report.SECTION_SCOPES); the sections left out are named on page one as "not
shared". The CSV export follows the same rule file by file. Each download is one audited read
by the access policy: the ``reports`` scope through ``patient_for`` and each data scope shown through
``allows`` (detail ``{"view": "report.pdf" | "report.html" | "csv"}``).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import zipfile
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.template.loader import render_to_string

from painwise.core.analytics.common import MODALITY_LABELS
from painwise.core.errors import DomainError
from painwise.core.report import ALL_SCOPES, SECTION_SCOPES, ReportContent, build_report
from painwise.core.snapshot import PatientSnapshot
from painwise.monitoring.models import SEVERITY_RANK, Flag
from painwise.patients.access import allows, may, patient_for
from painwise.patients.models import Patient
from painwise.patients.snapshot import build_snapshot

FORMATS = ("pdf", "html")
MAX_PERIOD_DAYS = 366 * 10


def parse_period(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """Two ISO dates, start ≤ end; DomainError naming the field otherwise."""
    days = []
    for name, text in (("from", start), ("to", end)):
        if not text:
            raise DomainError("reports.missing_date", f"{name} is required (YYYY-MM-DD)", name)
        try:
            days.append(dt.date.fromisoformat(text))
        except ValueError:
            raise DomainError("reports.invalid_date", f"{name} must be a date YYYY-MM-DD, got {text!r}", name) from None
    first, last = days
    if last < first:
        raise DomainError("reports.period_order", "to must not be before from", "to")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise DomainError("reports.period_too_long", "the period may be at most ten years", "from")
    return first, last


def scopes_for(actor: Any, patient: Patient, *, view: str | None = None) -> frozenset[str]:
    """The data scopes ``actor`` holds for ``patient`` (all of them for the patient or the CLI).

    With ``view`` (a download) each scope is asked through the access policy's ``allows``, which audits
    the read of that scope; without it (the form page) the policy is only consulted."""
    if actor is None or patient.user_id == getattr(actor, "id", None):
        return ALL_SCOPES
    if view is None:
        return frozenset(scope for scope in ALL_SCOPES if may(actor, patient, scope))
    return frozenset(scope for scope in sorted(ALL_SCOPES) if allows(actor, patient, scope, view=view))


def readable_report_patient(actor: Any, patient_id: Any, *, view: str = "report") -> Patient:
    """The patient, if ``actor`` may download their report (the reports scope), else NotFound; audited."""
    return patient_for(actor, patient_id, "reports", view=view)


def open_flags(patient: Patient, actor: Any) -> list[dict[str, Any]] | None:
    """Open flags: a clinician sees those addressed to them (the policy's ``flags`` scope: any active
    grant); the CLI (an operator) each open rule once; the patient's own report has no flag section
    (flags are the clinicians' worklist, not the patient's — None)."""
    flags = Flag.objects.filter(patient=patient).filter(_open_flags())
    if actor is not None and patient.user_id == actor.id:
        return None
    if actor is not None:
        if not may(actor, patient, "flags"):
            return []
        flags = flags.filter(recipient=actor)
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for flag in flags.order_by("created_at"):
        seen.setdefault(
            (flag.rule_id, flag.title),
            {
                "rule_id": flag.rule_id,
                "severity": flag.severity,
                "title": flag.title,
                "created": flag.created_at.date(),
            },
        )
    return sorted(seen.values(), key=lambda f: (SEVERITY_RANK.get(f["severity"], 9), f["created"]))


def _open_flags() -> Q:
    """Flags still needing attention. With the flag lifecycle (issue 8: a ``status`` field), the active
    ones — open or acknowledged, not resolved or dismissed; before it, the unacknowledged ones."""
    try:
        Flag._meta.get_field("status")  # type: ignore[misc]  # the field issue 8 adds
    except FieldDoesNotExist:
        return Q(acknowledged_at__isnull=True)
    return Q(status__in=("open", "acknowledged"))


def display_name(patient: Patient) -> str:
    user = patient.user
    return user.get_full_name() or user.username


def report_content(
    patient: Patient,
    start: dt.date,
    end: dt.date,
    *,
    actor: Any = None,
    scopes: frozenset[str] | None = None,
    snapshot: PatientSnapshot | None = None,
) -> ReportContent:
    snapshot = snapshot or build_snapshot(patient.id)
    return build_report(
        snapshot,
        start,
        end,
        scopes=scopes_for(actor, patient) if scopes is None else scopes,
        display_name=display_name(patient),
        flags=open_flags(patient, actor),
        today=dt.date.today(),
    )


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")


def render_html(content: ReportContent) -> str:
    running = f"{content.display_name} · {content.start.isoformat()} to {content.end.isoformat()}"
    figures = [
        {**asdict(f), "src": "data:image/svg+xml;base64," + base64.b64encode(f.svg.encode()).decode()}
        for f in content.figures
    ]
    rows = [{**m, "label": MODALITY_LABELS[m["modality"]]} for m in content.modality_rows]
    context = {
        "r": content,
        "show": {name: content.shows(name) for name in SECTION_SCOPES},
        "running": _css_string(running),
        "running_text": running,
    }
    # Figures and modality rows carry template-only fields (data URI, label).
    context["r"] = _Overlay(content, figures=figures, modality_rows=rows)
    return render_to_string("reports/report.html", context)


class _Overlay:
    """The content with a few attributes replaced, for the template."""

    def __init__(self, content: ReportContent, **overrides: Any) -> None:
        self._content, self._overrides = content, overrides

    def __getattr__(self, name: str) -> Any:
        if name in self._overrides:
            return self._overrides[name]
        return getattr(self._content, name)


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: headings, tables and figure alt text are in the structure tree)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def render(content: ReportContent, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise DomainError("reports.unknown_format", f"format must be one of {', '.join(FORMATS)}", "format")
    html = render_html(content)
    return render_pdf(html) if fmt == "pdf" else html.encode("utf-8")


# --- CSV export -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvFile:
    name: str
    scope: str
    columns: tuple[str, ...]


CSV_FILES = (
    CsvFile("conditions.csv", "plan", ("id", "label", "icd11_category", "body_sites", "onset_date")),
    CsvFile(
        "therapies.csv",
        "plan",
        (
            "id",
            "kind",
            "name",
            "start_date",
            "stop_date",
            "strain",
            "form",
            "unit",
            "leaf_g_per_unit",
            "mitragynine_mg_per_g",
            "drug_class",
        ),
    ),
    CsvFile("pain_entries.csv", "diary", ("id", "occurred_at", "local_day", "body_site", "nrs", "qualities")),
    CsvFile(
        "check_ins.csv",
        "diary",
        (
            "id",
            "occurred_at",
            "local_day",
            "sleep_hours",
            "sleep_quality",
            "mood",
            "interference",
            "activity_minutes",
            "alcoholic_drinks",
        ),
    ),
    CsvFile("dose_events.csv", "diary", ("id", "occurred_at", "local_day", "product_id", "amount", "unit", "status")),
    CsvFile(
        "therapy_sessions.csv",
        "diary",
        ("id", "occurred_at", "local_day", "modality", "therapy_id", "minutes", "status", "home_practice"),
    ),
    CsvFile(
        "side_effects.csv",
        "diary",
        (
            "id",
            "occurred_at",
            "local_day",
            "kind",
            "severity",
            "ctcae_grade",
            "onset_date",
            "resolved_date",
            "free_text",
        ),
    ),
    CsvFile(
        "lab_results.csv",
        "labs",
        (
            "id",
            "collected_at",
            "local_day",
            "analyte",
            "value",
            "unit",
            "ref_low",
            "ref_high",
            "status",
            "canonical_value",
            "canonical_unit",
            "lab_name",
        ),
    ),
    CsvFile(
        "questionnaire_responses.csv",
        "questionnaires",
        ("id", "completed_at", "local_day", "code", "total", "band", "flags", "answered", "answers"),
    ),
)


def _cell(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    text = str(value)
    # CSV injection: a cell starting with a formula character is prefixed so spreadsheets show it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _rows(snapshot: PatientSnapshot, name: str) -> list[dict[str, Any]]:
    records: dict[str, Any] = {
        "conditions.csv": snapshot.conditions,
        "therapies.csv": snapshot.plan,
        "pain_entries.csv": snapshot.pain,
        "check_ins.csv": snapshot.check_ins,
        "dose_events.csv": snapshot.doses,
        "therapy_sessions.csv": snapshot.sessions,
        "side_effects.csv": snapshot.side_effects,
        "lab_results.csv": snapshot.labs,
        "questionnaire_responses.csv": snapshot.questionnaires,
    }
    rows = []
    for record in records[name]:
        row = dict(vars(record))
        row["local_day"] = row.pop("day", None)
        if name == "lab_results.csv":
            reading = record.interpretation
            row.update(
                status=reading.status, canonical_value=reading.canonical_value, canonical_unit=reading.canonical_unit
            )
        rows.append(row)
    return rows


def csv_zip(snapshot: PatientSnapshot, start: dt.date, end: dt.date, scopes: frozenset[str]) -> bytes:
    """One CSV per record type for local days start..end (plan and conditions whole), as a zip."""
    period = snapshot.window(start, end)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for spec in CSV_FILES:
            if spec.scope not in scopes:
                continue
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(spec.columns)
            for row in _rows(period, spec.name):
                writer.writerow([_cell(row.get(column)) for column in spec.columns])
            archive.writestr(spec.name, text.getvalue())
        shown = sorted(spec.name for spec in CSV_FILES if spec.scope in scopes)
        withheld = sorted(spec.name for spec in CSV_FILES if spec.scope not in scopes)
        readme = (
            f"painwise CSV export, local days {start.isoformat()} to {end.isoformat()}.\n"
            f"Files: {', '.join(shown)}.\n"
            + (f"Not shared with this reader: {', '.join(withheld)}.\n" if withheld else "")
            + "Columns are documented in docs/reports.md. Times are UTC (ISO 8601); local_day is the patient's day.\n"
            + ("SYNTHETIC DATA: not a real person.\n" if snapshot.profile.synthetic else "")
        )
        archive.writestr("README.txt", readme)
    return buffer.getvalue()
