"""API schemas for lab results. The core checks analyte, unit and value; these only check JSON types."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictFloat

from painwise.api_common import PageQuery
from painwise.core.labs import CATALOGUE
from painwise.core.labs.catalogue import _key
from painwise.labs.entry import MAX_LAB_NAME, MAX_NOTE

# "12" or true are input mistakes, not numbers (the core then checks finite, ≥ 0 and plausible).
Number = StrictFloat  # accepts JSON integers too


# Every spelling the server resolves (short names, aliases, LOINC codes), from the core's catalogue.
ANALYTE_NAMES = tuple(dict.fromkeys(
    name for a in CATALOGUE.values() for name in (a.short_name, *a.aliases, *(c.code for c in a.loinc))
))  # fmt: skip
_BY_KEY = {_key(name): name for name in ANALYTE_NAMES}


def _canonical_analyte(value: object) -> object:
    # "B12", "Vitamin B12" and "vitamin-b12" keep working; the enum lists the catalogue's spellings.
    return _BY_KEY.get(_key(value), value) if isinstance(value, str) else value


AnalyteName = Annotated[Literal[ANALYTE_NAMES], BeforeValidator(_canonical_analyte)]  # type: ignore[valid-type]


class LabResultIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    analyte: AnalyteName = Field(..., description="short name (" + ", ".join(CATALOGUE) + "), alias or LOINC code")
    value: Number = Field(..., ge=0, description="as reported, in `unit`")
    unit: str = Field(..., max_length=32, description="any accepted spelling, e.g. µg/dL, mcg/dL, uIU/mL")
    collected_at: dt.datetime = Field(..., description="ISO 8601 with offset; back-dating is fine, the future is not")
    ref_low: Number | None = Field(None, ge=0, description="the reporting lab's lower limit, in `unit`")
    ref_high: Number | None = Field(None, ge=0, description="the reporting lab's upper limit, in `unit`")
    lab_name: str = Field("", max_length=MAX_LAB_NAME)
    note: str = Field("", max_length=MAX_NOTE)


class LabResultPatch(Schema, extra="forbid"):  # type: ignore[call-arg]
    analyte: str | None = None
    value: Number | None = Field(None, ge=0)
    unit: str | None = Field(None, max_length=32)
    collected_at: dt.datetime | None = None
    ref_low: Number | None = Field(None, ge=0)
    ref_high: Number | None = Field(None, ge=0)
    lab_name: str | None = Field(None, max_length=MAX_LAB_NAME)
    note: str | None = Field(None, max_length=MAX_NOTE)


class RangeUsed(Schema):
    low: float | None = Field(..., description="canonical unit")
    high: float | None = Field(..., description="canonical unit")
    source: str = Field(..., description="lab or catalogue")
    basis: str


class EnteredBy(Schema):
    id: uuid.UUID
    username: str
    role: str


class LabResultOut(Schema):
    id: uuid.UUID
    analyte: str
    value: float
    unit: str = Field(..., description="as entered")
    unit_ucum: str
    loinc: str | None = Field(..., description="the code for the unit's property (mass and molar codes differ)")
    ref_low: float | None
    ref_high: float | None
    collected_at: dt.datetime
    entered_at: dt.datetime
    entered_by: EnteredBy | None = Field(..., description="null for results imported from a file")
    lab_name: str
    note: str
    canonical_value: float
    canonical_unit: str
    status: str = Field(..., description="low, normal, high or unknown (no range)")
    category: str | None
    multiple_of_uln: float | None
    range_used: RangeUsed | None
    unusual: bool
    critical: bool
    notes: list[str]


class LabResultPage(Schema):
    items: list[LabResultOut]
    count: int
    page: int
    page_size: int
    next_page: int | None


class LabQuery(PageQuery):
    analyte: AnalyteName | None = Field(None, description="only this analyte (short name, alias or LOINC code)")


class SkippedRow(Schema):
    row: int
    reason: str


class CsvImportOut(Schema):
    created: int
    ids: list[uuid.UUID]
    skipped: list[SkippedRow]


def import_out(created: list[Any], skipped: list[dict[str, Any]]) -> dict[str, Any]:
    return {"created": len(created), "ids": [r.id for r in created], "skipped": skipped}
