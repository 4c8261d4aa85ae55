"""One server-rendered form per instrument, built from the core's metadata (items, options, wording)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone

from painwise.core.instruments import Instrument

SELF_HARM_ITEM = ("phq9", 9)  # clinical_reference.md §1c: never optional on the web form


def item_label(instrument: Instrument, number: int, label: str) -> str:
    # Licensed wording (PHQ-9, GAD-7) is shown as published; the others carry short neutral labels only.
    return f"{number}. {label}" if instrument.wording_licensed else f"Item {number}: {label}"


class InstrumentForm(forms.Form):
    """Radio buttons for every item; `answers()` returns them in published order, None for a blank one."""

    submission_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, instrument: Instrument, *args: Any, require_all: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            required = require_all or (instrument.code, item.number) == SELF_HARM_ITEM
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=item_label(instrument, item.number, item.label),
                choices=[(option.value, option.label) for option in item.options],
                coerce=int,
                empty_value=None,
                required=required,
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose an answer for this question."},
            )

    def answers(self) -> list[int | None]:
        return [self.cleaned_data.get(f"item_{item.number}") for item in self.instrument.items]

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.number}"] for item in self.instrument.items]


class ClinicianRatingForm(InstrumentForm):
    """COWS: every sign is rated (no missing-item rule is published); the time of assessment may be earlier."""

    assessed_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="In the patient's time zone. Leave empty for now.",
    )

    def __init__(self, instrument: Instrument, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(instrument, *args, require_all=True, **kwargs)
        self.zone = zoneinfo.ZoneInfo(time_zone)

    def completed_at(self) -> dt.datetime:
        value = self.cleaned_data.get("assessed_at")
        if value is None:
            return timezone.now()
        # datetime-local has no offset and Django reads it in the server's zone; keep the wall-clock time
        # typed and place it in the patient's zone, where the assessment took place.
        wall = value if timezone.is_naive(value) else timezone.localtime(value)
        return wall.replace(tzinfo=self.zone)


INTERVAL_CHOICES = [
    ("", "On demand"),
    ("7", "Every week"),
    ("14", "Every 2 weeks"),
    ("28", "Every 4 weeks"),
    ("56", "Every 8 weeks"),
    ("84", "Every 12 weeks"),
]


class ScheduleForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    interval_days = forms.TypedChoiceField(
        choices=INTERVAL_CHOICES, coerce=int, empty_value=None, required=False, label="How often"
    )
