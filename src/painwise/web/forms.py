"""Quick-entry and login forms.

The forms only turn text into Python values; painwise.diary.services validates (ranges, choices,
future times) so the web, the API and import reject the same things with the same messages. That
is why e.g. the NRS field has no min/max validators here, only browser hints.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from painwise.core import diary as rules
from painwise.core.vocabularies import DoseStatus, SessionModality, SessionStatus, Severity
from painwise.treatment.models import Therapy


def _label(code: str) -> str:
    return code.replace("_", " ").replace(" left", " (left)").replace(" right", " (right)").capitalize()


SIDE_EFFECT_LABELS = {"gi_upset": "Stomach upset", "jaundice_dark_urine": "Yellow skin/eyes or dark urine"}
CTCAE_HAIR_GRADES = (
    ("", "Not graded"),
    ("1", "Grade 1 — under half of usual hair; noticeable only up close"),
    ("2", "Grade 2 — half or more; readily apparent to others"),
)


class DemoAwareAuthenticationForm(AuthenticationForm):
    """Demo accounts exist only for demos: outside demo mode they cannot sign in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "demo_disabled": "Demo accounts can only sign in while the site runs in demo mode.",
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            raise forms.ValidationError(self.error_messages["demo_disabled"], code="demo_disabled")


class EntryForm(forms.Form):
    occurred_at = forms.DateTimeField(
        required=False,
        label="When",
        help_text="Leave empty for now, or pick an earlier time.",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def data_for_service(self) -> dict[str, Any]:
        """Cleaned values in the shape diary_record_create expects; empty optional fields are left out."""
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        # Interpreted in the active (patient's) time zone by DateTimeField; empty means now.
        data["occurred_at"] = self.cleaned_data.get("occurred_at") or timezone.now()
        return data

    def changes_for_service(self) -> dict[str, Any]:
        """For an edit: every field, emptied ones as None ([] for lists) so they are cleared; an empty
        time keeps the record's time."""
        data = self.data_for_service()
        for name, field in self.fields.items():
            if name not in data:
                data[name] = [] if isinstance(field, forms.MultipleChoiceField) else None
        if not self.cleaned_data.get("occurred_at"):
            data.pop("occurred_at")
        return data


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


class PainForm(EntryForm):
    body_site = forms.CharField(
        label="Where",
        widget=forms.Select(choices=[("", "Choose a body site"), *((s, _label(s)) for s in rules.BODY_SITES)]),
    )
    nrs = forms.IntegerField(
        label="Pain now (0 = none, 10 = worst imaginable)",
        widget=forms.RadioSelect(choices=[(i, str(i)) for i in range(11)], attrs={"class": "nrs"}),
    )
    qualities = forms.MultipleChoiceField(
        required=False,
        label="What it feels like (optional)",
        choices=[(q, q.capitalize()) for q in rules.PAIN_QUALITIES],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chips"}),
    )
    note = forms.CharField(
        required=False,
        label="Note (optional)",
        max_length=rules.MAX_NOTE,
        help_text=f"Up to {rules.MAX_NOTE:,} characters.",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": rules.MAX_NOTE}),
    )
    field_order = ["body_site", "nrs", "qualities", "note", "occurred_at"]
    error_names = {"nrs": "Pain now", "body_site": "Where"}


class DoseForm(EntryForm):
    product_id = forms.CharField(label="Product")
    amount = forms.DecimalField(
        required=False, label="Amount", widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )
    unit = forms.CharField(label="Unit", widget=forms.Select(choices=[(u, u) for u in rules.DOSE_UNITS]))
    status = forms.CharField(
        label="Status",
        initial=DoseStatus.TAKEN.value,
        widget=forms.RadioSelect(choices=DoseStatus.choices()),
    )
    field_order = ["product_id", "amount", "unit", "status", "occurred_at"]

    def __init__(self, *args: Any, products: Iterable[Therapy] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = list(products)
        self.fields["product_id"].widget = forms.Select(choices=[(str(p.id), p.name) for p in products])
        if products and products[0].unit:
            self.fields["unit"].initial = products[0].unit

    def data_for_service(self) -> dict[str, Any]:
        data = super().data_for_service()
        data["product_id"] = _uuid_or_none(self.cleaned_data.get("product_id", ""))
        if data.get("amount") is None and data.get("status") == DoseStatus.SKIPPED:
            data["amount"] = Decimal(0)  # nothing taken; the service still checks everything else
        return data


def therapy_choice_label(therapy: Therapy, repeated: bool) -> str:
    """A plan item as a choice: stopped items say so; repeated names get their start date."""
    label = therapy.name
    if repeated:
        label += f" (from {therapy.start_date:%-d %b %Y})"
    if therapy.stop_date is not None:
        label += f" — stopped {therapy.stop_date:%-d %b %Y}"
    return label


class SessionForm(EntryForm):
    modality = forms.CharField(label="Kind of session", widget=forms.Select(choices=SessionModality.choices()))
    therapy_id = forms.CharField(required=False, label="Part of plan item (optional)")
    minutes = forms.IntegerField(
        required=False, label="Minutes", widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    status = forms.CharField(
        label="Status", initial=SessionStatus.DONE.value, widget=forms.RadioSelect(choices=SessionStatus.choices())
    )
    home_practice = forms.BooleanField(required=False, label="Home practice")
    field_order = ["modality", "minutes", "status", "home_practice", "therapy_id", "occurred_at"]

    def __init__(self, *args: Any, therapies: Iterable[Therapy] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        therapies = sorted(therapies, key=lambda t: (t.stop_date is not None, t.name.lower(), t.start_date))
        names = [t.name for t in therapies]
        choices = [("", "None"), *((str(t.id), therapy_choice_label(t, names.count(t.name) > 1)) for t in therapies)]
        self.fields["therapy_id"].widget = forms.Select(choices=choices)

    def data_for_service(self) -> dict[str, Any]:
        data = super().data_for_service()
        data["home_practice"] = bool(self.cleaned_data.get("home_practice"))
        if "therapy_id" in data:
            data["therapy_id"] = _uuid_or_none(data["therapy_id"])
        return data


class SideEffectForm(EntryForm):
    kind = forms.CharField(
        label="What",
        widget=forms.Select(
            choices=[("", "Choose"), *((k, SIDE_EFFECT_LABELS.get(k, _label(k))) for k in rules.SIDE_EFFECT_KINDS)]
        ),
    )
    ctcae_grade = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Hair shedding grade (hair shedding only)",
        choices=CTCAE_HAIR_GRADES,
    )
    shedding_rating = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="How much hair you shed on a typical day now (hair shedding only)",
        choices=[("", "Not rated"), *((str(k), f"{k} — {v}") for k, v in rules.SHEDDING_RATINGS.items())],
    )
    severity = forms.CharField(
        required=False,
        label="How bad (optional)",
        widget=forms.Select(choices=[("", "Not rated"), *Severity.choices()]),
    )
    onset_date = forms.DateField(
        required=False,
        label="Started on (optional)",
        help_text="When you first noticed it.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    resolved_date = forms.DateField(
        required=False,
        label="Ended on (optional)",
        help_text="Leave empty while it lasts.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    free_text = forms.CharField(
        required=False,
        label="Describe (optional; needed for “other”)",
        max_length=rules.MAX_FREE_TEXT,
        help_text=f"Up to {rules.MAX_FREE_TEXT} characters.",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": rules.MAX_FREE_TEXT}),
    )
    field_order = [
        "kind", "ctcae_grade", "shedding_rating", "severity", "onset_date", "resolved_date", "free_text", "occurred_at"
    ]  # fmt: skip
    error_names = {
        "kind": "What", "ctcae_grade": "Hair shedding grade", "shedding_rating": "Shedding rating",
        "onset_date": "Started on", "resolved_date": "Ended on", "free_text": "Describe",
    }  # fmt: skip


def _scale(label: str, low: str, high: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=f"{label} (0 = {low}, 10 = {high})",
        choices=[(str(i), str(i)) for i in range(11)],
        widget=forms.RadioSelect(attrs={"class": "nrs"}),
    )


class CheckInForm(EntryForm):
    """The daily check-in: every answer optional, at least one needed (the service says so)."""

    sleep_hours = forms.DecimalField(
        required=False,
        label="Hours slept last night",
        min_value=None,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    sleep_quality = _scale("Sleep quality", "very poor", "very good")
    mood = _scale("Mood", "very low", "very good")
    interference = _scale("How much pain got in the way today", "not at all", "completely")
    activity_minutes = forms.IntegerField(
        required=False, label="Minutes of physical activity", widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    alcoholic_drinks = forms.IntegerField(
        required=False, label="Alcoholic drinks today", widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    field_order = [
        "sleep_hours", "sleep_quality", "mood", "interference", "activity_minutes", "alcoholic_drinks", "occurred_at"
    ]  # fmt: skip


@dataclass(frozen=True)
class EntryKind:
    slug: str  # URL segment
    record_kind: str  # painwise.diary.specs kind
    form: type[EntryForm]
    label: str


ENTRY_KINDS = {
    k.slug: k
    for k in (
        EntryKind("pain", "pain_entries", PainForm, "Pain"),
        EntryKind("check-in", "check_ins", CheckInForm, "Check-in"),
        EntryKind("dose", "dose_events", DoseForm, "Kratom"),
        EntryKind("session", "therapy_sessions", SessionForm, "Session"),
        EntryKind("side-effect", "side_effects", SideEffectForm, "Side effect"),
    )
}
