"""Forms for sign-in codes, sharing, rights and the audit search: parsing only.

As in web/forms.py, the services validate (scopes, expiry, codes, password) so the web and the API
refuse the same input with the same message; `show_domain_error` puts that message at the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from painwise.core.errors import DomainError
from painwise.patients.models import AccessGrant

SCOPE_LABELS = {
    "diary": "Diary (pain, doses, sessions, side effects)",
    "plan": "Plan (conditions and therapies)",
    "questionnaires": "Questionnaires",
    "labs": "Lab results",
    "reports": "Reports",
}


def show_domain_error(form: forms.Form, exc: DomainError, renamed: dict[str, str] | None = None) -> None:
    """Attach a service's error to the form field it names (the service's name may differ from ours)."""
    field = (renamed or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


class OtpForm(forms.Form):
    token = forms.CharField(
        label="6-digit code",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
        help_text="The code your authenticator app shows now.",
    )


class ScopesField(forms.MultipleChoiceField):
    """Checkboxes whose values the sharing service checks, so a forged scope gets the service's message."""

    def validate(self, value: Any) -> None:
        return None


class ShareForm(forms.Form):
    scopes = ScopesField(
        label="What to share",
        required=False,
        choices=[(s, SCOPE_LABELS.get(s, s)) for s in AccessGrant.ALL_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        initial=list(AccessGrant.ALL_SCOPES),
    )
    access = forms.ChoiceField(
        label="Access",
        choices=[("read", "Read only"), ("comment", "Read and comment")],
        initial="read",
        widget=forms.RadioSelect,
    )
    can_enter_data = forms.BooleanField(label="Allow data entry (labs and plan changes)", required=False)
    expires_on = forms.DateField(
        label="Access ends (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Access stops at the end of this day. Leave empty to share until you revoke.",
    )

    def grant_expires_at(self, time_zone: str) -> dt.datetime | None:
        """The end of the chosen day in the patient's own time zone (what "ends on" means to them)."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(time_zone))


class RedeemForm(forms.Form):
    code = forms.CharField(
        label="Share code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text="The code the patient gave you, like ABCD-EFGH-JKLM.",
    )


class EraseForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.CharField(label="Type your username to confirm", max_length=150)


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="Actor (username)", required=False, max_length=150)
    action = forms.CharField(label="Action", required=False, max_length=32)
    patient_key = forms.UUIDField(label="Patient key", required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
