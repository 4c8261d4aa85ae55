"""Blood tests every few months, reported in US or SI units by two fictional laboratories.

Values are drawn in US (conventional) units and converted with the factors of clinical_reference.md §3.
Only ferritin carries the planted (FICTIONAL) effect; iron and TIBC follow ferritin as iron stores do;
B12, haemoglobin, TSH, liver tests and testosterone are NOT linked to kratom (null effects).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from painwise.core.synth.clock import Clock, IdSource, iso
from painwise.core.synth.effects import EffectParameters
from painwise.core.synth.profiles import Profile

Record = dict[str, object]
LAB_NAMES = {"US": "Riverside Clinical Laboratory (fictional)", "SI": "Northgate Pathology (fictional)"}


@dataclass(frozen=True)
class AnalyteUnits:
    us_unit: str
    si_unit: str
    factor: float  # US value x factor = SI value (clinical_reference.md §3)
    us_range: dict[str, tuple[float, float]]  # by sex; each lab reports its own range
    si_range: dict[str, tuple[float, float]]


def _both(low: float, high: float) -> dict[str, tuple[float, float]]:
    return {"female": (low, high), "male": (low, high)}


# ASCII UCUM-style unit spellings (u = micro). One table so they can follow painwise.core.labs.
ANALYTES: dict[str, AnalyteUnits] = {
    "b12": AnalyteUnits("pg/mL", "pmol/L", 0.7378, _both(200, 900), _both(148, 664)),
    "ferritin": AnalyteUnits(
        "ng/mL", "ug/L", 1.0, {"female": (11, 307), "male": (24, 336)}, {"female": (15, 150), "male": (30, 400)}
    ),
    "iron": AnalyteUnits("ug/dL", "umol/L", 0.1791, _both(60, 170), _both(10.7, 30.4)),
    "tibc": AnalyteUnits("ug/dL", "umol/L", 0.1791, _both(250, 450), _both(45, 80)),
    "hemoglobin": AnalyteUnits(
        "g/dL", "g/L", 10.0, {"female": (12.0, 16.0), "male": (13.5, 17.5)}, {"female": (120, 160), "male": (130, 170)}
    ),
    "tsh": AnalyteUnits("mIU/L", "mIU/L", 1.0, _both(0.4, 4.5), _both(0.27, 4.2)),
    "alt": AnalyteUnits("U/L", "U/L", 1.0, _both(7, 56), {"female": (0, 33), "male": (0, 41)}),
    "ast": AnalyteUnits("U/L", "U/L", 1.0, _both(10, 40), _both(0, 35)),
    "alp": AnalyteUnits("U/L", "U/L", 1.0, _both(44, 147), _both(30, 130)),
    "bilirubin": AnalyteUnits("mg/dL", "umol/L", 17.1, _both(0.1, 1.2), _both(3, 21)),
    "testosterone": AnalyteUnits("ng/dL", "nmol/L", 0.0347, {"male": (264, 916)}, {"male": (8.6, 29.0)}),
}
DECIMALS = {"U/L": 0, "pg/mL": 0, "pmol/L": 0, "ng/mL": 1, "ug/L": 1, "ug/dL": 0, "umol/L": 1, "g/dL": 1, "g/L": 0,
            "mIU/L": 2, "mg/dL": 2, "ng/dL": 0, "nmol/L": 1}  # fmt: skip


@dataclass(frozen=True)
class LabTraits:
    """Per-patient baselines in US units for the analytes with no planted effect."""

    iron: float
    tibc: float
    hemoglobin: float
    tsh: float
    alt: float
    ast: float
    alp: float
    bilirubin: float
    testosterone: float


def draw_traits(rng: np.random.Generator, profile: Profile) -> LabTraits:
    male = profile.sex == "male"
    return LabTraits(
        iron=float(rng.normal(100, 18)),
        tibc=float(rng.normal(330, 35)),
        hemoglobin=float(rng.normal(14.9 if male else 13.4, 0.8)),
        tsh=float(rng.lognormal(np.log(1.8), 0.35)),
        alt=float(rng.lognormal(np.log(24 if male else 18), 0.3)),
        ast=float(rng.lognormal(np.log(23 if male else 20), 0.25)),
        alp=float(rng.normal(75, 15)),
        bilirubin=float(rng.lognormal(np.log(0.6), 0.3)),
        testosterone=float(rng.normal(560, 130)),
    )


def draw_days(rng: np.random.Generator, clock: Clock, rich: bool) -> np.ndarray:
    """Draw days: the first within a month, then every ~3 months (2-4 months apart)."""
    days, day = [], int(rng.integers(3, 30))
    while day < clock.n_days:
        days.append(day)
        day += 91 if rich and rng.random() < 0.7 else int(rng.integers(60, 121))
    return np.array(days, dtype=int)


def lab_results(
    rng: np.random.Generator, ids: IdSource, profile: Profile, clock: Clock, ferritin: np.ndarray,
    b12_supplement: np.ndarray, params: EffectParameters, kratom_user: bool,
) -> tuple[list[Record], list[dict[str, object]]]:  # fmt: skip
    """Records plus the true (latent) ferritin at each draw for the ground truth."""
    traits = draw_traits(rng, profile)
    days = draw_days(rng, clock, profile.rich)
    collected = clock.to_utc(days, rng.uniform(7.5, 10.5, len(days)))
    keep = clock.keep_past(collected)
    days, collected = days[keep], collected[keep]
    entered = clock.entered_after(collected, rng, lab=True)
    switch_day = int(rng.integers(clock.n_days // 4, max(clock.n_days // 4 + 1, 3 * clock.n_days // 4)))
    other = "SI" if profile.lab_system == "US" else "US"
    records: list[Record] = []
    truth: list[dict[str, object]] = []

    def noise(sd: float) -> float:  # multiplicative: lab values are skewed and never negative
        return float(np.exp(rng.normal(0, sd)))

    for day, col, ent in zip(days.tolist(), iso(collected), iso(entered), strict=True):
        system = other if profile.switches_lab and day >= switch_day else profile.lab_system
        stores = ferritin[day] / profile.baseline_ferritin  # iron follows iron stores, weakly
        values = {
            "ferritin": ferritin[day] * noise(params.ferritin_measurement_sd_log),
            "iron": traits.iron * stores**0.3 * noise(0.2),
            "tibc": traits.tibc * stores**-0.15 * noise(0.06),
            "hemoglobin": traits.hemoglobin * noise(0.03),
            # B12 is a null effect for kratom: only the patient's baseline and B12 supplements move it.
            "b12": profile.baseline_b12 * (params.b12_supplement_factor if b12_supplement[day] else 1.0) * noise(0.12),
        }
        if kratom_user or rng.random() < 0.5:  # liver tests for everyone using kratom (§4 monitoring)
            values.update(alt=traits.alt * noise(0.2), ast=traits.ast * noise(0.15), alp=traits.alp * noise(0.08),
                          bilirubin=traits.bilirubin * noise(0.2))  # fmt: skip
        if rng.random() < 0.5:
            values["tsh"] = traits.tsh * noise(0.2)
        if profile.sex == "male" and rng.random() < 0.7:
            values["testosterone"] = traits.testosterone * noise(0.15)
        for analyte, us_value in values.items():
            records.append(_result(ids.one(), analyte, us_value, system, profile.sex, col, ent))
        truth.append({"day": clock.date_of(day).isoformat(), "latent_ferritin_ng_ml": round(float(ferritin[day]), 2)})
    records.sort(key=lambda r: (r["collected_at"], r["id"]))
    return records, truth


def _result(rid: str, analyte: str, us_value: float, system: str, sex: str, collected: str, entered: str) -> Record:
    spec = ANALYTES[analyte]
    unit, factor = (spec.us_unit, 1.0) if system == "US" else (spec.si_unit, spec.factor)
    low, high = (spec.us_range if system == "US" else spec.si_range)[sex]
    digits = DECIMALS[unit]
    # Never report 0: the smallest value the lab's precision can show.
    value = max(round(us_value * factor, digits), 10.0**-digits)
    return {
        "id": rid, "analyte": analyte, "value": float(value), "unit": unit, "ref_low": float(low),
        "ref_high": float(high), "collected_at": collected, "entered_at": entered, "lab_name": LAB_NAMES[system],
        "note": "",
    }  # fmt: skip
