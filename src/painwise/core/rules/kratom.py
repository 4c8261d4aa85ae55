"""Kratom rules: escalation, high daily amount, 7-OH products, withdrawal scores, CNS-depressant overlap,
overdue monitoring blood work.

painwise records and monitors use; it never proposes an amount. Descriptive dose bands for kratom have
no validated basis, so the daily-amount threshold is a deployment setting, documented as such.
"""

from __future__ import annotations

import datetime as dt

from painwise.core.exposure import SEVEN_OH_FORM
from painwise.core.rules.base import Finding, Rule, alcohol_between, kratom_in_use, recent_grams, rule
from painwise.core.rules.config import RulesConfig
from painwise.core.snapshot import PatientSnapshot


def _window_mean(grams: dict[dt.date, float], end: dt.date, days: int) -> float:
    return sum(grams.get(end - dt.timedelta(days=i), 0.0) for i in range(days)) / days


@rule(
    "dose.escalation",
    severity="high",
    title="Kratom use rising: 28-day average ≥50% above the previous 28 days",
    rationale="The average daily leaf-equivalent amount over the last 28 days is at least 50% above the 28 days "
    "before. Tolerance with escalation is reported with kratom, and dependence tracks frequency and amount.",
    evidence=("lai2021", "garcia_romeu2020", "smith2022"),
    consider="Consider discussing the change with the patient: reasons (pain, withdrawal symptoms, stress), "
    "products used, and a withdrawal score (SOWS) if relevant.",
    thresholds=("escalation_window_days", "escalation_ratio"),
    patient_note="Your recorded kratom use has gone up over the last weeks; your clinician {told}.",
)
def escalation(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    days = config.escalation_window_days
    grams = recent_grams(view, as_of, config)
    if not grams:
        return []
    recent = _window_mean(grams, as_of, days)
    previous = _window_mean(grams, as_of - dt.timedelta(days=days), days)
    if previous <= 0 or recent < config.escalation_ratio * previous:
        return []
    ratio = recent / previous
    return [
        self.finding(
            date=as_of,
            data={
                "recent_mean_g_per_day": round(recent, 2),
                "previous_mean_g_per_day": round(previous, 2),
                "ratio": round(ratio, 2),
                "recent_window": [(as_of - dt.timedelta(days=days - 1)).isoformat(), as_of.isoformat()],
                "previous_window": [
                    (as_of - dt.timedelta(days=2 * days - 1)).isoformat(),
                    (as_of - dt.timedelta(days=days)).isoformat(),
                ],
            },
            rationale=f"Average {recent:.1f} g/day leaf-equivalent over the {days} days to {as_of.isoformat()}, "
            f"{(ratio - 1) * 100:.0f}% above the {previous:.1f} g/day of the {days} days before.",
            subject="dose",
        )
    ]


@rule(
    "dose.high_daily",
    severity="high",
    title="Kratom daily amount above the deployment's threshold",
    rationale="A day's leaf-equivalent amount was above the configured threshold (default 15 g, the upper end of "
    "widely repeated descriptive bands where marked sedation is described). These bands are not validated and "
    "product potency varies; the threshold is a deployment choice.",
    evidence=("smith2022", "garcia_romeu2020"),
    consider="Consider reviewing the amounts and products with the patient, sedation, co-used sedatives and "
    "alcohol, and withdrawal symptoms.",
    thresholds=("high_daily_leaf_g", "kratom_in_use_days"),
    notes="Dose bands for kratom have no validated basis (Smith 2022); the threshold is not a target or a limit "
    "to dose up to.",
    patient_note="Your recorded kratom amount on {date} was higher than usual; your clinician {told}.",
)
def high_daily(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    since = as_of - dt.timedelta(days=config.kratom_in_use_days - 1)
    grams = recent_grams(view, as_of, config)
    above = sorted((day, g) for day, g in grams.items() if since <= day <= as_of and g > config.high_daily_leaf_g)
    if not above:
        return []
    top_day, top = max(above, key=lambda item: (item[1], item[0]))
    return [
        self.finding(
            date=above[-1][0],
            data={
                "threshold_g": config.high_daily_leaf_g,
                "days_above": [{"date": d.isoformat(), "leaf_g": round(g, 2)} for d, g in above],
                "max_leaf_g": round(top, 2),
                "max_date": top_day.isoformat(),
            },
            rationale=f"{len(above)} day(s) in the {config.kratom_in_use_days} days to {as_of.isoformat()} above "
            f"{config.high_daily_leaf_g:g} g leaf-equivalent; highest {top:.1f} g on {top_day.isoformat()}.",
            subject="dose",
            note_values={"date": above[-1][0].isoformat()},
        )
    ]


@rule(
    "product.concentrated_7oh",
    severity="high",
    title="Concentrated 7-hydroxymitragynine (7-OH) product recorded",
    rationale="Concentrated or semi-synthetic 7-OH products are not kratom leaf: 7-OH is a potent mu-opioid "
    "agonist, and FDA cites addiction, withdrawal, seizures and fatal respiratory depression and has recommended "
    "scheduling them.",
    evidence=("fda_7oh_2025", "schimmel2020"),
    consider="Consider discussing the product with the patient, overdose risk with other sedatives, "
    "and naloxone availability as your protocol requires.",
    patient_note="A concentrated 7-OH product is recorded in your plan or diary; your clinician {told}.",
)
def concentrated_7oh(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    products = {p.id: p for p in view.kratom_products if p.form == SEVEN_OH_FORM and p.start_date <= as_of}
    if not products:
        return []
    used = [d for d in view.doses if d.product_id in products and d.status != "skipped"]
    first = min([p.start_date for p in products.values()] + [d.day for d in used])
    last = max([d.day for d in used], default=first)
    return [
        self.finding(
            date=last,
            data={
                "products": [
                    {"id": p.id, "name": p.name, "start": p.start_date.isoformat()} for p in products.values()
                ],
                "doses_recorded": len(used),
                "first_date": first.isoformat(),
                "last_dose_date": last.isoformat() if used else None,
            },
            rationale=f"{', '.join(sorted(p.name for p in products.values()))} (7-OH) recorded from "
            f"{first.isoformat()}; {len(used)} dose(s) recorded.",
            subject="7oh",
            occurrence=",".join(sorted(products)),
        )
    ]


@rule(
    "dependence.withdrawal",
    severity="high",
    title="Withdrawal score in the moderate band or above",
    rationale="A SOWS or COWS score in the moderate band or above. The scales were validated for opioid "
    "withdrawal and are used by analogy for kratom; withdrawal episodes have preceded self-harm, so mood "
    "screening matters alongside.",
    evidence=("handelsman1987", "wesson2003", "smith2022"),
    consider="Consider contacting the patient about symptoms, supports and a PHQ-9 (item 9), and reviewing "
    "what changed in their use.",
    thresholds=("sows_moderate", "cows_moderate", "withdrawal_lookback_days"),
    patient_note="Your withdrawal questionnaire on {date} showed moderate or stronger symptoms; your clinician {told}.",
)
def withdrawal(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    since = as_of - dt.timedelta(days=config.withdrawal_lookback_days - 1)
    limits = {"sows": config.sows_moderate, "cows": config.cows_moderate}
    hits = [
        q
        for q in view.questionnaires
        if q.code in limits and since <= q.day <= as_of and q.total is not None and q.total >= limits[q.code]
    ]
    if not hits:
        return []
    latest = hits[-1]
    return [
        self.finding(
            date=latest.day,
            data={
                "scores": [
                    {"code": q.code, "date": q.day.isoformat(), "total": q.total, "band": q.band, "id": q.id}
                    for q in hits
                ],
                "thresholds": limits,
            },
            rationale=f"{latest.code.upper()} {latest.total:g} on {latest.day.isoformat()} (moderate from "
            f"{limits[latest.code]})"
            + (f"; {len(hits)} such scores in {config.withdrawal_lookback_days} days" if len(hits) > 1 else "")
            + ".",
            subject="withdrawal",
            occurrence=latest.id,
            note_values={"date": latest.day.isoformat()},
        )
    ]


SEDATIVE_CLASSES = {
    "opioid": "an opioid",
    "benzodiazepine": "a benzodiazepine",
    "gabapentinoid": "a gabapentinoid",
    "sedating_antihistamine": "a sedating antihistamine",
    "muscle_relaxant": "a muscle relaxant",
}


@rule(
    "interaction.cns_depressant",
    severity="high",
    title="Kratom in use alongside a CNS depressant or heavy drinking",
    rationale="Additive central nervous system and respiratory depression is expected with opioids, "
    "benzodiazepines, gabapentinoids, other sedatives and alcohol; many kratom-associated deaths involved "
    "several substances. Kratom also raised midazolam (CYP3A) exposure 1.4-fold in a small study.",
    evidence=("olsen2019", "schimmel2020", "tanna2023", "niaaa_drinking"),
    consider="Consider reviewing the combination with the patient and prescriber, sedation and breathing "
    "symptoms, and naloxone availability as your protocol requires.",
    thresholds=("kratom_in_use_days", "heavy_drinks_female", "heavy_drinks_male", "alcohol_lookback_days"),
    patient_note="Your record shows kratom together with {what}; your clinician {told}.",
)
def cns_depressant(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    if not kratom_in_use(view, as_of, config):
        return []
    findings = []
    for drug_class, items in sorted(view.medications_by_class().items()):
        if drug_class not in SEDATIVE_CLASSES:
            continue
        active = [item for item in items if item.active_on(as_of)]
        if not active:
            continue
        names = ", ".join(sorted(item.name for item in active))
        findings.append(
            self.finding(
                date=max(item.start_date for item in active),
                data={
                    "class": drug_class,
                    "medications": [{"name": i.name, "start": i.start_date.isoformat(), "id": i.id} for i in active],
                    "kratom_in_use_on": as_of.isoformat(),
                },
                rationale=f"Kratom in use on {as_of.isoformat()} with {SEDATIVE_CLASSES[drug_class]} ({names}).",
                subject=drug_class,
                occurrence=",".join(sorted(item.id for item in active)),
                title=f"Kratom in use alongside {SEDATIVE_CLASSES[drug_class]}",
                note_values={"what": SEDATIVE_CLASSES[drug_class]},
            )
        )
    limit = config.heavy_drinks_male if view.profile.sex == "male" else config.heavy_drinks_female
    since = as_of - dt.timedelta(days=config.alcohol_lookback_days - 1)
    heavy = [(day, n) for day, n in alcohol_between(view, since, as_of) if n >= limit]
    heavy = [(day, n) for day, n in heavy if kratom_in_use(view, day, config)]
    if heavy:
        findings.append(
            self.finding(
                date=heavy[-1][0],
                data={
                    "class": "alcohol",
                    "heavy_days": [{"date": d.isoformat(), "drinks": n} for d, n in heavy],
                    "threshold_drinks": limit,
                },
                rationale=f"{len(heavy)} day(s) with {limit} or more drinks in the {config.alcohol_lookback_days} "
                f"days to {as_of.isoformat()} while kratom was in use (most: {max(n for _, n in heavy)}).",
                subject="alcohol",
                occurrence=heavy[-1][0].isoformat(),
                title="Kratom in use alongside heavy drinking",
                note_values={"what": "heavy drinking"},
            )
        )
    return findings


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else "never"


OVERDUE = {"liver panel": ("alt", "ast", "alp", "bilirubin"), "b12": ("b12",), "ferritin": ("ferritin",)}


@rule(
    "labs.overdue",
    severity="routine",
    title="Monitoring blood work overdue while kratom is in use",
    rationale="While kratom is in use, a liver panel, B12 and ferritin are expected within the monitoring "
    "interval (default 180 days). The interval is not standardised: liver injury with kratom is rare and "
    "usually appears 1-8 weeks after starting, and symptoms trigger an urgent flag whatever the schedule.",
    evidence=("livertox_kratom", "schimmel2020"),
    consider="Consider ordering the overdue tests at the next contact.",
    thresholds=("lab_interval_days", "kratom_in_use_days"),
    patient_note="Some regular blood tests are due; your clinician {told}.",
)
def overdue(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    if not kratom_in_use(view, as_of, config):
        return []
    last: dict[str, dt.date | None] = {}
    for name, analytes in OVERDUE.items():
        days = [lab.day for lab in view.labs if lab.analyte in analytes and lab.day <= as_of]
        last[name] = max(days) if days else None
    limit = as_of - dt.timedelta(days=config.lab_interval_days)
    late = [name for name, day in last.items() if day is None or day < limit]
    if not late:
        return []
    described = ", ".join(f"{name} (last {_iso(last[name])})" for name in late)
    return [
        self.finding(
            date=as_of,
            data={
                "overdue": late,
                "last_result": {k: v.isoformat() if v else None for k, v in last.items()},
                "interval_days": config.lab_interval_days,
            },
            rationale=f"Kratom in use on {as_of.isoformat()}; no result within {config.lab_interval_days} days for "
            f"{described}.",
            subject="monitoring_labs",
            occurrence=";".join(f"{k}:{last[k]}" for k in late),
        )
    ]
