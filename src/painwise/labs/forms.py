"""Web forms: they only parse text into Python values; the services (and so the core) decide validity."""

from __future__ import annotations

from typing import Any

from django import forms

from painwise.core.labs import ANALYTES
from painwise.labs.csv_import import MAX_CSV_BYTES
from painwise.labs.entry import MAX_LAB_NAME, MAX_NOTE

ANALYTE_CHOICES = [(a.short_name, a.display_name) for a in ANALYTES]


def unit_spellings() -> list[str]:
    """Every unit label and code in the catalogue, for the unit field's suggestions."""
    return sorted({s for a in ANALYTES for u in a.units for s in (u.label, u.ucum)}, key=str.lower)


def accepted_units() -> list[tuple[str, str]]:
    return [(a.display_name, ", ".join(u.label for u in a.units)) for a in ANALYTES]


class DecimalText(forms.CharField):
    """A number typed with a dot or a decimal comma ("12,5"): people copy values from paper reports."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "maxlength": 32}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip().replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise forms.ValidationError("Enter a number, e.g. 12.5.") from None


class LabEntryForm(forms.Form):
    analyte = forms.ChoiceField(choices=[("", "Choose a test…"), *ANALYTE_CHOICES])
    value = DecimalText(help_text="As printed on the report.")
    unit = forms.CharField(
        max_length=32,
        help_text="Any spelling the report uses: µg/dL, mcg/dL, ug/dL, uIU/mL, mIU/L, U/L…",
        widget=forms.TextInput(attrs={"list": "lab-units", "autocomplete": "off", "spellcheck": "false"}),
    )
    collected_at = forms.DateTimeField(
        label="Collected",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text="When the blood was taken (your local time). Past dates are fine.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ref_low = DecimalText(label="Lab range: low", required=False)
    ref_high = DecimalText(
        label="Lab range: high",
        required=False,
        help_text="The range printed next to the result, in the same unit. Leave empty to use the catalogue's.",
    )
    lab_name = forms.CharField(
        label="Laboratory",
        required=False,
        max_length=MAX_LAB_NAME,
        help_text=f"Up to {MAX_LAB_NAME} characters.",
        widget=forms.TextInput(attrs={"maxlength": MAX_LAB_NAME}),
    )
    note = forms.CharField(
        required=False,
        max_length=MAX_NOTE,
        help_text=f"Up to {MAX_NOTE:,} characters.",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_NOTE}),
    )
    confirm_duplicate = forms.BooleanField(
        required=False,
        label="Save it anyway: this is a separate result",
        widget=forms.HiddenInput,
    )
    error_names = {"collected_at": "Collected", "ref_low": "Lab range: low", "ref_high": "Lab range: high"}


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", required=False, help_text=f"UTF-8, at most {MAX_CSV_BYTES // 1024} kB.")
    text = forms.CharField(
        label="…or paste the CSV", required=False, widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})
    )

    def csv_text(self) -> str:
        """The uploaded or pasted CSV; call after is_valid()."""
        upload = self.cleaned_data.get("file")
        if upload is None:
            return str(self.cleaned_data.get("text") or "")
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_CSV_BYTES // 1024} kB; split it.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text; save it as “CSV UTF-8”.") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not str(data.get("text") or "").strip():
            raise forms.ValidationError("Choose a CSV file or paste its contents.")
        return data
