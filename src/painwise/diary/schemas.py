"""API schemas for diary records: In (create), Patch (partial update), Out (read)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import create_model

from painwise.api_common import IsoDate, IsoDateTime
from painwise.core import diary as rules
from painwise.core.vocabularies import DoseStatus, DoseUnit, SessionModality, SessionStatus, Severity

# Vocabularies still kept as tuples in the core, as enums in the OpenAPI document (the others are the
# painwise.core.vocabularies enum classes themselves).
BodySite = Literal[rules.BODY_SITES]  # type: ignore[valid-type]
PainQuality = Literal[rules.PAIN_QUALITIES]  # type: ignore[valid-type]
SideEffectKind = Literal[rules.SIDE_EFFECT_KINDS]  # type: ignore[valid-type]


class _In(Schema, extra="forbid"):  # type: ignore[call-arg]
    occurred_at: IsoDateTime = Field(
        ...,
        description="when it happened (ISO 8601 with offset); back-dating up to 10 years is fine, "
        "more than 5 minutes in the future is refused (422 diary.too_old / diary.future_time)",
    )


class _Out(Schema):
    id: uuid.UUID
    occurred_at: dt.datetime
    entered_at: dt.datetime


class PainEntryIn(_In):
    body_site: BodySite
    nrs: int = Field(..., ge=0, le=10, description="numeric rating scale 0-10")
    qualities: list[PainQuality] = Field(default_factory=list, max_length=len(rules.PAIN_QUALITIES))
    note: str = Field("", max_length=rules.MAX_NOTE)


class CheckInIn(_In):
    sleep_hours: float | None = Field(None, ge=0, le=24)
    sleep_quality: int | None = Field(None, ge=0, le=10)
    mood: int | None = Field(None, ge=0, le=10)
    interference: int | None = Field(None, ge=0, le=10)
    activity_minutes: int | None = Field(None, ge=0, le=1440)
    alcoholic_drinks: int | None = Field(None, ge=0, le=60)


class DoseEventIn(_In):
    product_id: uuid.UUID
    amount: float = Field(
        ...,
        ge=0,
        le=float(max(rules.MAX_DOSE.values())),
        description="per-unit maxima: " + ", ".join(f"{u} {m}" for u, m in rules.MAX_DOSE.items()),
    )
    unit: DoseUnit
    status: DoseStatus = DoseStatus.TAKEN


class TherapySessionIn(_In):
    modality: SessionModality
    therapy_id: uuid.UUID | None = None
    minutes: int | None = Field(None, ge=0, le=600)
    status: SessionStatus = SessionStatus.DONE
    home_practice: bool = False


class SideEffectIn(_In):
    kind: SideEffectKind
    free_text: str = Field("", max_length=rules.MAX_FREE_TEXT)
    severity: Severity | None = None
    ctcae_grade: int | None = Field(None, ge=1, le=2, description="hair shedding: CTCAE v5 alopecia grade 1-2")
    shedding_rating: int | None = Field(
        None,
        ge=0,
        le=4,
        description="hair shedding: the patient's own rating, 0 (no more than usual) to 4 (very heavy)",
    )
    onset_date: IsoDate | None = None
    resolved_date: IsoDate | None = None


class _Patch(Schema, extra="forbid"):  # type: ignore[call-arg]
    pass


def patch_schema(schema: type[Schema], name: str) -> type[Schema]:
    """The same fields and constraints, all optional, for PATCH (only the fields sent are changed).

    A field that cannot be empty on create (nrs, qualities, home_practice, ...) cannot be set to null
    by PATCH either: it keeps its own type, so `null` is refused with 422 (and the OpenAPI document
    says it is not nullable); only fields that are nullable on create accept null."""
    fields: dict[str, Any] = {}
    for key, info in schema.model_fields.items():
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None
        fields[key] = (info.annotation, optional)
    return create_model(name, __base__=_Patch, **fields)


class PainEntryOut(_Out, PainEntryIn, extra="ignore"):  # type: ignore[call-arg]
    pass


class CheckInOut(_Out, CheckInIn, extra="ignore"):  # type: ignore[call-arg]
    pass


class DoseEventOut(_Out, DoseEventIn, extra="ignore"):  # type: ignore[call-arg]
    pass


class TherapySessionOut(_Out, TherapySessionIn, extra="ignore"):  # type: ignore[call-arg]
    pass


class SideEffectOut(_Out, SideEffectIn, extra="ignore"):  # type: ignore[call-arg]
    pass


KINDS: dict[str, tuple[type[Schema], type[Schema], type[Schema]]] = {
    "pain_entries": (PainEntryIn, patch_schema(PainEntryIn, "PainEntryPatch"), PainEntryOut),
    "check_ins": (CheckInIn, patch_schema(CheckInIn, "CheckInPatch"), CheckInOut),
    "dose_events": (DoseEventIn, patch_schema(DoseEventIn, "DoseEventPatch"), DoseEventOut),
    "therapy_sessions": (TherapySessionIn, patch_schema(TherapySessionIn, "TherapySessionPatch"), TherapySessionOut),
    "side_effects": (SideEffectIn, patch_schema(SideEffectIn, "SideEffectPatch"), SideEffectOut),
}
