"""Plan elements other than kratom: PT/CBT/mindfulness with their sessions, medications, supplements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from painwise.core.synth.clock import Clock, IdSource, iso, iso_one
from painwise.core.synth.profiles import Profile

Record = dict[str, object]

# (name, drug_class, share of patients): co-use with CNS depressants matters for monitoring (§6).
MEDICATIONS = (
    ("Tramadol 50 mg", "opioid", 0.12),
    ("Oxycodone 5 mg", "opioid", 0.05),
    ("Diazepam 5 mg", "benzodiazepine", 0.08),
    ("Pregabalin 75 mg", "gabapentinoid", 0.15),
    ("Gabapentin 300 mg", "gabapentinoid", 0.08),
    ("Duloxetine 60 mg", "ssri_snri", 0.18),
    ("Amitriptyline 10 mg", "tricyclic", 0.1),
    ("Naproxen 500 mg", "nsaid", 0.25),
    ("Paracetamol 1 g", "paracetamol", 0.4),
)
SUPPLEMENTS = (("Vitamin B12 1000 mcg", "b12", 0.2), ("Ferrous sulfate 200 mg", "iron", 0.12), ("Vitamin D3", "", 0.25))


@dataclass(frozen=True)
class ModalityPlan:
    minutes: tuple[int, int]  # range of a session's length
    per_week: float  # how often the plan asks for it
    weight: float  # a session's weight towards therapy engagement (home practice counts less)
    label: str


MODALITY_PLAN = {
    "physical_therapy": ModalityPlan((40, 60), 1.0, 1.0, "Physiotherapy"),
    "cbt": ModalityPlan((50, 60), 1.0, 1.0, "CBT for chronic pain"),
    "mindfulness": ModalityPlan((10, 45), 5.0, 0.25, "Mindfulness (MBSR home practice)"),
}


def therapy_record(
    ids: IdSource,
    kind: str,
    name: str,
    start: dt.date,
    stop: dt.date | None,
    entered_at: str,
    *,
    drug_class: str = "",
    strain: str = "",
    form: str = "",
    unit: str = "",
    leaf_g_per_unit: float | None = None,
    mitragynine_mg_per_g: float | None = None,
    notes: str = "",
) -> Record:
    return {
        "id": ids.one(),
        "kind": kind,
        "name": name,
        "start_date": start.isoformat(),
        "stop_date": stop.isoformat() if stop else None,
        "notes": notes,
        "strain": strain,
        "form": form,
        "unit": unit,
        "leaf_g_per_unit": leaf_g_per_unit,
        "mitragynine_mg_per_g": mitragynine_mg_per_g,
        "drug_class": drug_class,
        "alkaloid_source": "labelled" if mitragynine_mg_per_g is not None else "",
        "seven_oh_mg_per_unit": None,
        "concentrated_7oh": form == "7oh",
        "entered_at": entered_at,
    }


def entered_for(clock: Clock, created_at: int, day: dt.date) -> str:
    """Plan elements are recorded on their start day, or at sign-up for those started earlier."""
    return iso_one(min(max(created_at, clock.utc_of_date(max(day, clock.start), 18.0)), clock.cap))


@dataclass
class TherapyPlan:
    therapies: list[Record] = field(default_factory=list)
    sessions: list[Record] = field(default_factory=list)
    done_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))
    target_per_day: float = 0.0
    iron_days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    b12_days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    drug_classes: list[str] = field(default_factory=list)


def _blocks(rng: np.random.Generator, modality: str, n_days: int, rich: bool) -> list[tuple[int, int]]:
    """Day spans of therapy: PT/CBT come in 8-12 week blocks; mindfulness is an ongoing practice."""
    if modality == "mindfulness":
        begin = 60 if rich else int(rng.integers(0, max(1, n_days // 2)))
        return [(begin, n_days - 1)]
    n_blocks = 2 if rich else int(rng.integers(1, 3))
    spans, cursor = [], 14 if rich else int(rng.integers(0, max(1, n_days // 3)))
    for _ in range(n_blocks):
        length = int(rng.integers(56, 85))
        if cursor + 14 >= n_days:
            break
        spans.append((cursor, min(cursor + length, n_days - 1)))
        cursor += length + int(rng.integers(90, 300))
    return spans


def build_plan(rng: np.random.Generator, ids: IdSource, profile: Profile, clock: Clock, created_at: int) -> TherapyPlan:
    plan = TherapyPlan(
        done_weight=np.zeros(clock.n_days),
        iron_days=np.zeros(clock.n_days, dtype=bool),
        b12_days=np.zeros(clock.n_days, dtype=bool),
    )
    site_label = profile.sites[0].replace("_", " ")
    active_days = np.zeros(clock.n_days)
    for modality in profile.modalities:
        spec = MODALITY_PLAN[modality]
        for first, last in _blocks(rng, modality, clock.n_days, profile.rich):
            start, stop = clock.date_of(first), clock.date_of(last) if last < clock.n_days - 1 else None
            label = f"{spec.label} ({site_label})" if modality == "physical_therapy" else spec.label
            record = therapy_record(ids, modality, label, start, stop, entered_for(clock, created_at, start))
            plan.therapies.append(record)
            plan.sessions += _sessions(rng, ids, clock, profile, modality, first, last, str(record["id"]), plan)
            active_days[first : last + 1] += spec.per_week / 7 * spec.weight
    # Engagement is judged against what the plan asked for on the days a plan was active.
    plan.target_per_day = float(active_days[active_days > 0].mean()) if (active_days > 0).any() else 0.0
    _medications(rng, ids, profile, clock, created_at, plan)
    return plan


def _sessions(
    rng: np.random.Generator,
    ids: IdSource,
    clock: Clock,
    profile: Profile,
    modality: str,
    first: int,
    last: int,
    therapy_id: str,
    plan: TherapyPlan,
) -> list[Record]:
    spec = MODALITY_PLAN[modality]
    days = np.arange(first, last + 1)
    if modality == "mindfulness":
        days = days[rng.random(len(days)) < spec.per_week / 7]
        hours = rng.choice([7.5, 12.5, 21.5], len(days)) + rng.normal(0, 0.5, len(days))
    else:
        weekday = int(rng.integers(0, 5))
        days = days[(clock.weekdays()[days] == weekday)]
        hours = rng.choice([9.0, 10.5, 14.0, 16.5], len(days)) + 0 * days
    # Adherence fades a little through a long plan (a common pattern in home practice).
    fade = 1 - 0.25 * (days - first) / max(1, last - first)
    done = rng.random(len(days)) < profile.adherence * fade
    occurred = clock.to_utc(days, hours)
    keep = clock.keep_past(occurred)
    days, done, occurred = days[keep], done[keep], occurred[keep]
    np.add.at(plan.done_weight, days[done], spec.weight)
    low, high = spec.minutes
    minutes = np.where(done, rng.integers(low, high + 1, len(days)), 0)
    entered = clock.entered_after(occurred, rng)
    home = modality == "mindfulness"
    return [
        {
            "id": rid,
            "occurred_at": occ,
            "entered_at": ent,
            "modality": modality,
            "therapy_id": therapy_id,
            "minutes": minute if ok else None,
            "status": "done" if ok else "skipped",
            "home_practice": home,
        }
        for rid, occ, ent, minute, ok in zip(
            ids.take(len(days)), iso(occurred), iso(entered), minutes.tolist(), done.tolist(), strict=True
        )
    ]


def _medications(
    rng: np.random.Generator, ids: IdSource, profile: Profile, clock: Clock, created_at: int, plan: TherapyPlan
) -> None:
    for name, drug_class, share in MEDICATIONS:
        if rng.random() < share:
            start, stop = _span(rng, clock)
            plan.therapies.append(
                therapy_record(
                    ids, "medication", name, start, stop, entered_for(clock, created_at, start), drug_class=drug_class
                )
            )
            plan.drug_classes.append(drug_class)
    for name, nutrient, share in SUPPLEMENTS:
        if rng.random() < (0.5 if profile.rich and nutrient else share):
            start, stop = _span(rng, clock)
            plan.therapies.append(
                therapy_record(ids, "supplement", name, start, stop, entered_for(clock, created_at, start))
            )
            first = max(0, (start - clock.start).days)
            last = (stop - clock.start).days if stop else clock.n_days - 1
            target = plan.iron_days if nutrient == "iron" else plan.b12_days if nutrient == "b12" else None
            if target is not None and last >= 0:
                target[first : last + 1] = True


def _span(rng: np.random.Generator, clock: Clock) -> tuple[dt.date, dt.date | None]:
    """Some started before the diary began; some stop before its end."""
    start_day = int(rng.integers(-400, int(clock.n_days * 0.7)))
    start = clock.start + dt.timedelta(days=start_day)
    stop_day = start_day + int(rng.integers(60, 900))
    stop = clock.start + dt.timedelta(days=stop_day) if stop_day < clock.n_days - 1 else None
    return start, stop
