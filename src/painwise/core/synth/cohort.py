"""Assemble synthetic patients (export-format dicts) and the cohort's ground truth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from painwise.core.countries import country_for_zone
from painwise.core.errors import DomainError
from painwise.core.synth import diary, dosing, effects, labs, questionnaires, symptoms, therapy
from painwise.core.synth.clock import Clock, IdSource, iso_one
from painwise.core.synth.profiles import Profile, draw_profile

GENERATOR_VERSION = 1
MAX_YEARS = 10.0  # diary validation refuses records more than 10 years old
Progress = Callable[[int, int], None]


@dataclass
class SyntheticPatient:
    record: dict[str, Any]  # the export document (docs/import-format.md)
    truth: dict[str, Any]  # this patient's latent values for ground_truth.json


@dataclass
class Cohort:
    patients: list[dict[str, Any]]
    ground_truth: dict[str, Any]
    truths: list[dict[str, Any]] = field(default_factory=list)


def default_end_date() -> dt.date:
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)


def check_arguments(n_patients: int, years: float, effect_strength: float, end_date: dt.date | None) -> None:
    if isinstance(n_patients, bool) or not isinstance(n_patients, int) or n_patients < 1:
        raise DomainError(
            "synth.bad_patients", f"the number of patients must be a whole number >= 1, got {n_patients}", "patients"
        )
    if not (np.isfinite(years) and 0.25 <= years <= MAX_YEARS):
        raise DomainError("synth.bad_years", f"years must be from 0.25 to {MAX_YEARS:g}, got {years}", "years")
    if not (np.isfinite(effect_strength) and 0 <= effect_strength <= 10):
        raise DomainError(
            "synth.bad_effect_strength",
            f"effect strength must be from 0 to 10, got {effect_strength}",
            "effect_strength",
        )
    if end_date is not None and end_date > dt.datetime.now(dt.UTC).date():
        raise DomainError("synth.future_end_date", f"end date {end_date} is in the future", "end_date")


def generate_patient(
    seed: int | Sequence[int],
    *,
    username: str = "synth-0001",
    years: float = 2.0,
    end_date: dt.date | None = None,
    effect_strength: float = 1.0,
    rich: bool = False,
    sex: str | None = None,
    now: dt.datetime | None = None,
) -> SyntheticPatient:
    """One patient; ``rich=True`` gives the demo patient (kratom capsules + powder, PT + CBT + mindfulness,
    labs about every 3 months, at least one shedding episode)."""
    check_arguments(1, years, effect_strength, end_date)
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    ids = IdSource(np.random.default_rng(rng.integers(2**63)))
    end = end_date or default_end_date()
    start = end - dt.timedelta(days=round(years * 365.25) - 1)
    profile = draw_profile(rng, username, end, rich=rich, sex=sex)
    if rich:
        profile.daily_leaf_g = 8.0  # enough use for her ferritin to drift down over two years
    params = effects.EffectParameters(effect_strength=effect_strength)
    clock = Clock.for_span(start, end, profile.zone, now)
    created_at = clock.utc_of_date(start - dt.timedelta(days=1), 18.0)

    plan = therapy.build_plan(rng, ids, profile, clock, created_at)
    engagement = effects.therapy_engagement(plan.done_weight, plan.target_per_day, params)
    latent = diary.latent_pain(rng, profile, clock, engagement, effect_strength)
    kratom = dosing.build_kratom(rng, ids, profile, clock, created_at, latent)
    ferritin = effects.latent_ferritin(profile.baseline_ferritin, kratom.cumulative_leaf_g, plan.iron_days, params)
    episodes = effects.draw_shedding(rng, ferritin, params, at_least_one=rich)
    lab_records, lab_truth = labs.lab_results(
        rng, ids, profile, clock, ferritin, plan.b12_days, params, profile.kratom_user
    )
    active = diary.diary_days(rng, profile, clock)
    record = {
        "format": "painwise.export",
        "version": 1,
        "synthetic": True,
        "patient": {
            "id": ids.one(), "username": username, "date_of_birth": profile.date_of_birth.isoformat(),
            "sex_at_birth": profile.sex, "time_zone": profile.zone, "country": country_for_zone(profile.zone),
            "created_at": iso_one(created_at),
        },
        "conditions": _conditions(rng, ids, profile, start, iso_one(created_at)),
        "therapies": sorted(kratom.products + plan.therapies, key=lambda r: (r["start_date"], r["id"])),
        "pain_entries": _sorted(diary.pain_entries(rng, ids, profile, clock, latent, active)),
        "check_ins": _sorted(diary.check_ins(rng, ids, profile, clock, latent, active)),
        "dose_events": kratom.doses,
        "therapy_sessions": _sorted(plan.sessions),
        "side_effects": _sorted(symptoms.side_effects(rng, ids, clock, episodes, profile.kratom_user)),
        "lab_results": lab_records,
        # Drawn last, from their own stream, so adding them changed nothing drawn before.
        "questionnaire_responses": questionnaires.responses(
            np.random.default_rng(rng.integers(2**63)),
            IdSource(np.random.default_rng(rng.integers(2**63))),
            clock,
            latent,
        ),
    }  # fmt: skip
    truth = _truth(profile, kratom, plan, episodes, clock, lab_truth, record)
    return SyntheticPatient(record, truth)


def generate_demo_patient(
    seed: int = 1, *, username: str = "demo-patient", end_date: dt.date | None = None
) -> SyntheticPatient:
    """The rich demo patient: a two-year history, female, kratom capsules + leaf powder, PT + CBT + mindfulness."""
    return generate_patient(seed, username=username, years=2.0, end_date=end_date, rich=True, sex="female")


def generate_cohort(
    n_patients: int,
    years: float,
    seed: int,
    effect_strength: float = 1.0,
    end_date: dt.date | None = None,
    usernames: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Cohort:
    """``n_patients`` independent patients; patient i depends only on (seed, i), not on the cohort size."""
    check_arguments(n_patients, years, effect_strength, end_date)
    if usernames is not None and len(usernames) != n_patients:
        raise DomainError(
            "synth.bad_usernames", f"got {len(usernames)} usernames for {n_patients} patients", "usernames"
        )
    names = list(usernames) if usernames is not None else [f"synth-{i + 1:04d}" for i in range(n_patients)]
    if len(set(names)) != len(names):
        raise DomainError("synth.bad_usernames", "usernames must be unique", "usernames")
    end = end_date or default_end_date()
    patients, truths = [], []
    for index, name in enumerate(names):
        patient = generate_patient(
            [seed, index], username=name, years=years, end_date=end, effect_strength=effect_strength
        )
        patients.append(patient.record)
        truths.append(patient.truth)
        if progress is not None:
            progress(index + 1, n_patients)
    ground_truth = build_ground_truth(truths, seed=seed, years=years, end=end, effect_strength=effect_strength)
    return Cohort(patients, ground_truth, truths)


def build_ground_truth(
    truths: list[dict[str, Any]], *, seed: int, years: float, end: dt.date, effect_strength: float
) -> dict[str, Any]:
    params = effects.EffectParameters(effect_strength=effect_strength)
    return {
        "synthetic": True,
        "statement": effects.FICTION_STATEMENT,
        "generator": {"name": "painwise.core.synth", "version": GENERATOR_VERSION, "seed": seed, "years": years,
                      "n_patients": len(truths), "end_date": end.isoformat(), "effect_strength": effect_strength},
        "mechanism": {
            "name": "kratom_ferritin_hair_shedding",
            "fictional": True,
            "exposure": "cumulative leaf-equivalent grams of kratom from the recorded dose events, as computed by "
                        "painwise.core.exposure (products without a leaf equivalent and 7-OH products do not count)",
            "ferritin": "ferritin_t = baseline_i * exp(-beta * effect_strength * cumulative_leaf_kg_t) "
                        "* iron_supplement_factor (while taking iron) * exp(N(0, ferritin_measurement_sd_log))",
            "shedding": "monthly onset probability = min(max_hazard, base_hazard + gamma * effect_strength * "
                        "max(0, threshold - mean latent ferritin 60-120 days before the month)); episodes last "
                        "60-180 days and no new episode starts within 30 days of one resolving",
            "downstream": "serum iron (x ferritin ratio^0.3) and TIBC (x ratio^-0.15) follow latent ferritin",
            "therapy_response": "responders' daily pain falls by effect_strength * response_points * engagement, where "
                                "engagement (0-1) is an exponentially weighted share of the planned PT/CBT/mindfulness",
            "parameters": params.to_dict(),
        },
        "null_effects": {
            "analytes": ["b12", "hemoglobin", "tsh", "alt", "ast", "alp", "bilirubin", "testosterone"],
            "statement": "No planted link between kratom exposure (or ferritin) and these analytes, nor "
                         "between B12 and hair shedding; B12 rises only with B12 supplements. "
                         "An analysis should NOT find an effect.",
        },
        "patients": truths,
    }  # fmt: skip


def _truth(
    profile: Profile, kratom: dosing.KratomUse, plan: therapy.TherapyPlan, episodes: list[effects.Episode],
    clock: Clock, lab_truth: list[dict[str, object]], record: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    return {
        "username": profile.username,
        "patient_id": record["patient"]["id"],
        "sex_at_birth": profile.sex,
        "rich": profile.rich,
        "kratom_user": profile.kratom_user,
        "kratom_start_date": None if kratom.start_day is None else clock.date_of(kratom.start_day).isoformat(),
        "usual_daily_leaf_g": round(profile.daily_leaf_g, 2) if profile.kratom_user else 0.0,
        "escalator": profile.escalator,
        "escalation_factor": round(profile.escalation_factor, 3),
        "has_7oh_product": profile.has_7oh,
        "cumulative_leaf_kg_at_end": round(float(kratom.cumulative_leaf_g[-1]) / 1000, 4),
        "baseline_ferritin_ng_ml": round(profile.baseline_ferritin, 2),
        "baseline_b12_pg_ml": round(profile.baseline_b12, 2),
        "responder": profile.responder,
        "response_points": round(profile.response_points, 3),
        "modalities": profile.modalities,
        "adherence": round(profile.adherence, 3),
        "co_used_drug_classes": sorted(set(plan.drug_classes)),
        "lab_system_first": profile.lab_system,
        "switches_lab": profile.switches_lab,
        "lab_draws": lab_truth,
        "shedding_episodes": [
            {"onset_date": clock.date_of(e.onset_day).isoformat(),
             "resolved_date": None if e.resolved_day is None else clock.date_of(e.resolved_day).isoformat(),
             "ctcae_grade": e.grade, "lagged_latent_ferritin_ng_ml": round(e.lagged_ferritin, 2),
             "monthly_hazard": round(e.hazard, 4)}
            for e in episodes
        ],
    }  # fmt: skip


def _conditions(
    rng: np.random.Generator, ids: IdSource, profile: Profile, start: dt.date, entered: str
) -> list[dict[str, Any]]:
    records = []
    for condition in profile.conditions:
        onset = start - dt.timedelta(days=int(rng.integers(200, 365 * 12)))
        # An adult onset, yet before the diary starts (chronic pain has lasted > 3 months by then).
        onset = min(max(onset, profile.date_of_birth + dt.timedelta(days=365 * 18)), start - dt.timedelta(days=120))
        sites = [s for s in condition.body_sites if s in profile.sites] or list(condition.body_sites[:1])
        records.append({"id": ids.one(), "label": condition.label, "icd11_category": condition.icd11_category,
                        "body_sites": sites, "onset_date": onset.isoformat(), "end_date": None,
                        "entered_at": entered})  # fmt: skip
    return sorted(records, key=lambda r: (r["onset_date"], r["id"]))


def _sorted(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: (r["occurred_at"], r["id"]))
