"""Kratom products and dose events, and the exposure they add up to (via painwise.core.exposure).

Amounts describe what synthetic patients record; they are not dosing guidance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from painwise.core.exposure import Dose, Product, exposure_series
from painwise.core.synth.clock import Clock, IdSource, iso
from painwise.core.synth.profiles import Profile
from painwise.core.synth.therapy import entered_for, therapy_record

Record = dict[str, object]
STRAINS = ("Maeng Da", "Bali", "Borneo", "Thai", "Malay")
COLOURS = ("Green", "Red", "White")
# Usual clock times of 1-4 daily doses.
SLOTS = {1: [9.0], 2: [8.5, 16.0], 3: [8.0, 13.0, 19.0], 4: [7.5, 11.5, 16.0, 21.0]}


@dataclass
class KratomUse:
    products: list[Record] = field(default_factory=list)
    doses: list[Record] = field(default_factory=list)
    daily_leaf_g: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cumulative_leaf_g: np.ndarray = field(default_factory=lambda: np.zeros(0))
    start_day: int | None = None


@dataclass
class _Product:
    record: Record
    first: int
    last: int
    regular: bool = True


def _content(rng: np.random.Generator) -> float | None:
    # A minority of products come with a measured mitragynine content (certificate of analysis).
    return round(float(rng.uniform(8.0, 19.0)), 1) if rng.random() < 0.3 else None


def _products(
    rng: np.random.Generator, ids: IdSource, profile: Profile, clock: Clock, created_at: int, first: int
) -> list[_Product]:
    n = clock.n_days
    strain = f"{rng.choice(COLOURS)} {rng.choice(STRAINS)}"
    powder_first = profile.rich or rng.random() < 0.55
    kinds = ["leaf_powder", "capsule"] if powder_first else ["capsule", "leaf_powder"]
    second = profile.rich or rng.random() < 0.4
    chosen: list[_Product] = []
    for position, form in enumerate(kinds[: 1 + int(second)]):
        begin = first if position == 0 else int(rng.integers(first, max(first + 1, n - 30)))
        per_unit = 1.0 if form == "leaf_powder" else float(rng.choice([0.5, 0.6, 0.75, 0.8, 1.0]))
        name = f"{strain} powder" if form == "leaf_powder" else f"{strain} capsules {int(per_unit * 1000)} mg"
        start = clock.date_of(begin)
        record = therapy_record(
            ids, "kratom", name, start, None, entered_for(clock, created_at, start), strain=strain.split(" ", 1)[1],
            form=form, unit="g" if form == "leaf_powder" else "capsule", leaf_g_per_unit=per_unit,
            mitragynine_mg_per_g=_content(rng),
        )  # fmt: skip
        chosen.append(_Product(record, begin, n - 1))
    if not profile.rich and rng.random() < 0.1:
        chosen.append(_occasional(rng, ids, clock, created_at, first, "extract", "Kratom extract tincture", "mL"))
    if profile.has_7oh:
        chosen.append(_occasional(rng, ids, clock, created_at, first, "7oh", "7-OH tablets 15 mg", "mg"))
    return chosen


def _occasional(
    rng: np.random.Generator, ids: IdSource, clock: Clock, created_at: int, first: int, form: str, name: str, unit: str
) -> _Product:
    """An extra product used now and then; its leaf equivalent is unknown (kept in its own unit)."""
    begin = int(rng.integers(first, max(first + 1, clock.n_days - 20)))
    start = clock.date_of(begin)
    record = therapy_record(
        ids, "kratom", name, start, None, entered_for(clock, created_at, start), form=form, unit=unit
    )
    return _Product(record, begin, clock.n_days - 1, regular=False)


def _lapses(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days with no use at all, in short runs (ran out, tried a break, forgot)."""
    lapse = np.zeros(n, dtype=bool)
    for start in np.flatnonzero(rng.random(n) < 0.025).tolist():
        lapse[start : start + int(rng.integers(1, 5))] = True
    return lapse


