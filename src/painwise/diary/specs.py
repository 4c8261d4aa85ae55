"""One table describing each diary record kind: its model, fields and validator.

Services, the API, the web forms and import/export all read this table, so a new field is added in
one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import models

from painwise.core import diary as rules
from painwise.diary.models import CheckIn, DoseEvent, PainEntry, SideEffect, TherapySession

Validator = Callable[[Mapping[str, object], dt.datetime], None]


@dataclass(frozen=True)
class RecordSpec:
    kind: str  # URL segment and export key
    model: type[models.Model]
    fields: tuple[str, ...]  # editable fields besides occurred_at
    validate: Validator
    label: str


SPECS: dict[str, RecordSpec] = {
    spec.kind: spec
    for spec in (
        RecordSpec(
            "pain_entries",
            PainEntry,
            ("body_site", "nrs", "qualities", "note"),
            rules.validate_pain_entry,
            "pain entry",
        ),
        RecordSpec(
            "check_ins",
            CheckIn,
            ("sleep_hours", "sleep_quality", "mood", "interference", "activity_minutes", "alcoholic_drinks"),
            rules.validate_check_in,
            "check-in",
        ),
        RecordSpec(
            "dose_events", DoseEvent, ("product_id", "amount", "unit", "status"), rules.validate_dose, "dose event"
        ),
        RecordSpec(
            "therapy_sessions",
            TherapySession,
            ("modality", "therapy_id", "minutes", "status", "home_practice"),
            rules.validate_session,
            "therapy session",
        ),
        RecordSpec(
            "side_effects",
            SideEffect,
            ("kind", "free_text", "severity", "ctcae_grade", "shedding_rating", "onset_date", "resolved_date"),
            rules.validate_side_effect,
            "side effect",
        ),
    )
}


def spec_for(kind: str) -> RecordSpec:
    from painwise.core.errors import NotFound

    try:
        return SPECS[kind]
    except KeyError as exc:
        raise NotFound("record type") from exc
