"""PatientSnapshot: one patient's whole record as the domain sees it, read-only.

It is the one read model that monitoring rules, analytics, the visit report, FHIR and research read.
Two builders produce it and must agree: ``snapshot_from_export`` (an export document,
docs/import-format.md) here in the pure core, and ``painwise.patients.snapshot.build_snapshot`` from
the database. Both hand each record's fields to the same ``*_from`` constructors below, which accept
JSON text (ISO dates, numbers) and database values (datetimes, Decimals, UUIDs) alike.

Times stay in UTC; every diary record also carries ``day``, its local date in the patient's time
zone, because a diary "day" is the patient's day (DESIGN.md, data rules). Derived figures (exposure,
lab interpretation) are computed here on read and never stored.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

from painwise.core.errors import DomainError
from painwise.core.exposure import Dose, ExposureResult, Product, compute_exposure
from painwise.core.labs import LabConfig, LabInterpretation, interpret
from painwise.core.labs.config import DEFAULT_CONFIG
from painwise.core.vocabularies import DoseStatus, SessionStatus, TherapyKind

Row = Mapping[str, Any]
T = TypeVar("T")


# --- value coercion: JSON text and database values give the same Python value -----------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _opt_float(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def _opt_int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _opt_date(value: Any) -> dt.date | None:
    return None if value in (None, "") else _date(value)


def _moment(value: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise DomainError("snapshot.naive_time", f"time {moment.isoformat()} has no UTC offset", "occurred_at")
    return moment.astimezone(dt.UTC)


def _amount(value: Any) -> float:
    # Amounts keep at most 3 decimals in the export; the database keeps a Decimal of the same value.
    return float(Decimal(str(value)).quantize(Decimal("0.001"))) if value is not None else 0.0


# --- records -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    id: str
    username: str
    date_of_birth: dt.date
    sex: str
    time_zone: str
    synthetic: bool = False

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Condition:
    id: str
    label: str
    icd11_category: str
    body_sites: tuple[str, ...]
    onset_date: dt.date


@dataclass(frozen=True)
class PlanItem:
    """A therapy in the plan over time: kratom product, PT, CBT, mindfulness, medication, supplement."""

    id: str
    kind: str
    name: str
    start_date: dt.date
    stop_date: dt.date | None
    strain: str = ""
    form: str = ""
    unit: str = ""
    leaf_g_per_unit: float | None = None
    mitragynine_mg_per_g: float | None = None
    drug_class: str = ""

    def active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.stop_date is None or day <= self.stop_date)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.start_date <= end and (self.stop_date is None or self.stop_date >= start)


@dataclass(frozen=True)
class PainEntry:
    id: str
    occurred_at: dt.datetime
    day: dt.date
    body_site: str
    nrs: int
    qualities: tuple[str, ...]


@dataclass(frozen=True)
class CheckIn:
    id: str
    occurred_at: dt.datetime
    day: dt.date
    sleep_hours: float | None
    sleep_quality: int | None
    mood: int | None
    interference: int | None
    activity_minutes: int | None
    alcoholic_drinks: int | None


@dataclass(frozen=True)
class DoseRecord:
    id: str
    occurred_at: dt.datetime
    day: dt.date
    product_id: str
    amount: float
    unit: str
    status: str


@dataclass(frozen=True)
class SessionRecord:
    id: str
    occurred_at: dt.datetime
    day: dt.date
    modality: str
    therapy_id: str | None
    minutes: int | None
    status: str
    home_practice: bool


@dataclass(frozen=True)
class SideEffect:
    id: str
    occurred_at: dt.datetime
    day: dt.date
    kind: str
    severity: str | None
    ctcae_grade: int | None
    onset_date: dt.date | None
    resolved_date: dt.date | None
    free_text: str = ""

    @property
    def onset(self) -> dt.date:
        """The day it began: the onset date when given, else the day it was recorded as happening."""
        return self.onset_date or self.day


@dataclass(frozen=True)
class LabResult:
    id: str
    analyte: str
    value: float
    unit: str
    ref_low: float | None
    ref_high: float | None
    collected_at: dt.datetime
    day: dt.date
    interpretation: LabInterpretation
    lab_name: str = ""
    note: str = ""


@dataclass(frozen=True)
class QuestionnaireResult:
    id: str
    code: str
    answers: tuple[Any, ...]
    completed_at: dt.datetime
    day: dt.date
    total: float | None
    band: str | None
    subscales: tuple[tuple[str, Any], ...]
    flags: tuple[str, ...]
    answered: int
    entered_by_role: str = ""


# --- the snapshot ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientSnapshot:
    """Every live record of one patient, each list sorted by time then id (as the export is)."""

    profile: Profile
    conditions: tuple[Condition, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    pain: tuple[PainEntry, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()
    doses: tuple[DoseRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    side_effects: tuple[SideEffect, ...] = ()
    labs: tuple[LabResult, ...] = ()
    questionnaires: tuple[QuestionnaireResult, ...] = ()
    lab_config: LabConfig = field(default=DEFAULT_CONFIG, compare=False)
    # The day the multimodal plan began when the source states it (the simple snapshot document,
    # docs/snapshot-format.md); otherwise None and readers use the first therapy's start.
    plan_start: dt.date | None = None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.profile.time_zone)

    def local_day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    # Plan ---------------------------------------------------------------------------------------------
    @cached_property
    def kratom_products(self) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.plan if item.kind == TherapyKind.KRATOM)

    def medications_by_class(self) -> dict[str, tuple[PlanItem, ...]]:
        classes: dict[str, list[PlanItem]] = {}
        for item in self.plan:
            if item.kind == TherapyKind.MEDICATION:
                classes.setdefault(item.drug_class or "other", []).append(item)
        return {name: tuple(items) for name, items in classes.items()}

    def plan_active_on(self, day: dt.date, kind: str | None = None) -> tuple[PlanItem, ...]:
        return tuple(i for i in self.plan if i.active_on(day) and (kind is None or i.kind == kind))

    # Time span ----------------------------------------------------------------------------------------
    @cached_property
    def first_day(self) -> dt.date | None:
        days = [records[0].day for records in self._diary_lists() if records]
        days += [i.start_date for i in self.plan]
        return min(days) if days else None

    @cached_property
    def last_day(self) -> dt.date | None:
        days = [records[-1].day for records in self._diary_lists() if records]
        return max(days) if days else None

    def _diary_lists(self) -> tuple[tuple[Any, ...], ...]:
        return (self.pain, self.check_ins, self.doses, self.sessions, self.side_effects, self.labs, self.questionnaires)

    # Alcohol, exposure --------------------------------------------------------------------------------
    def alcohol(self) -> tuple[tuple[dt.date, int], ...]:
        """Alcoholic drinks per check-in day (summed when a day has several check-ins)."""
        totals: dict[dt.date, int] = {}
        for check_in in self.check_ins:
            if check_in.alcoholic_drinks is not None:
                totals[check_in.day] = totals.get(check_in.day, 0) + check_in.alcoholic_drinks
        return tuple(sorted(totals.items()))

    def exposure(self, start: dt.date, end: dt.date) -> ExposureResult:
        """Kratom exposure per local day for ``start``..``end`` (earlier doses count towards cumulative)."""
        products = [
            Product(p.id, p.form, p.unit, p.leaf_g_per_unit, p.mitragynine_mg_per_g) for p in self.kratom_products
        ]
        doses = [Dose(d.product_id, d.day, d.amount, d.unit, d.status) for d in self.doses]
        return compute_exposure(products, doses, start, end)

    def window(self, start: dt.date, end: dt.date) -> PatientSnapshot:
        """The same patient with diary records limited to local days ``start``..``end`` (plan and
        conditions kept whole: they describe the period, not events in it)."""

        def keep(records: tuple[T, ...]) -> tuple[T, ...]:
            return tuple(r for r in records if start <= r.day <= end)  # type: ignore[attr-defined]

        return replace(
            self,
            pain=keep(self.pain),
            check_ins=keep(self.check_ins),
            doses=keep(self.doses),
            sessions=keep(self.sessions),
            side_effects=keep(self.side_effects),
            labs=keep(self.labs),
            questionnaires=keep(self.questionnaires),
        )


# --- constructors shared by both builders ------------------------------------------------------------


def profile_from(row: Row, synthetic: bool = False) -> Profile:
    return Profile(
        id=_text(row["id"]),
        username=_text(row.get("username")),
        date_of_birth=_date(row["date_of_birth"]),
        sex=_text(row["sex_at_birth"]),
        time_zone=_text(row.get("time_zone") or "UTC"),
        synthetic=bool(synthetic),
    )


def condition_from(row: Row) -> Condition:
    return Condition(
        id=_text(row["id"]),
        label=_text(row["label"]),
        icd11_category=_text(row["icd11_category"]),
        body_sites=tuple(row.get("body_sites") or ()),
        onset_date=_date(row["onset_date"]),
    )


def plan_item_from(row: Row) -> PlanItem:
    return PlanItem(
        id=_text(row["id"]),
        kind=_text(row["kind"]),
        name=_text(row["name"]),
        start_date=_date(row["start_date"]),
        stop_date=_opt_date(row.get("stop_date")),
        strain=_text(row.get("strain")),
        form=_text(row.get("form")),
        unit=_text(row.get("unit")),
        leaf_g_per_unit=_opt_float(row.get("leaf_g_per_unit")),
        mitragynine_mg_per_g=_opt_float(row.get("mitragynine_mg_per_g")),
        drug_class=_text(row.get("drug_class")),
    )


class _Days:
    """Local-day conversion for one time zone (a hot path: thousands of records per patient)."""

    def __init__(self, time_zone: str) -> None:
        self.zone = zoneinfo.ZoneInfo(time_zone)

    def __call__(self, row: Row, key: str = "occurred_at") -> tuple[dt.datetime, dt.date]:
        moment = _moment(row[key])
        return moment, moment.astimezone(self.zone).date()


def pain_from(row: Row, days: _Days) -> PainEntry:
    moment, day = days(row)
    return PainEntry(
        _text(row["id"]), moment, day, _text(row["body_site"]), int(row["nrs"]), tuple(row.get("qualities") or ())
    )


def check_in_from(row: Row, days: _Days) -> CheckIn:
    moment, day = days(row)
    return CheckIn(
        id=_text(row["id"]),
        occurred_at=moment,
        day=day,
        sleep_hours=_opt_float(row.get("sleep_hours")),
        sleep_quality=_opt_int(row.get("sleep_quality")),
        mood=_opt_int(row.get("mood")),
        interference=_opt_int(row.get("interference")),
        activity_minutes=_opt_int(row.get("activity_minutes")),
        alcoholic_drinks=_opt_int(row.get("alcoholic_drinks")),
    )


def dose_from(row: Row, days: _Days) -> DoseRecord:
    moment, day = days(row)
    return DoseRecord(
        _text(row["id"]),
        moment,
        day,
        _text(row["product_id"]),
        _amount(row["amount"]),
        _text(row["unit"]),
        _text(row.get("status") or DoseStatus.TAKEN),
    )


def session_from(row: Row, days: _Days) -> SessionRecord:
    moment, day = days(row)
    therapy = row.get("therapy_id")
    return SessionRecord(
        id=_text(row["id"]),
        occurred_at=moment,
        day=day,
        modality=_text(row["modality"]),
        therapy_id=None if therapy in (None, "") else _text(therapy),
        minutes=_opt_int(row.get("minutes")),
        status=_text(row.get("status") or SessionStatus.DONE),
        home_practice=bool(row.get("home_practice")),
    )


def side_effect_from(row: Row, days: _Days) -> SideEffect:
    moment, day = days(row)
    return SideEffect(
        id=_text(row["id"]),
        occurred_at=moment,
        day=day,
        kind=_text(row["kind"]),
        severity=row.get("severity") or None,
        ctcae_grade=_opt_int(row.get("ctcae_grade")),
        onset_date=_opt_date(row.get("onset_date")),
        resolved_date=_opt_date(row.get("resolved_date")),
        free_text=_text(row.get("free_text")),
    )


def lab_from(row: Row, days: _Days, profile: Profile, config: LabConfig) -> LabResult:
    moment, day = days(row, "collected_at")
    low, high = _opt_float(row.get("ref_low")), _opt_float(row.get("ref_high"))
    reference = (low, high) if low is not None or high is not None else None
    value = float(row["value"])
    reading = interpret(
        _text(row["analyte"]), value, _text(row["unit"]), profile.sex, reference, profile.age_on(day), config=config
    )
    return LabResult(
        id=_text(row["id"]),
        analyte=reading.analyte,
        value=value,
        unit=_text(row["unit"]),
        ref_low=low,
        ref_high=high,
        collected_at=moment,
        day=day,
        interpretation=reading,
        lab_name=_text(row.get("lab_name")),
        note=_text(row.get("note")),
    )


def questionnaire_from(row: Row, days: _Days) -> QuestionnaireResult:
    moment, day = days(row, "completed_at")
    total = row.get("total")
    return QuestionnaireResult(
        id=_text(row["id"]),
        code=_text(row["code"]),
        answers=tuple(row.get("answers") or ()),
        completed_at=moment,
        day=day,
        total=None if total is None else float(total),
        band=row.get("band") or None,
        subscales=tuple(sorted((row.get("subscales") or {}).items())),
        flags=tuple(row.get("flags") or ()),
        answered=int(row.get("answered") or 0),
        entered_by_role=_text(row.get("entered_by_role")),
    )


def _build(section: str, rows: Iterable[Row], make: Callable[[Row], T], key: Callable[[T], Any]) -> tuple[T, ...]:
    """Build one section's records, naming the record path (``pain_entries[3].nrs``) of the first bad one."""
    records = []
    for index, row in enumerate(rows):
        path = f"{section}[{index}]"
        try:
            if not isinstance(row, Mapping):
                raise DomainError("snapshot.invalid", "each record must be an object", None)
            records.append(make(row))
        except DomainError as error:
            raise DomainError(error.code, error.message, f"{path}.{error.field}" if error.field else path) from error
        except KeyError as error:
            raise DomainError("snapshot.missing", f"{error.args[0]} is required", f"{path}.{error.args[0]}") from error
        except (TypeError, ValueError, ArithmeticError) as error:
            raise DomainError("snapshot.invalid", f"a value could not be read: {error}", path) from error
    return tuple(sorted(records, key=key))


