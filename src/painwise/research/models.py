from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from painwise.patients.models import Patient


class Decision(models.TextChoices):
    OPT_IN = "opt_in", "Opted in"
    OPT_OUT = "opt_out", "Opted out"


class ResearchConsent(models.Model):
    """One decision of a patient about research use; the latest decision is the one in force.

    Append-only: a change of mind is a new row, so every export can be matched to the consent then in force.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="research_consents")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    version = models.CharField(max_length=32)
    text = models.TextField(help_text="The consent text exactly as shown when deciding.")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["patient", "-decided_at"])]


class RunStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ResearchRun(models.Model):
    """A researcher's cohort: the filters, the de-identified export on disk, and the analyses run over it.

    The page advances it one step per request (export, then one analysis at a time), so progress is real.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    researcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_runs")
    created_at = models.DateTimeField(default=timezone.now)
    filters = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.PENDING)
    steps_done = models.PositiveIntegerField(default=0)
    patients = models.PositiveIntegerField(null=True, blank=True)
    results = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
