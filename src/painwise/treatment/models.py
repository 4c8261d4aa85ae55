from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from painwise.audit.live import LiveQuerySet
from painwise.core.vocabularies import AlkaloidSource, DrugClass, KratomForm, TherapyKind
from painwise.patients.models import Patient

__all__ = ["AlkaloidSource", "DrugClass", "KratomForm", "Therapy", "TherapyKind"]


class Therapy(models.Model):
    """One element of the treatment plan over time, as recorded. painwise never proposes doses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="therapies")
    kind = models.CharField(max_length=20, choices=TherapyKind.choices())
    name = models.CharField(max_length=200)
    start_date = models.DateField()
    stop_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    # Kratom products
    strain = models.CharField(max_length=40, blank=True, help_text="e.g. Maeng Da, Bali, other")
    form = models.CharField(max_length=16, choices=KratomForm.choices(), blank=True)
    unit = models.CharField(max_length=8, blank=True, help_text="Unit doses are counted in: g, capsule, mL, mg")
    leaf_g_per_unit = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    mitragynine_mg_per_g = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    # Where the alkaloid content comes from: the product's label or a laboratory measurement.
    alkaloid_source = models.CharField(max_length=8, choices=AlkaloidSource.choices(), blank=True)
    seven_oh_mg_per_unit = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    # A concentrated 7-hydroxymitragynine product (clinical_reference.md §6): flagged for clinician review.
    concentrated_7oh = models.BooleanField(default=False)
    # Medications and supplements
    drug_class = models.CharField(max_length=24, choices=DrugClass.choices(), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "name"]

    def __str__(self) -> str:
        return self.name