def _timed(record: Any) -> tuple[dt.datetime, str]:
    moment = getattr(record, "occurred_at", None) or getattr(record, "collected_at", None) or record.completed_at
    return moment, record.id


def assemble(
    profile: Profile,
    *,
    conditions: Iterable[Row] = (),
    plan: Iterable[Row] = (),
    pain: Iterable[Row] = (),
    check_ins: Iterable[Row] = (),
    doses: Iterable[Row] = (),
    sessions: Iterable[Row] = (),
    side_effects: Iterable[Row] = (),
    labs: Iterable[Row] = (),
    questionnaires: Iterable[Row] = (),
    lab_config: LabConfig = DEFAULT_CONFIG,
    plan_start: dt.date | None = None,
) -> PatientSnapshot:
    """The snapshot from rows in either representation; every list is sorted as the export sorts it.
    Section names in error paths are the export document's."""
    days = _Days(profile.time_zone)
    return PatientSnapshot(
        profile=profile,
        conditions=_build("conditions", conditions, condition_from, lambda c: (c.onset_date, c.id)),
        plan=_build("therapies", plan, plan_item_from, lambda p: (p.start_date, p.id)),
        pain=_build("pain_entries", pain, lambda r: pain_from(r, days), _timed),
        check_ins=_build("check_ins", check_ins, lambda r: check_in_from(r, days), _timed),
        doses=_build("dose_events", doses, lambda r: dose_from(r, days), _timed),
        sessions=_build("therapy_sessions", sessions, lambda r: session_from(r, days), _timed),
        side_effects=_build("side_effects", side_effects, lambda r: side_effect_from(r, days), _timed),
        labs=_build("lab_results", labs, lambda r: lab_from(r, days, profile, lab_config), _timed),
        questionnaires=_build("questionnaire_responses", questionnaires, lambda r: questionnaire_from(r, days), _timed),
        lab_config=lab_config,
        plan_start=plan_start,
    )


