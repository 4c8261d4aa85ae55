"""Forms for the patient's own profile, conditions and plan, and sign-up.

Like the quick-entry forms they only turn text into Python values; the services validate, so the web,
the API and import reject the same things. A service error names an internal field (`onset_date`);
`show_domain_error` puts it next to that field in the words of the field's label.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone

from painwise.core.conditions import ICD11_CATEGORIES
from painwise.core.countries import COUNTRIES, country_name
from painwise.core.diary import BODY_SITES, DOSE_UNITS, MAX_NOTE
from painwise.core.errors import DomainError
from painwise.questionnaires.config import crisis_country
from painwise.treatment.models import AlkaloidSource, DrugClass, KratomForm, TherapyKind

DATE_WIDGET = {"type": "date"}
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def site_label(code: str) -> str:
    return code.replace("_", " ").replace(" left", " (left)").replace(" right", " (right)").capitalize()


def show_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Attach a service error to its field, naming fields by their labels, never their internal names."""
    message = exc.message
    short = getattr(form, "error_names", {})
    for name, field in form.fields.items():
        label = short.get(name) or str(field.label or name).rstrip(":")
        if "_" in name or name in short:
            # An internal name (occurred_at, ref_low) is never prose: replace it wherever it appears.
            message = re.sub(rf"\b{re.escape(name)}\b", f"“{label}”", message)
        elif message.startswith(f"{name} "):
            # A plain word ("unit", "value") only where it names the field, at the start.
            message = f"“{label}”" + message[len(name) :]
    message = message[0].upper() + message[1:] if message else message
    target = exc.field if exc.field in form.fields else None
    form.add_error(target, message)


def with_limit(field: forms.CharField, limit: int) -> forms.CharField:
    """Say the limit before anyone types past it, and let the browser stop at it."""
    field.max_length = limit
    field.widget.attrs["maxlength"] = str(limit)
    hint = f"Up to {limit:,} characters."
    field.help_text = f"{field.help_text} {hint}".strip() if field.help_text else hint
    return field


def country_choices() -> list[tuple[str, str]]:
    default = country_name(crisis_country())
    return [
        ("", f"Not listed / prefer not to say (crisis lines shown: {default})"),
        *sorted(((code, name) for code, name in COUNTRIES.items()), key=lambda item: item[1]),
    ]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", "Your diary days and reminders follow this time zone.")
        super().__init__(choices=[(z, z.replace("_", " ")) for z in TIME_ZONES], **kwargs)
        self.widget.attrs["data-guess-time-zone"] = "1"


class CountryField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Country you live in")
        kwargs.setdefault("help_text", "Used to show the crisis lines of your country.")
        kwargs.setdefault("required", False)
        super().__init__(choices=country_choices, **kwargs)


class SignUpForm(forms.Form):
    username = forms.CharField(
        label="Username", max_length=150, help_text="Letters, digits and @ . + - _ only; up to 150 characters."
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=256,
        help_text="At least 10 characters; not a common password and not only digits.",
    )
    password_again = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), max_length=256
    )
    date_of_birth = forms.DateField(label="Date of birth", widget=forms.DateInput(attrs=DATE_WIDGET))
    sex_at_birth = forms.ChoiceField(
        label="Sex at birth",
        choices=[("", "Choose"), ("female", "Female"), ("male", "Male")],
        help_text="Used only to pick the right reference ranges for blood tests.",
    )
    country = CountryField()
    time_zone = TimeZoneField(initial="UTC")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class ProfileForm(forms.Form):
    country = CountryField()
    time_zone = TimeZoneField()
    show_kratom_tab = forms.BooleanField(
        required=False,
        label="Show the Kratom tab in quick entry",
        help_text="Turn this off if you use no kratom product.",
    )


