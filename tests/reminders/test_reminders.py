"""Reminders: what is due (pure rules), sending once whatever runs twice, e-mail, quiet hours, the page
and the command. Never about taking kratom or any medicine."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from painwise.core.reminders import Facts, Preferences, due_reminders, in_quiet_hours
from painwise.reminders.models import Reminder
from painwise.reminders.services import reminder_settings_update, reminders_run
from tests.personas import logged_in

LONDON = dt.UTC  # alice lives in Europe/London; 28 Nov is GMT (UTC+0)
EVENING = dt.datetime(2026, 11, 28, 20, 30, tzinfo=LONDON)
NO_FACTS = Facts(False, (), (), False, None)


def test_the_check_in_reminder_is_due_after_its_time_and_not_once_checked_in():
    prefs = Preferences()
    assert [d.key for d in due_reminders(EVENING, prefs, NO_FACTS)] == ["check_in:2026-11-28"]
    assert due_reminders(EVENING.replace(hour=19), prefs, NO_FACTS) == []
    assert due_reminders(EVENING, prefs, Facts(True, (), (), False, None)) == []


def test_quiet_hours_span_midnight_and_silence_everything():
    prefs = Preferences(check_in_time=dt.time(0, 0))
    assert in_quiet_hours(dt.time(23, 0), prefs) and in_quiet_hours(dt.time(7, 59), prefs)
    assert not in_quiet_hours(dt.time(8, 0), prefs)
    assert due_reminders(EVENING.replace(hour=23), prefs, NO_FACTS) == []


def test_blood_work_is_due_after_the_monitoring_interval_once_per_period():
    facts = Facts(True, (), (), True, dt.date(2026, 5, 1), blood_work_interval_days=180)
    due = due_reminders(EVENING, Preferences(), facts)
    assert [d.key for d in due] == ["blood_work:2026-10-28"] and "180 days" in due[0].body
    recent = Facts(True, (), (), True, dt.date(2026, 10, 1))
    assert due_reminders(EVENING, Preferences(), recent) == []
    assert due_reminders(EVENING, Preferences(), Facts(True, (), (), False, None)) == []  # nothing to monitor


def test_sessions_get_a_weekly_reminder_when_none_was_recorded():
    facts = Facts(True, (), (("t1", "CBT course", dt.date(2026, 11, 10)),), False, None)
    due = due_reminders(EVENING, Preferences(), facts)
    assert [d.key for d in due] == ["session:t1:2026-W48"]
    fresh = Facts(True, (), (("t1", "CBT course", dt.date(2026, 11, 27)),), False, None)
    assert due_reminders(EVENING, Preferences(), fresh) == []


def test_no_reminder_ever_asks_to_take_kratom_or_a_medicine():
    facts = Facts(False, (("peg", "PEG"),), (("t", "Physiotherapy", None),), True, None)
    for due in due_reminders(EVENING, Preferences(), facts):
        text = f"{due.title} {due.body}".lower()
        assert "kratom" not in text and "dose" not in text and "take your" not in text


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_run_sends_each_reminder_once_even_when_run_again(cast):
    reminder_settings_update(
        actor=cast.alice,
        patient=cast.alice_patient,
        changes={"check_in": True, "blood_work": True, "email": "alice@example.org", "by_email": True},
    )
    first = reminders_run(now=EVENING)
    second = reminders_run(now=EVENING + dt.timedelta(minutes=1))
    keys = sorted(Reminder.objects.filter(patient=cast.alice_patient).values_list("key", flat=True))
    # alice uses a kratom product and has no lab result: blood work is due this month.
    assert keys == ["blood_work:2026-11", "check_in:2026-11-28"]
    assert (first.created, second.created, second.skipped_existing) == (2, 0, 2)
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["alice@example.org"]
    assert all(r.emailed_at for r in Reminder.objects.all())


@pytest.mark.django_db
def test_nothing_is_sent_to_patients_who_chose_no_reminders(cast):
    assert reminders_run(now=EVENING).created == 0
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_the_page_saves_settings_and_shows_the_inbox(cast):
    client = logged_in(cast.alice)
    response = client.post(
        reverse("web:reminders"),
        {"check_in": "on", "check_in_time": "20:00", "quiet_start": "22:00", "quiet_end": "08:00"},
    )
    assert response.status_code == 302
    reminders_run(now=EVENING)
    page = client.get(reverse("web:reminders")).content.decode()
    assert "Daily check-in" in page and "never ask you to take kratom" in page
    assert "1 new reminder" in client.get(reverse("web:home")).content.decode()
    reminder = Reminder.objects.get()
    client.post(reverse("web:reminder_read", args=[reminder.id]))
    reminder.refresh_from_db()
    assert reminder.read_at is not None


@pytest.mark.django_db
def test_email_reminders_need_an_address(cast):
    response = logged_in(cast.alice).post(
        reverse("web:reminders"),
        {"check_in": "on", "by_email": "on", "check_in_time": "20:00", "quiet_start": "22:00", "quiet_end": "08:00"},
    )
    assert response.status_code == 422 and "Give an e-mail address" in response.content.decode()


def test_the_command_refuses_a_time_without_an_offset():
    result = subprocess.run(
        [sys.executable, "-m", "painwise.cli.main", "reminders", "run", "--now", "2026-11-28T20:00"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "[now]" in result.stderr
