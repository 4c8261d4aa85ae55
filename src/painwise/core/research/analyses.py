"""Cohort analyses of kratom exposure, blood results and hair shedding (pure: tables in, results out).

- `<analyte>_exposure`: within-patient (patient fixed effects) association of ln(result in the analyte's
  canonical unit) with cumulative leaf-equivalent kg at the draw. OLS on within-patient deviations, adjusted
  for taking an iron (ferritin, haemoglobin) or B12 supplement at the draw; standard errors clustered by
  patient (small-sample factor G/(G-1)·(N-1)/(N-1-K)), t with G-1 degrees of freedom.
- `shedding_exposure`: time to the first hair-shedding onset, cumulative kg as a time-varying covariate
  (30-day steps, the value at the start of each step), adjusted for age, sex and ln(baseline ferritin);
  lifelines' CoxTimeVaryingFitter (Efron ties). Patients with shedding already at the start of follow-up
  or without a ferritin result are left out and counted.
- `mediation`: the difference method on the log-hazard scale — the exposure coefficient without and with
  the current (last measured) ln ferritin, or ln B12, in the model; share = (total − direct) / total.
  95% CIs and the p-value of the indirect part come from a bootstrap over patients.

Every result says that an association is not proof of cause and names confounders the data cannot rule out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from painwise.core.errors import DomainError
from painwise.core.research.cohort import Cohort, canonical_unit
from painwise.core.research.cox import fit_cox
from painwise.core.research.results import ResearchResult

STEP_DAYS = 30
MEDIATOR_LAG_DAYS = 60
MIN_EVENTS = 5
DEFAULT_BOOTSTRAP = 200
LAB_ANALYSES = {
    "ferritin_exposure": "ferritin",
    "b12_exposure": "b12",
    "testosterone_exposure": "testosterone",
    "haemoglobin_exposure": "hemoglobin",
}
LAB_NAMES = {"ferritin": "Ferritin", "b12": "Vitamin B12", "testosterone": "Testosterone", "hemoglobin": "Haemoglobin"}
ANALYSIS_NAMES = (*LAB_ANALYSES, "shedding_exposure", "mediation")
# Mediators are the shortfall below a clinical threshold (canonical units), thresholds from the literature
# (docs/research.md says why this form and not ln(value)): ferritin below ~40 ng/mL is the level discussed
# for hair (AGA <45 ng/mL for iron deficiency; clinicians' ~40 ng/mL target; Rasheed 2013 TE cut-offs
# 27.5-29.4); B12 >= 300 pg/mL makes deficiency unlikely (clinical_reference.md §3, §5e). Shortfalls are
# per 10 ng/mL and per 100 pg/mL.
SHORTFALL_BELOW = {"ferritin": 40.0, "b12": 300.0}
# Time-varying supplements that move a result, adjusted for in the within-patient regressions.
SUPPLEMENT_ADJUSTMENT = {"ferritin": ("on_iron",), "hemoglobin": ("on_iron",), "b12": ("on_b12",)}


def _missing(name: str, message: str, field: str) -> DomainError:
    return DomainError("research.missing_data", f"{name}: {message}", field)


def lab_exposure(cohort: Cohort, analyte: str, name: str | None = None) -> ResearchResult:
    """ln(result) on cumulative leaf kg with a fixed effect per patient (within-patient change only)."""
    name = name or f"{analyte}_exposure"
    frame = cohort.labs[cohort.labs["analyte"] == analyte]
    counts = frame.groupby("patient")["value"].transform("size")
    frame = frame[counts >= 2]
    patients = frame["patient"].nunique()
    if patients < 3:
        raise _missing(
            name,
            f"needs {LAB_NAMES[analyte].lower()} results from at least 3 patients with 2 or more results each; "
            f"found {patients}",
            "lab_results",
        )
    groups = pd.factorize(frame["patient"])[0]
    sizes = np.bincount(groups)

    def within(values: np.ndarray) -> np.ndarray:
        return values - (np.bincount(groups, values) / sizes)[groups]

    y = within(np.log(frame["value"].to_numpy()))
    columns = {"cumulative leaf kg": within(frame["cum_kg"].to_numpy(dtype=float))}
    if float(columns["cumulative leaf kg"] @ columns["cumulative leaf kg"]) <= 1e-12:
        raise _missing(name, "no patient's cumulative kratom exposure changed between two draws", "dose_events")
    notes = []
    for flag in SUPPLEMENT_ADJUSTMENT.get(analyte, ()):
        column = within(frame[flag].to_numpy(dtype=float))
        if float(column @ column) > 1e-12:
            columns[flag.replace("_", " ") + " supplement"] = column
            notes.append(f"Adjusted for taking an {flag[3:]} supplement at the draw (it changes the result).")
    x = np.column_stack(list(columns.values()))
    bread = np.linalg.inv(x.T @ x)
    coef = bread @ (x.T @ y)
    residual = y - x @ coef
    n, g, k = len(y), patients, x.shape[1]
    scores = np.vstack([np.bincount(groups, x[:, j] * residual, minlength=g) for j in range(k)]).T
    covariance = bread @ (scores.T @ scores) @ bread * g / (g - 1) * (n - 1) / max(n - 1 - k, 1)
    ses = np.sqrt(np.diag(covariance))
    dof = g - 1
    t_crit = float(stats.t.ppf(0.975, dof))
    pvalues = 2 * stats.t.sf(np.abs(coef / np.where(ses > 0, ses, np.nan)), dof)
    summary = pd.DataFrame(
        {"estimate": coef, "ci_low": coef - t_crit * ses, "ci_high": coef + t_crit * ses, "std_error": ses,
         "p_value": pvalues},
        index=pd.Index(list(columns), name="term"),
    )  # fmt: skip
    slope, se = float(coef[0]), float(ses[0])
    low, high, p = float(summary["ci_low"].iloc[0]), float(summary["ci_high"].iloc[0]), float(pvalues[0])
    unit = canonical_unit(analyte)
    percent = [100 * (np.exp(v) - 1) for v in (slope, low, high)]
    return ResearchResult(
        name=name,
        title=f"{LAB_NAMES[analyte]} and cumulative kratom exposure",
        measure=f"change in ln({analyte} in {unit}) per kg of cumulative leaf-equivalent kratom, within patients",
        estimate=slope,
        ci_low=low,
        ci_high=high,
        p_value=p,
        summary=summary,
        extra={
            "analyte": analyte,
            "unit": unit,
            "std_error": se,
            "percent_change_per_kg": percent[0],
            "percent_change_ci": percent[1:],
            "patients": patients,
            "results": n,
        },
        notes=[
            "Only change within each patient is used (patient fixed effects): stable differences between "
            "patients cannot explain the estimate, but anything that changes over time alongside use can.",
            *notes,
            *cohort.notes,
        ],
    )


def survival_table(cohort: Cohort) -> tuple[pd.DataFrame, dict[str, int]]:
    """Counting-process rows (one per patient per 30-day step) up to the first onset or the end of follow-up."""
    labs = {key: group for key, group in cohort.labs.groupby(["patient", "analyte"])}
    rows: list[pd.DataFrame] = []
    excluded = {"no_ferritin": 0, "shedding_at_start": 0}
    for patient in cohort.patients.itertuples(index=False):
        ferritin = labs.get((patient.patient, "ferritin"))
        if ferritin is None or not len(ferritin):
            excluded["no_ferritin"] += 1
            continue
        onset = patient.first_onset
        if pd.notna(onset) and onset <= patient.start:
            excluded["shedding_at_start"] += 1
            continue
        last = (patient.end - patient.start).days + 1
        stop = (onset - patient.start).days if pd.notna(onset) and onset <= patient.end else last
        starts = np.arange(0, stop, STEP_DAYS)
        stops = np.minimum(starts + STEP_DAYS, stop)
        event = np.zeros(len(starts), dtype=int)
        event[-1] = int(pd.notna(onset) and onset <= patient.end)
        cumulative = cohort.cumulative_kg[patient.patient]
        ferritin_days = ((ferritin["day"] - patient.start).dt.days).to_numpy()
        ferritin_values = np.log(ferritin["value"].to_numpy())
        current = _last_measured(ferritin_days, ferritin["value"].to_numpy(), starts - MEDIATOR_LAG_DAYS)
        b12 = labs.get((patient.patient, "b12"))
        current_b12 = (
            _last_measured(
                ((b12["day"] - patient.start).dt.days).to_numpy(), b12["value"].to_numpy(), starts - MEDIATOR_LAG_DAYS
            )
            if b12 is not None and len(b12)
            else np.full(len(starts), np.nan)
        )
        rows.append(
            pd.DataFrame(
                {
                    "id": patient.patient,
                    "start": starts,
                    "stop": stops,
                    "event": event,
                    "cum_kg": cumulative[np.minimum(starts, len(cumulative) - 1)],
                    "age": patient.age,
                    "sex_male": float(patient.sex == "male"),
                    "ln_baseline_ferritin": ferritin_values[np.argmin(ferritin_days)],
                    "ferritin_shortfall": np.maximum(0.0, SHORTFALL_BELOW["ferritin"] - current) / 10,
                    "b12_shortfall": np.maximum(0.0, SHORTFALL_BELOW["b12"] - current_b12) / 100,
                }
            )
        )
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return table, excluded


def _last_measured(days: np.ndarray, values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The last value measured on or before each day in `at` (the first value before any measurement)."""
    order = np.argsort(days, kind="stable")
    days, values = days[order], values[order]
    index = np.searchsorted(days, at, side="right") - 1
    return values[np.maximum(index, 0)]


