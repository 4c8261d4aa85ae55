"""Flags: persisted items in a clinician's worklist that stay until the recipient acknowledges them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from painwise.patients.models import Patient


class Severity(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    ROUTINE = "routine", "Routine"


# Worklists show urgent first; a plain string sort would put "high" before "urgent".
SEVERITY_RANK = {Severity.URGENT: 0, Severity.HIGH: 1, Severity.ROUTINE: 2}


class Status(models.TextChoices):
    """open → acknowledged → resolved or dismissed (with a reason); docs/monitoring.md."""

    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


ACTIVE = (Status.OPEN, Status.ACKNOWLEDGED)  # at most one active flag per recipient, rule and subject


class Flag(models.Model):
    """One flag for one recipient. A safety event for two clinicians is two flags, so each is acknowledged
    separately and one clinician's acknowledgement never hides it from the other.

    recipient is null only for a *pending* flag: raised while no clinician held a grant; the next grant
    created for the patient picks it up (monitoring.services.flags_assign_pending).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="flags")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    rule_id = models.CharField(max_length=64)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    title = models.CharField(max_length=200)
    evidence = models.TextField()
    consider = models.TextField()
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Lifecycle and the finding behind the flag (painwise.core.rules.Finding).
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    subject = models.CharField(max_length=64, blank=True)  # what within the patient: an analyte, a class, …
    occurrence = models.CharField(max_length=500, blank=True)  # the triggering record(s)
    rationale = models.TextField(blank=True)  # what was observed
    data = models.JSONField(default=dict, blank=True)  # the values that triggered it
    finding_date = models.DateField(null=True, blank=True)
    patient_note = models.TextField(blank=True)  # plain language, "{told}" filled when shown
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_reason = models.TextField(blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)  # last evaluation that found it
    cleared_at = models.DateTimeField(null=True, blank=True)  # an evaluation no longer found it
    notified_at = models.DateTimeField(null=True, blank=True)  # urgent email sent to the recipient

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "acknowledged_at"]),
            models.Index(fields=["patient", "recipient"]),
            models.Index(fields=["recipient", "status"]),
            models.Index(fields=["patient", "rule_id", "subject"]),
        ]
        constraints = [
            # Dedupe is a database guarantee, so two overlapping monitor runs cannot both insert.
            models.UniqueConstraint(
                fields=["patient", "recipient", "rule_id", "subject"],
                condition=models.Q(status__in=ACTIVE, recipient__isnull=False),
                name="monitoring_one_active_flag",
            ),
            models.UniqueConstraint(
                fields=["patient", "rule_id", "subject"],
                condition=models.Q(status__in=ACTIVE, recipient__isnull=True),
                name="monitoring_one_active_pending_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.severity})"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class EvaluationRequest(models.Model):
    """A write that asks for its patient to be evaluated (PAINWISE_EVALUATION=queue; monitoring.queue).

    Inserted in the same transaction as the record, so it exists exactly when the write committed and
    survives a crash. One row per write transaction, never updated: concurrent writers of one patient
    would otherwise queue behind each other's row lock. The worker serves a patient's rows together.
    """

    id = models.BigAutoField(primary_key=True)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+", db_index=True)
    requested_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"evaluation of {self.patient_id} requested {self.requested_at:%Y-%m-%d %H:%M:%S}"
