from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Append-only record of a read by someone else or of a write.

    The patient is referred to by their pseudonymous audit key, never by a foreign key, so erasing a
    patient never cascades into (or is blocked by) the trail.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.UUIDField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=32)
    patient_key = models.UUIDField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=8, default="web")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
