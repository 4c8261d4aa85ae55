"""Questionnaire responses (answers as given + the score computed from them) and per-patient schedules."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from painwise.core.instruments import codes
from painwise.patients.models import Patient

CODE_CHOICES = [(code, code) for code in codes()]


class QuestionnaireResponse(models.Model):
    """One completed questionnaire.

    `answers` is the truth (published order, null for a missing answer); total/band/subscales/flags/answered
    are the core's score of those answers, stored so lists and charts need no rescoring. They must always
    equal `score(code, answers)` with the default configuration (tests/questionnaires check every instrument).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="questionnaire_responses")
    code = models.CharField(max_length=16, choices=CODE_CHOICES)
    answers = models.JSONField()
    # Float holds both the PEG mean (2 decimals) and the integer sums; serialise() restores the int.
    total = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True)
    answered = models.PositiveSmallIntegerField()
    completed_at = models.DateTimeField(db_index=True)
    entered_at = models.DateTimeField(default=timezone.now)
    # Null for imported records (the original account does not exist here); the role survives either way.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_role = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["patient", "code", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.completed_at:%Y-%m-%d}"


class Schedule(models.Model):
    """How often a patient is asked to complete one instrument, set by their clinician.

    interval_days null = on demand (listed as available, never due). Without a row the defaults in
    painwise.questionnaires.due.DEFAULT_INTERVALS apply.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="questionnaire_schedules")
    code = models.CharField(max_length=16, choices=CODE_CHOICES)
    interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "code"], name="questionnaire_schedule_unique")]
