from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from painwise.audit.live import LiveQuerySet
from painwise.core.conditions import ICD11_CATEGORIES, is_chronic


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class Patient(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient")
    date_of_birth = models.DateField()
    sex_at_birth = models.CharField(max_length=8, choices=Sex.choices, help_text="Used for reference ranges.")
    time_zone = models.CharField(max_length=64, default="UTC")
    # ISO 3166-1 alpha-2 country the patient lives in (crisis resources); blank: the deployment default.
    country = models.CharField(max_length=2, blank=True, default="")
    # Patients who use no kratom can hide the Kratom tab of quick entry.
    show_kratom_tab = models.BooleanField(default=True)
    # Pseudonymous key that audit events carry instead of a foreign key (survives erasure).
    audit_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Made by the synthetic cohort generator (demo and test data); exported as the document's flag.
    synthetic = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Patient {self.user.username}"


class PainCondition(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="conditions")
    label = models.CharField(max_length=200)
    icd11_category = models.CharField(max_length=32, choices=[(k, v.label) for k, v in ICD11_CATEGORIES.items()])
    body_sites = models.JSONField(default=list)
    onset_date = models.DateField()
    # Set when the condition has ended (resolved); the condition stays in the record.
    end_date = models.DateField(null=True, blank=True)
    entered_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    def chronic(self, today: dt.date | None = None) -> bool:
        return is_chronic(self.onset_date, today or timezone.localdate())


class AccessGrant(models.Model):
    """A patient's permission for a clinician to see (parts of) their record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="grants")
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_received")
    scopes = models.JSONField(default=list)
    can_comment = models.BooleanField(default=False)
    # Whether the clinician may enter labs and plan changes (within the granted scopes).
    can_enter_data = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    ALL_SCOPES = ("diary", "plan", "questionnaires", "labs", "reports")

    class Meta:
        indexes = [models.Index(fields=["grantee", "revoked_at"])]

    def is_active(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)


class ShareInvitation(models.Model):
    """A share code a patient hands to a clinician; redeeming it creates an AccessGrant.

    Only a hash of the code is stored. A code works once and only until `code_expires_at`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    can_comment = models.BooleanField(default=False)
    can_enter_data = models.BooleanField(default=False)
    grant_expires_at = models.DateTimeField(null=True, blank=True)
    code_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    grant = models.OneToOneField(AccessGrant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
