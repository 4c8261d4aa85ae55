"""Blood-work rules: out of range, B12 and iron deficiency, anaemia, hormones.

Each reads the latest result per analyte up to the evaluation day, interpreted with the reporting
lab's own range first (painwise.core.labs). Deficiency rules also fire when a value is below the lab's
own lower limit, so a lab whose range is stricter than the catalogue's is heard.
"""

from __future__ import annotations

import datetime as dt

from painwise.core.rules.base import Finding, Rule, lab_data, latest_labs, range_text, rule, value_text
from painwise.core.rules.config import RulesConfig
from painwise.core.snapshot import LabResult, PatientSnapshot

PLAIN_NAMES = {
    "b12": "vitamin B12",
    "folate": "folate",
    "ferritin": "ferritin (iron stores)",
    "iron": "iron",
    "tibc": "iron-binding capacity",
    "tsat": "transferrin saturation",
    "hemoglobin": "haemoglobin",
    "tsh": "thyroid (TSH)",
    "free_t4": "thyroid (free T4)",
    "testosterone": "testosterone",
    "estradiol": "estradiol",
    "alt": "liver (ALT)",
    "ast": "liver (AST)",
    "alp": "liver (ALP)",
    "bilirubin": "bilirubin",
    "ggt": "liver (GGT)",
}


def _plain(analyte: str) -> str:
    return PLAIN_NAMES.get(analyte, analyte)


def _direction(lab: LabResult) -> str:
    return {"low": "below", "high": "above"}.get(lab.interpretation.status, "outside")


def _below_lab_range(lab: LabResult) -> bool:
    """Low by the reporting lab's own range: deficiency rules fire then even above the catalogue's cut-off."""
    return lab.interpretation.status == "low" and (lab.interpretation.range_used or {}).get("source") == "lab"


