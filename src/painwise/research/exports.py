"""The de-identified research export of consenting patients (`painwise research export`, the researcher page).

Who is in: patients whose latest research decision is "opt in" (and who match the filters). For each:
the export document (painwise.exchange) → painwise.core.research.deid → `patients/<study id>.json`; then the
cohort is loaded back from those files and written as tables (Parquet + CSV) with a data dictionary, a README
of what was removed, and a manifest. One audit event records the export (who, when, how many patients, the
consent versions); each included patient's trail shows a `research_export` event too.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from painwise.audit.services import audit_record
from painwise.core.errors import DomainError
from painwise.core.research.cohort import load_cohort
from painwise.core.research.deid import REMOVED, deidentify, first_day
from painwise.core.research.tables import SMALL_CELL, cohort_tables, doc_rows, write_tables
from painwise.exchange.export import export_patient
from painwise.patients.models import Patient
from painwise.research.models import Decision, ResearchConsent
from painwise.treatment.models import Therapy

AGE_BANDS = ("18-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+")
SEXES = ("female", "male")
# Dates move by a random whole number of days in [-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS], never 0.
MAX_SHIFT_DAYS = 365


def research_dir() -> Path:
    return Path(getattr(settings, "RESEARCH_DIR", Path(settings.BASE_DIR) / "var" / "research"))


@dataclass(frozen=True)
class CohortFilters:
    sex: str | None = None
    age_bands: tuple[str, ...] = ()
    kratom_only: bool = False

    @classmethod
    def parse(cls, *, sex: str | None, age_bands: list[str] | tuple[str, ...], kratom_only: bool) -> CohortFilters:
        sex = sex or None
        if sex is not None and sex not in SEXES:
            raise DomainError("research.bad_filter", f"sex must be one of {', '.join(SEXES)}", "sex")
        for band in age_bands:
            if band not in AGE_BANDS:
                raise DomainError("research.bad_filter", f"age band must be one of {', '.join(AGE_BANDS)}", "age_band")
        return cls(sex, tuple(dict.fromkeys(age_bands)), bool(kratom_only))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["age_bands"] = list(self.age_bands)
        return data


def consenting_patients() -> QuerySet[Patient]:
    """Patients whose latest decision is to opt in, annotated with the consent version in force."""
    latest = ResearchConsent.objects.filter(patient=OuterRef("pk")).order_by("-decided_at", "-id")
    return Patient.objects.annotate(
        research_decision=Subquery(latest.values("decision")[:1]),
        research_version=Subquery(latest.values("version")[:1]),
    ).filter(research_decision=Decision.OPT_IN)


def _band_today(patient: Patient, today: dt.date) -> str:
    from painwise.core.research.cohort import age_band

    return age_band((today - patient.date_of_birth).days / 365.25)


def _has_records() -> Q:
    """Patients with at least one dated record (nothing to study otherwise)."""
    from painwise.diary.models import CheckIn, DoseEvent, PainEntry
    from painwise.labs.models import LabResult

    # The same record kinds that date a patient's follow-up in painwise.core.research (deid.first_day).
    condition = Q()
    for model in (PainEntry, CheckIn, DoseEvent, LabResult):
        condition |= Q(Exists(model.objects.live().filter(patient=OuterRef("pk"))))
    return condition


def selected_patients(filters: CohortFilters) -> list[Patient]:
    patients = consenting_patients().filter(_has_records()).order_by("id")
    if filters.sex:
        patients = patients.filter(sex_at_birth=filters.sex)
    if filters.kratom_only:
        users = Therapy.objects.live().filter(kind="kratom").values("patient_id")
        patients = patients.filter(id__in=users)
    chosen = list(patients)
    if filters.age_bands:
        today = timezone.localdate()
        chosen = [p for p in chosen if _band_today(p, today) in filters.age_bands]
    return chosen


@dataclass
class ExportPlan:
    export_id: str
    out_dir: Path
    filters: CohortFilters
    consent_versions: Counter[str] = field(default_factory=Counter)
    rows: dict[str, list[Any]] = field(
        default_factory=lambda: {"pain_daily": [], "side_effects": [], "questionnaires": []}
    )


README = """# painwise research export {export_id}

De-identified records of {patients} patient(s) who consented to research use (consent versions: {versions}).
Filters: {filters}. Built {built} (UTC).