def _covariates(table: pd.DataFrame, notes: list[str]) -> list[str]:
    covariates = ["cum_kg", "age", "sex_male", "ln_baseline_ferritin"]
    for column in ("age", "sex_male"):
        if table[column].nunique() < 2:
            covariates.remove(column)
            notes.append(f"{column} does not vary in this cohort, so the model is not adjusted for it.")
    return covariates


def _events_or_fail(name: str, table: pd.DataFrame) -> int:
    events = int(table["event"].sum()) if len(table) else 0
    if events < MIN_EVENTS:
        raise _missing(
            name,
            f"needs at least {MIN_EVENTS} first hair-shedding onsets during follow-up in patients with a ferritin "
            f"result; found {events}",
            "side_effects",
        )
    return events


def shedding_exposure(cohort: Cohort) -> ResearchResult:
    from lifelines import CoxTimeVaryingFitter

    name = "shedding_exposure"
    table, excluded = survival_table(cohort)
    events = _events_or_fail(name, table)
    notes: list[str] = []
    covariates = _covariates(table, notes)
    fitter = CoxTimeVaryingFitter()
    fitter.fit(
        table[["id", "start", "stop", "event", *covariates]],
        id_col="id", start_col="start", stop_col="stop", event_col="event", show_progress=False,
    )  # fmt: skip
    s = fitter.summary
    summary = pd.DataFrame(
        {
            "estimate": s["exp(coef)"],
            "ci_low": s["exp(coef) lower 95%"],
            "ci_high": s["exp(coef) upper 95%"],
            "coef": s["coef"],
            "std_error": s["se(coef)"],
            "p_value": s["p"],
        }
    ).rename(index={"cum_kg": "cumulative leaf kg", "age": "age (per year)", "sex_male": "male sex",
                    "ln_baseline_ferritin": "ln baseline ferritin"})  # fmt: skip
    summary.index.name = "term"
    head = summary.loc["cumulative leaf kg"]
    if excluded["shedding_at_start"] or excluded["no_ferritin"]:
        notes.append(
            f"Left out: {excluded['shedding_at_start']} patient(s) already shedding at the start of follow-up, "
            f"{excluded['no_ferritin']} without a ferritin result (baseline ferritin is a covariate)."
        )
    return ResearchResult(
        name=name,
        title="Hair-shedding onset and cumulative kratom exposure",
        measure="hazard ratio of a first hair-shedding onset per kg of cumulative leaf-equivalent kratom",
        estimate=float(head["estimate"]),
        ci_low=float(head["ci_low"]),
        ci_high=float(head["ci_high"]),
        p_value=float(head["p_value"]),
        summary=summary,
        extra={
            "hazard_ratio_per_kg": float(head["estimate"]),
            "events": events,
            "patients": int(table["id"].nunique()),
            "person_days": int((table["stop"] - table["start"]).sum()),
            "adjusted_for": [c for c in covariates if c != "cum_kg"],
            "excluded": excluded,
        },
        notes=notes,
        headline_key="hazard_ratio",
        null_value=1.0,
    )


