"""Reminder preferences per patient, and every reminder sent (which is also the in-app inbox)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.utils import timezone

from painwise.patients.models import Patient


class ReminderSettings(models.Model):
    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="reminder_settings")
    check_in = models.BooleanField(default=False)
    questionnaires = models.BooleanField(default=False)
    sessions = models.BooleanField(default=False)
    blood_work = models.BooleanField(default=False)
    check_in_time = models.TimeField(default=dt.time(20, 0))
    quiet_start = models.TimeField(default=dt.time(22, 0))
    quiet_end = models.TimeField(default=dt.time(8, 0))
    email = models.EmailField(blank=True)
    by_email = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    @property
    def any_enabled(self) -> bool:
        return self.check_in or self.questionnaires or self.sessions or self.blood_work


class Reminder(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16)
    key = models.CharField(max_length=120)  # one occasion: a second row with the same key is refused
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["patient", "key"], name="reminder_once_per_occasion")]
