"""Reminder writes: patients' preferences, and `reminders_run`, which sends what is due.

Idempotent and safe to run every minute from cron or a systemd timer, even twice at once: each
reminder is a row with a per-patient unique `key` for its occasion; the row is inserted first (a
duplicate insert fails and is skipped) and the e-mail goes out only after that row is committed, so
an occasion is sent once. Reminders never concern taking kratom or any medicine (core/reminders.py).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from painwise.audit.services import audit_record
from painwise.core.errors import DomainError, NotFound
from painwise.core.instruments import get as instrument
from painwise.core.reminders import Due, Facts, Preferences, due_reminders
from painwise.core.vocabularies import SESSION_THERAPY_KINDS, TherapyKind
from painwise.diary.models import CheckIn, TherapySession
from painwise.labs.models import LabResult
from painwise.patients.models import Patient
from painwise.questionnaires.selectors import due_list
from painwise.reminders.models import Reminder, ReminderSettings
from painwise.treatment.models import Therapy

SETTING_FIELDS = (
    "check_in", "questionnaires", "sessions", "blood_work", "check_in_time", "quiet_start", "quiet_end",
    "email", "by_email",
)  # fmt: skip


def settings_for(patient: Patient) -> ReminderSettings:
    found = ReminderSettings.objects.filter(patient=patient).first()
    return found or ReminderSettings(patient=patient)


@transaction.atomic
def reminder_settings_update(*, actor: Any, patient: Patient, changes: dict[str, Any]) -> ReminderSettings:
    unknown = set(changes) - set(SETTING_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError("reminders.unknown_field", f"{field} is not a reminder setting", field)
    if changes.get("by_email") and not changes.get("email", settings_for(patient).email):
        raise DomainError("reminders.missing", "give an e-mail address to get reminders by e-mail", "email")
    record, _ = ReminderSettings.objects.select_for_update().get_or_create(patient=patient)
    for name, value in changes.items():
        setattr(record, name, value)
    record.updated_at = timezone.now()
    record.save()
    audit_record(actor=actor, action="update", patient_key=patient.audit_key, object_type="reminder_settings",
                 object_id=patient.id, detail={"fields": sorted(changes)})  # fmt: skip
    return record


@transaction.atomic
def reminder_mark_read(*, actor: Any, patient: Patient, reminder_id: Any) -> None:
    found = Reminder.objects.filter(patient=patient, id=reminder_id).first()
    if found is None:
        raise NotFound("reminder")
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])


def facts_for(patient: Patient, now: dt.datetime) -> Facts:
    """What the rules need, in a handful of queries for one patient."""
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    today = now.astimezone(zone).date()
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    checked_in = CheckIn.objects.live().filter(patient=patient, occurred_at__gte=midnight).exists()
    due = tuple((s.code, instrument(s.code).name) for s in due_list(patient, now) if s.is_due)
    plan = list(Therapy.objects.live().filter(patient=patient, stop_date__isnull=True))
    session_plan = [t for t in plan if t.kind in SESSION_THERAPY_KINDS and t.start_date <= today]
    last_sessions = dict(
        TherapySession.objects.live()
        .filter(patient=patient, therapy__in=session_plan)
        .values("therapy_id")
        .annotate(last=Max("occurred_at"))
        .values_list("therapy_id", "last")
    )
    items = tuple(
        (str(t.id), t.name, last_sessions[t.id].astimezone(zone).date() if t.id in last_sessions else None)
        for t in session_plan
    )
    last_lab = LabResult.objects.live().filter(patient=patient).aggregate(last=Max("collected_at"))["last"]
    relevant = last_lab is not None or any(t.kind == TherapyKind.KRATOM for t in plan)
    return Facts(
        checked_in_today=checked_in,
        due_questionnaires=due,
        session_items=items,
        monitoring_relevant=relevant,
        last_blood_work=last_lab.astimezone(zone).date() if last_lab else None,
        blood_work_interval_days=int(getattr(settings, "BLOOD_WORK_INTERVAL_DAYS", 180)),
    )


def preferences(record: ReminderSettings) -> Preferences:
    return Preferences(
        check_in=record.check_in,
        questionnaires=record.questionnaires,
        sessions=record.sessions,
        blood_work=record.blood_work,
        check_in_time=record.check_in_time,
        quiet_start=record.quiet_start,
        quiet_end=record.quiet_end,
    )


@dataclass(frozen=True)
class RunReport:
    patients: int
    created: int
    emailed: int
    skipped_existing: int


def _store(patient: Patient, due: Due, email: str) -> Reminder | None:
    """Insert one reminder; None if its occasion was already stored (by this or a concurrent run)."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                patient=patient, kind=due.kind, key=due.key, title=due.title, body=due.body
            )
    except IntegrityError:
        return None
    return reminder


def _email(reminder: Reminder, address: str) -> bool:
    sent = send_mail(
        subject=f"painwise: {reminder.title}",
        message=f"{reminder.body}\n\nThis reminder was sent because you asked for it in painwise "
        "(Profile → Reminders), where you can change or stop it.",
        from_email=None,
        recipient_list=[address],
        fail_silently=True,
    )
    if sent:
        Reminder.objects.filter(id=reminder.id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return bool(sent)


def reminders_run(*, now: dt.datetime | None = None) -> RunReport:
    """Create (and e-mail) every reminder due now; occasions already sent are skipped."""
    moment = now or timezone.now()
    records = ReminderSettings.objects.select_related("patient").filter(patient__user__is_active=True)
    patients = created = emailed = skipped = 0
    for record in records:
        if not record.any_enabled:
            continue
        patient = record.patient
        patients += 1
        local = moment.astimezone(zoneinfo.ZoneInfo(patient.time_zone))
        for due in due_reminders(local, preferences(record), facts_for(patient, moment)):
            reminder = _store(patient, due, record.email)
            if reminder is None:
                skipped += 1
                continue
            created += 1
            if record.by_email and record.email and _email(reminder, record.email):
                emailed += 1
    return RunReport(patients, created, emailed, skipped)