def _mediation_coefficients(table: pd.DataFrame, covariates: list[str]) -> dict[str, float]:
    columns = {
        "total": covariates,
        "ferritin": [*covariates, "ferritin_shortfall"],
        "b12": [*covariates, "b12_shortfall"],
    }
    out = {}
    for key, cols in columns.items():
        rows = table.dropna(subset=cols)
        fit = fit_cox(
            rows[cols].to_numpy(), rows["start"].to_numpy(), rows["stop"].to_numpy(), rows["event"].to_numpy()
        )
        out[key] = float(fit.coef[0])
    return out


def mediation(cohort: Cohort, n_bootstrap: int = DEFAULT_BOOTSTRAP, seed: int = 1) -> ResearchResult:
    name = "mediation"
    table, _excluded = survival_table(cohort)
    events = _events_or_fail(name, table)
    if table["b12_shortfall"].isna().all():
        raise _missing(name, "needs B12 results to test B12 as a mediator; found none", "lab_results")
    if n_bootstrap < 20:
        raise DomainError("research.bad_option", "the bootstrap needs at least 20 resamples", "bootstrap")
    notes: list[str] = []
    covariates = _covariates(table, notes)
    point = _mediation_coefficients(table, covariates)
    by_patient = {key: group for key, group in table.groupby("id", sort=False)}
    ids = np.array(list(by_patient))
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_bootstrap):
        chosen = rng.choice(ids, size=len(ids), replace=True)
        sample = pd.concat(
            [by_patient[key].assign(id=i) for i, key in enumerate(chosen)], ignore_index=True, copy=False
        )
        if sample["event"].sum() < 2:
            continue
        draws.append(_mediation_coefficients(sample, covariates))
    boot = pd.DataFrame(draws)
    rows = {}
    for mediator, label in (("ferritin", "through ferritin"), ("b12", "through B12")):
        indirect = point["total"] - point[mediator]
        boot_indirect = boot["total"] - boot[mediator]
        boot_share = boot_indirect / boot["total"]
        tail = min((boot_indirect <= 0).mean(), (boot_indirect >= 0).mean())
        rows[label] = {
            "estimate": indirect / point["total"] if point["total"] else float("nan"),
            "ci_low": float(boot_share.quantile(0.025)),
            "ci_high": float(boot_share.quantile(0.975)),
            "indirect_log_hr": indirect,
            "indirect_ci_low": float(boot_indirect.quantile(0.025)),
            "indirect_ci_high": float(boot_indirect.quantile(0.975)),
            "p_value": float(max(2 * tail, 1 / (len(boot) + 1))),
        }
    summary = pd.DataFrame.from_dict(rows, orient="index")
    summary.index.name = "mediator"
    head = rows["through ferritin"]
    notes.append(
        "Difference method: the share is only meaningful when the total association is clearly non-zero; "
        "when it is near zero the share and its interval are unstable (see the indirect log-hazard instead)."
    )
    notes.append(
        "The mediator is the last measured value, so measurement error and gaps between draws bias the share "
        "towards zero; a mediator affected by an unmeasured cause of shedding biases it either way."
    )
    return ResearchResult(
        name=name,
        title="Share of the exposure–shedding association running through ferritin and B12",
        measure=(
            "proportion of the exposure log-hazard ratio explained by the ferritin shortfall below 40 ng/mL "
            "(difference method; the p-value is that of the indirect part)"
        ),
        estimate=float(head["estimate"]),
        ci_low=float(head["ci_low"]),
        ci_high=float(head["ci_high"]),
        p_value=float(head["p_value"]),
        summary=summary,
        extra={
            "total_log_hr_per_kg": point["total"],
            "total_log_hr_ci": [float(boot["total"].quantile(0.025)), float(boot["total"].quantile(0.975))],
            "through": {key.split()[-1].lower(): value for key, value in rows.items()},
            "events": events,
            "patients": len(ids),
            "bootstrap_resamples": len(boot),
            "seed": seed,
        },
        notes=notes,
    )