## Files
- `patients/<study id>.json` — each patient's records in the painwise record shape (docs/import-format.md),
  de-identified (format `painwise.research`). `painwise research analyze DIR` reads this folder.
- `parquet/*.parquet` and `csv/*.csv` — the same data as tables: {tables}.
- `data_dictionary.csv` / `data_dictionary.md` — every column of every table.
- `manifest.json` — export id, counts, consent versions, filters, suppression threshold.

## What was removed or changed
{removed}

## Aggregate tables
In `summary`, counts from 1 to {small_cell_minus} are suppressed (empty) and the row is flagged.

## Remaining risks
De-identification lowers but does not remove the risk of re-identification: rare combinations of sex, age
band and history, exact intervals between events, units that hint at a country, and diaries long enough to
match against other sources. Do not try to re-identify anyone, do not link this export with other data about
the same people, keep it on approved systems, and publish aggregate results only. See docs/research.md.

Associations found in these data are not proof of cause.
"""


def _check_size(n: int) -> None:
    """A cohort of fewer than SMALL_CELL patients would let filters single people out: refused."""
    if n < SMALL_CELL:
        raise DomainError(
            "research.cohort_too_small",
            f"Fewer than {SMALL_CELL} consenting patients with records match these filters; widen them.",
            "filters",
        )


def research_export_create(
    *,
    actor: Any,
    out_dir: Path,
    filters: CohortFilters,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Write the export to `out_dir` and audit it; returns the manifest."""
    patients = selected_patients(filters)
    _check_size(len(patients))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "patients").mkdir(exist_ok=True)
    plan = ExportPlan(export_id=secrets.token_hex(8), out_dir=out_dir, filters=filters)
    rng = np.random.default_rng(secrets.randbits(128))
    used: set[str] = set()
    included = 0
    for done, patient in enumerate(patients, start=1):
        doc = export_patient(patient, actor=actor, action="research_export")
        if first_day(doc) is None:
            continue  # nothing recorded yet: nothing to study
        study_id = "S" + secrets.token_hex(5)
        while study_id in used:
            study_id = "S" + secrets.token_hex(5)
        used.add(study_id)
        shift = int(rng.integers(1, MAX_SHIFT_DAYS + 1)) * int(rng.choice([-1, 1]))
        clean = deidentify(doc, study_id=study_id, shift_days=shift, rng=rng)
        (out_dir / "patients" / f"{study_id}.json").write_text(json.dumps(clean, ensure_ascii=False), encoding="utf-8")
        for name, rows in doc_rows(clean).items():
            plan.rows[name].extend(rows)
        plan.consent_versions[patient.research_version] += 1  # type: ignore[attr-defined]
        included += 1
        if progress:
            progress(done, len(patients))
    if included < SMALL_CELL:
        shutil.rmtree(out_dir / "patients", ignore_errors=True)
        _check_size(included)
    tables_written: list[str] = []
    if included:
        cohort = load_cohort(out_dir)
        tables = cohort_tables(cohort, plan.rows)
        write_tables(out_dir, tables)
        tables_written = list(tables)
    manifest: dict[str, Any] = {
        "format": "painwise.research",
        "export_id": plan.export_id,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "patients": included,
        "consent_versions": dict(sorted(plan.consent_versions.items())),
        "filters": filters.as_dict(),
        "small_cell_threshold": SMALL_CELL,
        "tables": tables_written,
        "removed": list(REMOVED),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (out_dir / "README.md").write_text(
        README.format(
            export_id=plan.export_id,
            patients=included,
            versions=", ".join(f"{k} ({v})" for k, v in manifest["consent_versions"].items()) or "none",
            filters=json.dumps(filters.as_dict()),
            built=manifest["created_at"],
            tables=", ".join(tables_written) or "none (no consenting patient with records)",
            removed="\n".join(f"- {item}" for item in REMOVED),
            small_cell_minus=SMALL_CELL - 1,
        ),
        encoding="utf-8",
    )
    audit_record(
        actor=actor,
        action="research_export",
        patient_key=None,
        object_type="research_export",
        object_id=plan.export_id,
        detail={
            "patients": included,
            "consent_versions": manifest["consent_versions"],
            "filters": filters.as_dict(),
        },
    )
    return manifest
