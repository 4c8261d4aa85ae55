"""Diary records. Each keeps the event time (back-datable) and the time it was entered."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from painwise.audit.live import LiveQuerySet
from painwise.core.vocabularies import DoseStatus, SessionStatus
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy


class DiaryRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField(db_index=True)
    entered_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-occurred_at"]


class PainEntry(DiaryRecord):
    body_site = models.CharField(max_length=64)
    nrs = models.PositiveSmallIntegerField()
    qualities = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta(DiaryRecord.Meta):
        indexes = [models.Index(fields=["patient", "occurred_at"])]


class CheckIn(DiaryRecord):
    sleep_hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    mood = models.PositiveSmallIntegerField(null=True, blank=True)
    interference = models.PositiveSmallIntegerField(null=True, blank=True)
    activity_minutes = models.PositiveIntegerField(null=True, blank=True)
    alcoholic_drinks = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta(DiaryRecord.Meta):
        indexes = [models.Index(fields=["patient", "occurred_at"])]


class DoseEvent(DiaryRecord):
    product = models.ForeignKey(Therapy, on_delete=models.PROTECT, related_name="dose_events")
    amount = models.DecimalField(max_digits=9, decimal_places=3)
    unit = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=DoseStatus.choices())

    class Meta(DiaryRecord.Meta):
        indexes = [models.Index(fields=["patient", "occurred_at"])]


class TherapySession(DiaryRecord):
    modality = models.CharField(max_length=20)
    therapy = models.ForeignKey(Therapy, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=SessionStatus.choices())
    home_practice = models.BooleanField(default=False)

    class Meta(DiaryRecord.Meta):
        indexes = [models.Index(fields=["patient", "occurred_at"])]


class SideEffect(DiaryRecord):
    kind = models.CharField(max_length=24)
    free_text = models.CharField(max_length=500, blank=True)
    severity = models.CharField(max_length=10, blank=True)
    ctcae_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    # Patient-rated hair shedding, 0 (none beyond usual) to 4 (very heavy); see docs/diary.md.
    shedding_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    onset_date = models.DateField(null=True, blank=True)
    resolved_date = models.DateField(null=True, blank=True)

    class Meta(DiaryRecord.Meta):
        indexes = [models.Index(fields=["patient", "occurred_at"])]
