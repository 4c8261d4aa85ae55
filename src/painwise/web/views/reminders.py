"""The patient's reminders: what to be reminded of, when (time zone, quiet hours), and the in-app inbox."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from painwise.accounts.models import Role
from painwise.core.errors import DomainError
from painwise.reminders.models import Reminder
from painwise.reminders.services import SETTING_FIELDS, reminder_mark_read, reminder_settings_update, settings_for
from painwise.web import selectors
from painwise.web.record_forms import show_domain_error
from painwise.web.views.common import signed_in

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ReminderForm(forms.Form):
    check_in = forms.BooleanField(required=False, label="A daily check-in reminder")
    check_in_time = forms.TimeField(label="Check-in reminder after", widget=TIME)
    questionnaires = forms.BooleanField(required=False, label="Questionnaires when they are due")
    sessions = forms.BooleanField(
        required=False, label="Therapy sessions of my plan", help_text="Weekly, when no session was recorded."
    )
    blood_work = forms.BooleanField(
        required=False,
        label="Blood work due by my monitoring interval",
        help_text="When the last results are older than the interval; your clinician decides on tests.",
    )
    quiet_start = forms.TimeField(label="Quiet hours from", widget=TIME)
    quiet_end = forms.TimeField(label="Quiet hours until", widget=TIME, help_text="Nothing is sent in quiet hours.")
    by_email = forms.BooleanField(required=False, label="Also send them by e-mail")
    email = forms.EmailField(required=False, label="E-mail address", max_length=254)


@require_http_methods(["GET", "POST"])
@signed_in(Role.PATIENT)
def reminders(request: HttpRequest) -> HttpResponse:
    patient = selectors.own_patient(request.user)
    record = settings_for(patient)
    if request.method == "POST":
        form = ReminderForm(request.POST)
        if form.is_valid():
            try:
                reminder_settings_update(
                    actor=request.user, patient=patient, changes={k: form.cleaned_data[k] for k in SETTING_FIELDS}
                )
            except DomainError as exc:
                show_domain_error(form, exc)
            else:
                messages.success(request, "Saved your reminder settings.")
                return redirect("web:reminders")
        status = 422
    else:
        form = ReminderForm(initial={name: getattr(record, name) for name in SETTING_FIELDS})
        status = 200
    with timezone.override(patient.time_zone):
        context = {
            "form": form,
            "patient": patient,
            "inbox": list(Reminder.objects.filter(patient=patient)[:30]),
        }
        return render(request, "web/me/reminders.html", context, status=status)


@require_POST
@signed_in(Role.PATIENT)
def reminder_read(request: HttpRequest, reminder_id: uuid.UUID) -> HttpResponse:
    patient = selectors.own_patient(request.user)
    reminder_mark_read(actor=request.user, patient=patient, reminder_id=reminder_id)
    return redirect("web:reminders")