def run_analysis(name: str, cohort: Cohort, *, n_bootstrap: int = DEFAULT_BOOTSTRAP, seed: int = 1) -> ResearchResult:
    if name in LAB_ANALYSES:
        return lab_exposure(cohort, LAB_ANALYSES[name], name)
    if name == "shedding_exposure":
        return shedding_exposure(cohort)
    if name == "mediation":
        return mediation(cohort, n_bootstrap=n_bootstrap, seed=seed)
    raise DomainError(
        "research.unknown_analysis", f"unknown analysis {name!r}; known: {', '.join(ANALYSIS_NAMES)}", "analysis"
    )


def analyze(
    cohort: Cohort,
    names: tuple[str, ...] = ANALYSIS_NAMES,
    *,
    n_bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, ResearchResult | DomainError]:
    """Run each analysis; one that lacks data gives its DomainError (saying what is missing) in its place."""
    out: dict[str, ResearchResult | DomainError] = {}
    for name in names:
        if progress:
            progress(name)
        try:
            out[name] = run_analysis(name, cohort, n_bootstrap=n_bootstrap, seed=seed)
        except DomainError as exc:
            if exc.code == "research.unknown_analysis":
                raise
            out[name] = exc
    return out


def as_json(results: dict[str, ResearchResult | DomainError]) -> dict[str, Any]:
    """One object keyed by analysis name; an analysis that could not run has null figures and its error."""
    data: dict[str, Any] = {}
    for name, result in results.items():
        if isinstance(result, ResearchResult):
            data[name] = result.to_dict()
        else:
            data[name] = {"estimate": None, "ci_low": None, "ci_high": None, "p_value": None, **result.as_dict()}
    return data