@rule(
    "labs.out_of_range",
    severity="routine",
    title="Blood result outside its reference range",
    rationale="A result outside its reference range needs a clinician's reading; the reporting lab's own "
    "range is used first, the catalogue's typical adult range only when the lab gave none.",
    evidence=("kwo2017", "who_hb_2011"),
    consider="Review the result with the patient's history; repeat or extend testing as clinically indicated.",
    patient_note="Your {analyte} result from {date} is {direction} the reference range; your clinician {told}.",
)
def out_of_range(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    findings = []
    for analyte, lab in sorted(latest_labs(view).items()):
        if lab.interpretation.status not in ("low", "high"):
            continue
        findings.append(
            self.lab_finding(
                [lab],
                data=lab_data(lab),
                rationale=f"{lab.analyte} {value_text(lab)} is {_direction(lab)} {range_text(lab)}.",
                subject=analyte,
                title=f"{lab.analyte} {_direction(lab)} its reference range",
                note_values={"analyte": _plain(analyte), "direction": _direction(lab)},
            )
        )
    return findings


@rule(
    "nutrition.b12_deficiency",
    severity="routine",
    title="Vitamin B12 deficient or borderline",
    rationale="Serum B12 below the deficiency cut-off, or in the borderline band where methylmalonic acid "
    "(MMA) helps decide, or below the reporting lab's own lower limit.",
    evidence=("b12_thresholds", "almohanna2019"),
    consider="If borderline, consider methylmalonic acid (± homocysteine; MMA is falsely raised in renal "
    "impairment). Consider causes of deficiency (diet, metformin or acid-suppressing drugs, malabsorption).",
    thresholds=("labs.b12_deficient_below", "labs.b12_borderline_below"),
    patient_note="Your vitamin B12 result from {date} is lower than expected; your clinician {told}.",
)
def b12_deficiency(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    lab = latest_labs(view).get("b12")
    if lab is None:
        return []
    category = lab.interpretation.category
    if category not in ("deficient", "borderline") and not _below_lab_range(lab):
        return []
    labs_cfg = view.lab_config
    if category == "deficient":
        why = f"below the deficiency cut-off of {labs_cfg.b12_deficient_below:g} pg/mL"
    elif category == "borderline":
        why = (
            f"in the borderline band {labs_cfg.b12_deficient_below:g}–{labs_cfg.b12_borderline_below:g} pg/mL; "
            "methylmalonic acid can help decide"
        )
    else:
        why = f"below {range_text(lab)}"
    return [
        self.lab_finding(
            [lab],
            data={**lab_data(lab), "basis": category or "below the lab's range"},
            rationale=f"B12 {value_text(lab)} is {why}.",
            subject="b12",
            title="Vitamin B12 borderline: consider methylmalonic acid"
            if category == "borderline"
            else "Vitamin B12 deficient",
        )
    ]


@rule(
    "nutrition.iron_deficiency",
    severity="routine",
    title="Iron deficiency: low ferritin or transferrin saturation",
    rationale="Ferritin below the configured cut-off, or transferrin saturation below 20%, or either below the "
    "reporting lab's own lower limit. Ferritin rises with inflammation, so a normal value does not exclude "
    "deficiency when CRP is raised. Iron deficiency is the main nutritional deficiency to exclude in diffuse "
    "hair loss.",
    evidence=("ferritin_guidelines", "ning2019", "ko2020", "trost2006"),
    consider="Consider CRP alongside ferritin, a full blood count, and the cause of iron deficiency "
    "(diet, blood loss, malabsorption).",
    thresholds=("labs.ferritin_cutoff", "labs.tsat_cutoff"),
    patient_note="Your iron result from {date} is below the expected range; your clinician {told}.",
)
def iron_deficiency(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    latest = latest_labs(view)
    hits = []
    for analyte in ("ferritin", "tsat"):
        lab = latest.get(analyte)
        if lab is None:
            continue
        reading = lab.interpretation
        if reading.category == "iron deficiency" or _below_lab_range(lab):
            cutoff = view.lab_config.ferritin_cutoff if analyte == "ferritin" else view.lab_config.tsat_cutoff
            unit = "ng/mL" if analyte == "ferritin" else "%"
            why = (
                f"below the cut-off of {cutoff:g} {unit}"
                if reading.category == "iron deficiency"
                else f"below {range_text(lab)}"
            )
            hits.append((lab, f"{analyte} {value_text(lab)} is {why}"))
    if not hits:
        return []
    return [
        self.lab_finding(
            [lab for lab, _ in hits],
            data={"results": [lab_data(lab) for lab, _ in hits]},
            rationale="; ".join(text for _, text in hits) + ".",
            subject="iron",
        )
    ]


@rule(
    "blood.anemia",
    severity="high",
    title="Anaemia: haemoglobin below the WHO threshold",
    rationale="Haemoglobin below the WHO threshold for sex (13.0 g/dL men, 12.0 g/dL non-pregnant women), or "
    "below the reporting lab's own lower limit.",
    evidence=("who_hb_2011", "who_hb_2024"),
    consider="Consider a full blood count with indices, ferritin and transferrin saturation, B12 and folate, "
    "and sources of blood loss.",
    patient_note="Your haemoglobin result from {date} is below the expected range; your clinician {told}.",
)
def anemia(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    lab = latest_labs(view).get("hemoglobin")
    if lab is None:
        return []
    reading = lab.interpretation
    if reading.category != "anaemia" and not _below_lab_range(lab):
        return []
    threshold = 13.0 if view.profile.sex == "male" else 12.0
    why = (
        f"below the WHO threshold of {threshold:g} g/dL for {view.profile.sex}s"
        if reading.category == "anaemia"
        else f"below {range_text(lab)}"
    )
    return [
        self.lab_finding(
            [lab],
            data={**lab_data(lab), "who_threshold_g_dl": threshold},
            rationale=f"Haemoglobin {value_text(lab)} is {why}.",
            subject="hemoglobin",
        )
    ]


@rule(
    "hormones.abnormal",
    severity="routine",
    title="Sex hormone outside the sex-specific range",
    rationale="Total testosterone or estradiol outside the range for the patient's sex (the lab's range first). "
    "In women a high testosterone is relevant to androgenetic hair loss; in men a low testosterone is "
    "recognised with chronic opioid use (AUA). The female testosterone default is configurable; estradiol has "
    "no female default (cycle-dependent) and needs the lab's range.",
    evidence=("bhasin2018", "aua2018", "braunstein2011", "frederiksen2020"),
    consider="Consider repeating on an early-morning sample (men: two samples with symptoms, AUA); in women with "
    "high testosterone, consider a hyperandrogenism work-up; review opioid use.",
    thresholds=("labs.testosterone_cutoff", "labs.female_testosterone_low", "labs.female_testosterone_high"),
    patient_note="Your {analyte} result from {date} is outside the expected range; your clinician {told}.",
)
def hormones(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    findings = []
    for analyte in ("testosterone", "estradiol"):
        lab = latest_labs(view).get(analyte)
        if lab is None or lab.interpretation.status not in ("low", "high"):
            continue
        findings.append(
            self.lab_finding(
                [lab],
                data=lab_data(lab),
                rationale=f"{analyte} {value_text(lab)} is {_direction(lab)} {range_text(lab)} ({view.profile.sex}).",
                subject=analyte,
                title=f"{analyte.capitalize()} {_direction(lab)} the {view.profile.sex} range",
                note_values={"analyte": analyte},
            )
        )
    return findings
