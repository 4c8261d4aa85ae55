"""Who a synthetic patient is: fixed traits and the latent values the ground truth reports.

Everything here is drawn once per patient; the diary, dosing and lab modules read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

ZONES = ("Europe/London", "America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/Berlin")


@dataclass(frozen=True)
class ConditionTemplate:
    label: str
    icd11_category: str
    body_sites: tuple[str, ...]
    qualities: tuple[str, ...]


CONDITIONS = (
    ConditionTemplate("Chronic low back pain", "chronic_primary", ("lower_back", "hip_left"), ("aching", "stabbing")),
    ConditionTemplate("Fibromyalgia", "chronic_primary", ("widespread", "upper_back"), ("aching", "dull", "burning")),
    ConditionTemplate("Knee osteoarthritis", "musculoskeletal", ("knee_left", "knee_right"), ("aching", "sharp")),
    ConditionTemplate("Chronic neck and shoulder pain", "musculoskeletal", ("neck", "shoulder_right"), ("aching",)),
    ConditionTemplate(
        "Painful diabetic neuropathy", "neuropathic", ("foot_left", "foot_right"), ("burning", "tingling", "shooting")
    ),
    ConditionTemplate("Chronic pain after hip surgery", "post_surgical_traumatic", ("hip_right",), ("aching", "sharp")),
    ConditionTemplate("Chronic pelvic pain", "visceral", ("pelvis", "abdomen"), ("cramping", "dull")),
    ConditionTemplate("Chronic post-traumatic headache", "headache_orofacial", ("head", "neck"), ("throbbing", "dull")),
)


@dataclass
class Profile:
    """Traits and latent values of one synthetic patient (``rich`` = the fully featured demo patient)."""

    username: str
    sex: str
    date_of_birth: dt.date
    zone: str
    conditions: list[ConditionTemplate]
    sites: list[str]
    rich: bool
    # Diary habits
    diary_days_fraction: float
    pain_level: float
    pain_trend_per_year: float
    weekly_swing: float
    # Kratom
    kratom_user: bool
    daily_leaf_g: float
    doses_per_day: int
    escalator: bool
    escalation_factor: float  # multiplier reached by the last day (1 = none)
    has_7oh: bool
    # Therapy response (planted, scaled by effect_strength)
    modalities: list[str]
    adherence: float
    responder: bool
    response_points: float
    # Labs
    baseline_ferritin: float  # ng/mL
    baseline_b12: float  # pg/mL
    lab_system: str  # "US" or "SI" first lab; some patients switch
    switches_lab: bool
    drinker_rate: float
    extras: dict[str, object] = field(default_factory=dict)


def draw_profile(rng: np.random.Generator, username: str, end: dt.date, *, rich: bool, sex: str | None) -> Profile:
    sex = sex or ("female" if rng.random() < 0.6 else "male")
    age_years = int(rng.integers(24, 72))
    date_of_birth = end - dt.timedelta(days=int(age_years * 365.25 + rng.integers(0, 365)))
    picks = rng.choice(len(CONDITIONS), size=1 + int(rng.random() < 0.4), replace=False)
    conditions = [CONDITIONS[int(i)] for i in picks]
    all_sites = list(dict.fromkeys(site for c in conditions for site in c.body_sites))
    n_sites = min(len(all_sites), 3 if rich else int(rng.integers(2, 4)))
    sites = all_sites[:n_sites] if n_sites >= 2 else [*all_sites, "upper_back"][:2]

    kratom_user = rich or rng.random() < 0.85
    escalator = kratom_user and not rich and rng.random() < 0.2
    modalities = ["physical_therapy", "cbt", "mindfulness"] if rich else _pick_modalities(rng)
    responder = bool(modalities) and (rich or rng.random() < 0.5)
    ferritin_median = 55.0 if sex == "female" else 110.0
    return Profile(
        username=username,
        sex=sex,
        date_of_birth=date_of_birth,
        zone="Europe/London" if rich else str(rng.choice(ZONES)),
        conditions=conditions,
        sites=sites,
        rich=rich,
        diary_days_fraction=0.85 if rich else float(rng.uniform(0.55, 0.95)),
        pain_level=float(rng.uniform(4.0, 7.0)),
        pain_trend_per_year=float(rng.normal(0.0, 0.35)),
        weekly_swing=float(rng.uniform(0.4, 1.2)),
        kratom_user=kratom_user,
        # Survey-typical amounts (clinical_reference.md §6: 1-3 g per use, often daily); descriptive only.
        daily_leaf_g=float(np.clip(rng.lognormal(np.log(5.0), 0.5), 1.5, 20.0)),
        doses_per_day=2 if rich else int(rng.choice([1, 2, 3, 4], p=[0.2, 0.35, 0.3, 0.15])),
        escalator=escalator,
        escalation_factor=float(rng.uniform(1.8, 3.0)) if escalator else 1.0,
        has_7oh=kratom_user and not rich and rng.random() < 0.07,
        modalities=modalities,
        adherence=0.8 if rich else float(rng.beta(6, 2.5)),
        responder=responder,
        response_points=float(rng.uniform(1.5, 3.0)) if responder else 0.0,
        baseline_ferritin=float(np.clip(rng.lognormal(np.log(40.0 if rich else ferritin_median), 0.45), 8, 400)),
        baseline_b12=float(np.clip(rng.lognormal(np.log(420.0), 0.3), 120, 1400)),
        lab_system="US" if rich or rng.random() < 0.6 else "SI",
        switches_lab=rich or rng.random() < 0.25,
        drinker_rate=0.0 if rng.random() < 0.4 else float(rng.uniform(0.2, 1.5)),
    )


def _pick_modalities(rng: np.random.Generator) -> list[str]:
    chosen = [name for name, p in (("physical_therapy", 0.6), ("cbt", 0.4), ("mindfulness", 0.45)) if rng.random() < p]
    return chosen