EXPORT_FORMAT = "painwise.export"


def snapshot_from_export(document: Mapping[str, Any], lab_config: LabConfig = DEFAULT_CONFIG) -> PatientSnapshot:
    """The snapshot of a painwise export document (docs/import-format.md)."""
    if not isinstance(document, Mapping) or document.get("format") != EXPORT_FORMAT:
        raise DomainError(
            "snapshot.not_export", f"not a painwise export document (format must be {EXPORT_FORMAT!r})", "format"
        )
    patient = document.get("patient")
    if not isinstance(patient, Mapping):
        raise DomainError("snapshot.missing", "the document has no patient object", "patient")
    try:
        profile = profile_from(patient, synthetic=bool(document.get("synthetic")))
    except KeyError as error:
        raise DomainError("snapshot.missing", f"{error.args[0]} is required", f"patient.{error.args[0]}") from error
    except (TypeError, ValueError) as error:
        raise DomainError("snapshot.invalid", f"a value could not be read: {error}", "patient") from error
    return assemble(
        profile,
        conditions=document.get("conditions") or (),
        plan=document.get("therapies") or (),
        pain=document.get("pain_entries") or (),
        check_ins=document.get("check_ins") or (),
        doses=document.get("dose_events") or (),
        sessions=document.get("therapy_sessions") or (),
        side_effects=document.get("side_effects") or (),
        labs=document.get("lab_results") or (),
        questionnaires=document.get("questionnaire_responses") or (),
        lab_config=lab_config,
    )
