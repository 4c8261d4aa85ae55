"""Liver rules: DILI biochemical criteria with the R-ratio pattern, Hy's law, reported liver symptoms.

Multiples of ULN use each result's own ULN (the reporting lab's first). The app flags that a
biochemical threshold is met; causality is the clinician's judgement (RUCAM or expert opinion).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from painwise.core.rules.base import Finding, Rule, kratom_in_use, lab_data, rule
from painwise.core.rules.config import RulesConfig
from painwise.core.snapshot import LabResult, PatientSnapshot

LIVER = ("alt", "ast", "alp", "bilirubin", "ggt")


def latest_panel(view: PatientSnapshot) -> tuple[dt.date, dict[str, LabResult]] | None:
    """The liver results of the most recent day with any liver test (latest result per analyte that day)."""
    liver = [lab for lab in view.labs if lab.analyte in LIVER and lab.interpretation.multiple_of_uln is not None]
    if not liver:
        return None
    day = liver[-1].day
    panel: dict[str, LabResult] = {}
    for lab in liver:
        if lab.day == day:
            panel[lab.analyte] = lab
    return day, panel


def _x(panel: dict[str, LabResult], analyte: str) -> float | None:
    lab = panel.get(analyte)
    return None if lab is None else lab.interpretation.multiple_of_uln


def _fmt(multiples: dict[str, float | None]) -> str:
    return ", ".join(f"{name.upper()} {value:.1f}×ULN" for name, value in multiples.items() if value is not None)


def r_ratio(panel: dict[str, LabResult]) -> float | None:
    alt, alp = _x(panel, "alt"), _x(panel, "alp")
    if alt is None or alp is None or alp == 0:
        return None
    return round(alt / alp, 2)


def pattern(ratio: float | None, config: RulesConfig) -> str:
    if ratio is None:
        return "unknown"
    if ratio >= config.r_hepatocellular:
        return "hepatocellular"
    if ratio <= config.r_cholestatic:
        return "cholestatic"
    return "mixed"


def _panel_data(panel: dict[str, LabResult]) -> dict[str, Any]:
    return {analyte: lab_data(lab) for analyte, lab in sorted(panel.items())}


@rule(
    "liver.injury",
    severity="high",
    title="Liver tests meet the drug-induced liver injury threshold",
    rationale="Any one of: ALT ≥5×ULN; ALP ≥2×ULN; ALT ≥3×ULN with total bilirubin >2×ULN (the reporting lab's "
    "ULN). The R ratio (ALT/ULN ÷ ALP/ULN) names the pattern: ≥5 hepatocellular, ≤2 cholestatic, between "
    "mixed. Liver injury reported with kratom is rare and mostly cholestatic or mixed, 1-8 weeks after "
    "starting; many reported cases involved alcohol or other products. This is a biochemical threshold, "
    "not a causality assessment.",
    evidence=("aithal2011", "chalasani2014", "livertox_kratom", "schimmel2020", "ahmad2021"),
    consider="Consider repeating the liver panel with GGT and INR, asking about jaundice, dark urine, itching, "
    "alcohol and other products or medicines, and excluding viral and other causes; causality by RUCAM or "
    "expert review.",
    thresholds=(
        "dili_alt_uln",
        "dili_alp_uln",
        "dili_alt_with_bilirubin_uln",
        "dili_bilirubin_uln",
        "r_hepatocellular",
        "r_cholestatic",
    ),
    patient_note="Your liver test results from {date} need your clinician's attention; your clinician {told}.",
)
def injury(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    found = latest_panel(view)
    if found is None:
        return []
    day, panel = found
    alt, alp, bili = _x(panel, "alt"), _x(panel, "alp"), _x(panel, "bilirubin")
    met = []
    if alt is not None and alt >= config.dili_alt_uln:
        met.append(f"ALT ≥{config.dili_alt_uln:g}×ULN")
    if alp is not None and alp >= config.dili_alp_uln:
        met.append(f"ALP ≥{config.dili_alp_uln:g}×ULN")
    if (
        alt is not None
        and bili is not None
        and alt >= config.dili_alt_with_bilirubin_uln
        and bili > config.dili_bilirubin_uln
    ):
        met.append(f"ALT ≥{config.dili_alt_with_bilirubin_uln:g}×ULN with bilirubin >{config.dili_bilirubin_uln:g}×ULN")
    if not met:
        return []
    ratio = r_ratio(panel)
    kind = pattern(ratio, config)
    multiples = {"alt": alt, "ast": _x(panel, "ast"), "alp": alp, "bilirubin": bili}
    ratio_text = f"R = {ratio:g}, {kind}" if ratio is not None else "R not computable (ALT and ALP needed)"
    return [
        self.lab_finding(
            panel.values(),
            data={
                "criteria_met": met,
                "pattern": kind,
                "r_ratio": ratio,
                "multiples_of_uln": {k: v for k, v in multiples.items() if v is not None},
                "kratom_in_use": kratom_in_use(view, day, config),
                "results": _panel_data(panel),
            },
            rationale=f"Liver panel of {day.isoformat()}: {_fmt(multiples)}; {'; '.join(met)}; {ratio_text}.",
            subject="liver",
            title=f"Liver tests meet the DILI threshold ({kind} pattern)",
        )
    ]


@rule(
    "liver.hys_law",
    severity="urgent",
    title="Hy's-law biochemical pattern: transaminase ≥3×ULN with bilirubin >2×ULN",
    rationale="ALT or AST ≥3×ULN with total bilirubin >2×ULN on the same day (FDA's Hy's law; historically "
    "10-50% of such cases died or needed a transplant). ALP is reported alongside: the law assumes no initial "
    "cholestasis (commonly ALP <2×ULN). A biochemical pattern for urgent review, not a diagnosis.",
    evidence=("fda_dili_2009", "aithal2011"),
    consider="Urgent same-day review: repeat ALT, AST, ALP, bilirubin and INR, assess for jaundice and "
    "encephalopathy, and exclude viral hepatitis, biliary obstruction and other hepatotoxic products.",
    thresholds=("hys_transaminase_uln", "dili_bilirubin_uln"),
    patient_note="Your liver test results from {date} need urgent attention; your clinician {told}.",
)
def hys_law(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    found = latest_panel(view)
    if found is None:
        return []
    day, panel = found
    alt, ast, bili, alp = _x(panel, "alt"), _x(panel, "ast"), _x(panel, "bilirubin"), _x(panel, "alp")
    transaminase = max((v for v in (alt, ast) if v is not None), default=None)
    if transaminase is None or bili is None:
        return []
    if transaminase < config.hys_transaminase_uln or bili <= config.dili_bilirubin_uln:
        return []
    multiples = {"alt": alt, "ast": ast, "bilirubin": bili, "alp": alp}
    return [
        self.lab_finding(
            panel.values(),
            data={
                "multiples_of_uln": {k: v for k, v in multiples.items() if v is not None},
                "alp_below_2x_uln": None if alp is None else alp < 2,
                "results": _panel_data(panel),
            },
            rationale=f"Liver panel of {day.isoformat()}: {_fmt(multiples)}.",
            subject="liver",
        )
    ]


SYMPTOM_KINDS = {"jaundice_dark_urine": "jaundice or dark urine", "itching": "itching"}


@rule(
    "liver.symptoms",
    severity="urgent",
    title="Jaundice, dark urine or itching reported while kratom is in use",
    rationale="Jaundice, dark urine and itching are the presenting symptoms of the liver injury reported with "
    "kratom; a symptom report is flagged urgently whatever the lab schedule.",
    evidence=("livertox_kratom", "schimmel2020"),
    consider="Contact the patient today; consider a liver panel (ALT, AST, ALP, bilirubin, INR) and ask about "
    "alcohol and other products or medicines.",
    thresholds=("symptom_lookback_days", "kratom_in_use_days"),
    patient_note="You reported {symptom} on {date}; your clinician {told}. If you feel very unwell, seek "
    "medical care now.",
)
def symptoms(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    since = as_of - dt.timedelta(days=config.symptom_lookback_days - 1)
    reports = [
        s
        for s in view.side_effects
        if s.kind in SYMPTOM_KINDS and since <= s.day <= as_of and kratom_in_use(view, s.day, config)
    ]
    if not reports:
        return []
    latest = reports[-1]
    kinds = sorted({SYMPTOM_KINDS[s.kind] for s in reports})
    return [
        self.finding(
            date=latest.day,
            data={
                "reports": [
                    {"date": s.day.isoformat(), "kind": s.kind, "severity": s.severity, "id": s.id} for s in reports
                ],
                "kratom_in_use": True,
            },
            rationale=f"{' and '.join(kinds).capitalize()} reported on "
            f"{', '.join(sorted({s.day.isoformat() for s in reports}))} while kratom was in use.",
            subject="liver_symptoms",
            occurrence=latest.id,
            note_values={"symptom": " and ".join(kinds), "date": latest.day.isoformat()},
        )
    ]
