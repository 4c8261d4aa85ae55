"""Kratom exposure for one patient, computed on read from dose events (never stored as truth)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from painwise.core.exposure import (
    MITRAGYNINE_CONTENT_RANGE,
    Dose,
    ExposureResult,
    Product,
    amount_text,
    compute_exposure,
)
from painwise.diary.models import DoseEvent
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy, TherapyKind


def patient_exposure(patient: Patient, start: dt.date, end: dt.date) -> ExposureResult:
    """Exposure per local day; every earlier dose still counts towards cumulative and rolling figures."""
    products = [
        Product(
            id=str(t.id),
            form=t.form,
            unit=t.unit,
            leaf_g_per_unit=float(t.leaf_g_per_unit) if t.leaf_g_per_unit is not None else None,
            mitragynine_mg_per_g=float(t.mitragynine_mg_per_g) if t.mitragynine_mg_per_g is not None else None,
        )
        for t in Therapy.objects.live().filter(patient=patient, kind=TherapyKind.KRATOM)
    ]
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    rows = (
        DoseEvent.objects.live()
        .filter(patient=patient)
        .values_list("product_id", "occurred_at", "amount", "unit", "status")
    )
    doses = [
        Dose(str(product_id), occurred_at.astimezone(zone).date(), float(amount), unit, status)
        for product_id, occurred_at, amount, unit, status in rows
    ]
    return compute_exposure(products, doses, start, end)


@dataclass(frozen=True)
class ExposureSummary:
    """What the clinician panel shows: recent use as recorded, with the estimate's uncertainty."""

    leaf_g_7d: float | None
    leaf_g_28d: float | None
    cumulative_leaf_kg: float
    mitragynine_28d_low: float
    mitragynine_28d_high: float
    mitragynine_exact: bool
    has_7oh: bool
    seven_oh_doses_28d: int
    units_without_leaf_equivalent: dict[str, float]
    content_source: str
    notes: list[str]

    @property
    def unconverted_amounts(self) -> list[str]:
        """The amounts with no leaf-gram equivalent, written out ("30 capsules")."""
        return [amount_text(amount, unit) for unit, amount in self.units_without_leaf_equivalent.items()]


def exposure_summary(patient: Patient, today: dt.date | None = None) -> ExposureSummary | None:
    """None when the plan has no kratom product (doses always refer to one)."""
    if not Therapy.objects.live().filter(patient=patient, kind=TherapyKind.KRATOM).exists():
        return None
    day = today or timezone.localdate(timezone=zoneinfo.ZoneInfo(patient.time_zone))
    result = patient_exposure(patient, day - dt.timedelta(days=27), day)
    frame = result.summary
    last = frame.iloc[-1]

    def optional(value: float) -> float | None:
        return None if value != value else round(float(value), 1)  # NaN: window not yet covered

    return ExposureSummary(
        leaf_g_7d=optional(last["leaf_g_rolling_7d"]),
        leaf_g_28d=optional(last["leaf_g_rolling_28d"]),
        cumulative_leaf_kg=round(result.cumulative_leaf_g / 1000, 2),
        mitragynine_28d_low=round(float(frame["mitragynine_mg_low"].mean()), 0),
        mitragynine_28d_high=round(float(frame["mitragynine_mg_high"].mean()), 0),
        mitragynine_exact=bool(frame["mitragynine_exact"].all()),
        has_7oh=result.has_7oh,
        seven_oh_doses_28d=int(frame["seven_oh_doses"].sum()),
        units_without_leaf_equivalent=result.units_without_leaf_equivalent,
        content_source=MITRAGYNINE_CONTENT_RANGE.source,
        notes=list(result.notes),
    )
