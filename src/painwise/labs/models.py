"""Blood results as entered, with the interpretation the core computed at entry (DESIGN.md "Data rules").

The input (analyte, value, unit as typed, the lab's range, the sex, age and thresholds used) is kept
next to the stored interpretation, so the interpretation can be recomputed and checked at any time
(`LabResult.interpretation_input()`), e.g. after a catalogue correction.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from painwise.audit.live import LiveQuerySet
from painwise.patients.models import Patient


class Status(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    UNKNOWN = "unknown", "No range"


class RangeSource(models.TextChoices):
    LAB = "lab", "lab range"
    CATALOGUE = "catalogue", "catalogue range"
    NONE = "", "no range"


class LabResult(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lab_results")
    # --- input, as entered ---
    analyte = models.CharField(max_length=32, help_text="Catalogue short name (painwise.core.labs)")
    # What was typed (a short name, alias or LOINC code): a code typed for the wrong property earns a note.
    analyte_entered = models.CharField(max_length=32, blank=True)
    value = models.FloatField()
    unit = models.CharField(max_length=32, help_text="As typed, e.g. mcg/dL")
    ref_low = models.FloatField(null=True, blank=True, help_text="Lab's lower limit, in `unit`")
    ref_high = models.FloatField(null=True, blank=True, help_text="Lab's upper limit, in `unit`")
    collected_at = models.DateTimeField()
    lab_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    # The patient facts and thresholds the interpretation used (sex at birth, whole years at collection).
    sex = models.CharField(max_length=8)
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    config = models.JSONField(default=dict, blank=True, help_text="LabConfig fields used")
    # --- interpretation (painwise.core.labs.interpret) ---
    loinc = models.CharField(max_length=16, blank=True, help_text="Code for the unit's property (mass vs molar)")
    unit_ucum = models.CharField(max_length=16)
    canonical_value = models.FloatField()
    canonical_unit = models.CharField(max_length=16)
    status = models.CharField(max_length=8, choices=Status.choices)
    category = models.CharField(max_length=64, blank=True)
    multiple_of_uln = models.FloatField(null=True, blank=True)
    range_low = models.FloatField(null=True, blank=True, help_text="Range used, canonical unit")
    range_high = models.FloatField(null=True, blank=True, help_text="Range used, canonical unit")
    range_source = models.CharField(max_length=10, choices=RangeSource.choices, blank=True)
    range_basis = models.TextField(blank=True)
    unusual = models.BooleanField(default=False)
    critical = models.BooleanField(default=False)
    notes = models.JSONField(default=list, blank=True)
    # --- bookkeeping ---
    entered_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["-collected_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "collected_at"]),
            models.Index(fields=["patient", "analyte", "collected_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.analyte} {self.value:g} {self.unit}"

    @property
    def out_of_range(self) -> bool:
        return self.status in (Status.LOW, Status.HIGH)

    @property
    def range_used(self) -> dict[str, Any] | None:
        if not self.range_source:
            return None
        return {"low": self.range_low, "high": self.range_high, "source": self.range_source, "basis": self.range_basis}

    def interpretation_input(self) -> dict[str, Any]:
        """Keyword arguments for core `interpret()` (plus `config`) that reproduce the stored result."""
        has_range = self.ref_low is not None or self.ref_high is not None
        return {
            "analyte": self.analyte_entered or self.analyte,
            "value": self.value,
            "unit": self.unit,
            "sex": self.sex,
            "reference_range": (self.ref_low, self.ref_high) if has_range else None,
            "age": self.age_years,
        }