def build_kratom(
    rng: np.random.Generator, ids: IdSource, profile: Profile, clock: Clock, created_at: int, latent: np.ndarray
) -> KratomUse:
    n = clock.n_days
    use = KratomUse(daily_leaf_g=np.zeros(n), cumulative_leaf_g=np.zeros(n))
    if not profile.kratom_user:
        return use
    first = 0 if profile.rich or rng.random() < 0.5 else int(rng.integers(0, max(1, int(n * 0.4))))
    use.start_day = first
    products = _products(rng, ids, profile, clock, created_at, first)
    use.products = [p.record for p in products]
    t = np.arange(n)
    # Escalators' daily amount grows steadily from first use to the end of the record.
    growth = 1 + (profile.escalation_factor - 1) * np.clip((t - first) / max(1, n - 1 - first), 0, 1)
    daily = profile.daily_leaf_g * growth * np.exp(rng.normal(0, 0.15, n))
    per_day = np.minimum(4, profile.doses_per_day + (growth > 1.6).astype(int))
    active = (t >= first) & ~_lapses(rng, n)
    day_list, hour_list, grams_list, status_list = [], [], [], []
    for k in (1, 2, 3, 4):
        days = np.flatnonzero(active & (per_day == k))
        for hour in SLOTS[k]:
            day_list.append(days)
            hour_list.append(hour + rng.normal(0, 0.6, len(days)))
            grams_list.append(daily[days] / k)
            status_list.append(np.where(rng.random(len(days)) < 0.06, "skipped", "taken"))
    # As-needed extra doses on bad days (pain well above the patient's usual level).
    bad = np.flatnonzero(active & (latent.mean(axis=1) > profile.pain_level + 0.8) & (rng.random(n) < 0.5))
    day_list.append(bad)
    hour_list.append(rng.uniform(12, 22, len(bad)))
    grams_list.append(daily[bad] / per_day[bad])
    status_list.append(np.full(len(bad), "as_needed"))
    days = np.concatenate(day_list)
    hours = np.concatenate(hour_list)
    grams = np.concatenate(grams_list)
    status = np.concatenate(status_list)
    regular = [p for p in products if p.regular]
    product_index = _assign(rng, regular, days)
    records: list[Record] = []
    for index, product in enumerate(regular):
        mask = product_index == index
        per_unit = float(product.record["leaf_g_per_unit"])  # type: ignore[arg-type]
        if product.record["unit"] == "g":
            amounts = np.clip(np.round(grams[mask] * 2) / 2, 0.5, 50)
        else:
            amounts = np.clip(np.round(grams[mask] / per_unit), 1, 40)
        records += _dose_records(rng, ids, clock, product.record, days[mask], hours[mask], amounts, status[mask])
    for product in products:
        if not product.regular:
            records += _occasional_doses(rng, ids, clock, product, active)
    records.sort(key=lambda r: (r["occurred_at"], r["id"]))
    use.doses = records
    summary = _exposure(use.products, records, clock)
    use.daily_leaf_g = summary["leaf_g"].to_numpy()
    use.cumulative_leaf_g = summary["leaf_g_cumulative"].to_numpy()
    return use


def _assign(rng: np.random.Generator, regular: list[_Product], days: np.ndarray) -> np.ndarray:
    """Which regular product each dose uses: the first until a second appears, then a mix."""
    index = np.zeros(len(days), dtype=int)
    if len(regular) > 1:
        second = regular[1]
        index[(days >= second.first) & (rng.random(len(days)) < 0.4)] = 1
    return index


def _occasional_doses(
    rng: np.random.Generator, ids: IdSource, clock: Clock, product: _Product, active: np.ndarray
) -> list[Record]:
    days = np.flatnonzero(active & (np.arange(clock.n_days) >= product.first) & (rng.random(clock.n_days) < 0.05))
    amounts = np.full(len(days), 15.0) if product.record["form"] == "7oh" else np.round(rng.uniform(1, 5, len(days)), 1)
    status = np.where(rng.random(len(days)) < 0.7, "as_needed", "taken")
    return _dose_records(rng, ids, clock, product.record, days, rng.uniform(14, 22, len(days)), amounts, status)


def _dose_records(
    rng: np.random.Generator, ids: IdSource, clock: Clock, product: Record, days: np.ndarray, hours: np.ndarray,
    amounts: np.ndarray, status: np.ndarray,
) -> list[Record]:  # fmt: skip
    occurred = clock.to_utc(days, np.clip(hours, 5, 23.9))
    keep = clock.keep_past(occurred)
    occurred, amounts, status = occurred[keep], amounts[keep], status[keep]
    entered = clock.entered_after(occurred, rng)
    return [
        {"id": rid, "occurred_at": occ, "entered_at": ent, "product_id": product["id"], "amount": round(float(a), 3),
         "unit": product["unit"], "status": st}
        for rid, occ, ent, a, st in zip(
            ids.take(len(occurred)), iso(occurred), iso(entered), amounts.tolist(), status.tolist(), strict=True
        )
    ]  # fmt: skip


def _exposure(products: list[Record], doses: list[Record], clock: Clock) -> pd.DataFrame:
    """Daily and cumulative leaf grams exactly as painwise.core.exposure computes them from the records."""
    catalogue = [
        Product(str(p["id"]), str(p["form"]), str(p["unit"]), p["leaf_g_per_unit"], p["mitragynine_mg_per_g"])  # type: ignore[arg-type]
        for p in products
    ]
    zone_day = _local_days(doses, clock)
    events = [
        Dose(str(d["product_id"]), day, float(d["amount"]), str(d["unit"]), str(d["status"]))  # type: ignore[arg-type]
        for d, day in zip(doses, zone_day, strict=True)
    ]
    return exposure_series(catalogue, events, clock.start, clock.end).summary


def _local_days(records: list[Record], clock: Clock) -> list[dt.date]:
    """The patient's local day of each record (diary days are local, not UTC)."""
    stamps = pd.to_datetime([r["occurred_at"] for r in records], utc=True).tz_convert(clock.zone)
    return [d.date() for d in stamps.normalize()]