class ConditionForm(forms.Form):
    label = with_limit(forms.CharField(label="Name of the condition"), 200)
    icd11_category = forms.ChoiceField(
        label="Kind of chronic pain (ICD-11)",
        choices=[("", "Choose"), *((k, f"{v.label} ({v.code})") for k, v in ICD11_CATEGORIES.items())],
    )
    body_sites = forms.MultipleChoiceField(
        required=False,
        label="Where it hurts (optional)",
        choices=[(s, site_label(s)) for s in BODY_SITES],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chips"}),
    )
    onset_date = forms.DateField(label="Since when", widget=forms.DateInput(attrs=DATE_WIDGET))
    end_date = forms.DateField(
        required=False,
        label="Ended on (optional)",
        help_text="Leave empty while the condition lasts.",
        widget=forms.DateInput(attrs=DATE_WIDGET),
    )


class StopForm(forms.Form):
    stop_date = forms.DateField(label="Stopped on", widget=forms.DateInput(attrs=DATE_WIDGET))


KIND_LABELS = {
    "kratom": "Kratom product",
    "physical_therapy": "Physical therapy",
    "cbt": "Cognitive-behavioural therapy (CBT)",
    "mindfulness": "Mindfulness",
    "medication": "Medication",
    "supplement": "Supplement",
    "other": "Something else",
}
KRATOM_FIELDS = (
    "strain", "form", "unit", "leaf_g_per_unit", "alkaloid_source", "mitragynine_mg_per_g",
    "seven_oh_mg_per_unit", "concentrated_7oh",
)  # fmt: skip
DRUG_FIELDS = ("drug_class",)


def _optional_decimal(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        required=False,
        label=label,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


class PlanItemForm(forms.Form):
    """One plan item of one kind; only the fields that apply to the kind are shown."""

    name = with_limit(forms.CharField(label="Name", help_text="As you call it, e.g. the product or the course."), 200)
    start_date = forms.DateField(label="Started on", widget=forms.DateInput(attrs=DATE_WIDGET))
    stop_date = forms.DateField(
        required=False,
        label="Stopped on (optional)",
        help_text="Leave empty while you still use it.",
        widget=forms.DateInput(attrs=DATE_WIDGET),
    )
    strain = with_limit(
        forms.CharField(required=False, label="Strain (optional)", help_text="For example Maeng Da."), 40
    )
    form = forms.ChoiceField(label="Form", choices=[("", "Choose"), *KratomForm.choices()])
    unit = forms.ChoiceField(label="Unit you count doses in", choices=[("", "Choose"), *((u, u) for u in DOSE_UNITS)])
    leaf_g_per_unit = _optional_decimal(
        "Grams of leaf per unit (optional)", "For capsules, tea or extract: the leaf-equivalent grams in one unit."
    )
    alkaloid_source = forms.ChoiceField(
        required=False,
        label="Alkaloid content is",
        choices=[("", "Not known"), *AlkaloidSource.choices()],
    )
    mitragynine_mg_per_g = _optional_decimal("Mitragynine, mg per gram (optional)", "From the label or a lab test.")
    seven_oh_mg_per_unit = _optional_decimal(
        "7-hydroxymitragynine (7-OH), mg per unit (optional)", "From the label or a lab test."
    )
    concentrated_7oh = forms.BooleanField(
        required=False,
        label="This is a concentrated 7-OH product",
        help_text="Concentrated 7-OH products act more like opioids; your clinician sees this flag.",
    )
    drug_class = forms.ChoiceField(
        required=False, label="Kind of medicine (optional)", choices=[("", "Not sure"), *DrugClass.choices()]
    )
    notes = with_limit(
        forms.CharField(required=False, label="Notes (optional)", widget=forms.Textarea(attrs={"rows": 3})), MAX_NOTE
    )

    def __init__(self, *args: Any, kind: str, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != TherapyKind.KRATOM:
            for name in KRATOM_FIELDS:
                del self.fields[name]
        if kind not in (TherapyKind.MEDICATION, TherapyKind.SUPPLEMENT):
            del self.fields["drug_class"]
        if not editing:
            self.fields["start_date"].initial = timezone.localdate()

    def data_for_service(self, *, partial: bool = False) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not partial:
            data["kind"] = self.kind
        return data
