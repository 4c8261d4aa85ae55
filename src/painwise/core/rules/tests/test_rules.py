"""Each rule with a clinical vignette that fires it, one just under its threshold that must not, and
(for lab rules) one where the lab's own range overrides the catalogue's. Vignettes are simple snapshot
documents (docs/snapshot-format.md), read by the same code as `painwise evaluate`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from painwise.core.labs import LabConfig
from painwise.core.rules import DEFAULT_RULES_CONFIG, REGISTRY, RulesConfig, evaluate
from painwise.core.rules.document import snapshot_from_simple

AS_OF = dt.date(2026, 6, 30)


def day(offset: int) -> str:
    """A date `offset` days before AS_OF."""
    return (AS_OF - dt.timedelta(days=offset)).isoformat()


def doc(sex: str = "female", **sections: Any) -> dict[str, Any]:
    return {"patient": {"sex": sex, "birth_date": "1980-05-01"}, "as_of": AS_OF.isoformat(), **sections}


def lab(analyte: str, value: float, unit: str, offset: int = 5, low: float | None = None, high: float | None = None):
    return {"analyte": analyte, "date": day(offset), "value": value, "unit": unit, "ref_low": low, "ref_high": high}


def daily(grams: float, first: int, last: int, product: str = "Maeng Da powder") -> list[dict[str, Any]]:
    return [{"date": day(o), "grams": grams, "product": product} for o in range(first, last - 1, -1)]


def run(document: dict[str, Any], rule: str, config: RulesConfig = DEFAULT_RULES_CONFIG, sex: str | None = None):
    snapshot = snapshot_from_simple(document, config.labs)
    return [f for f in evaluate(snapshot, AS_OF, config) if f.rule == rule]


# --- labs.out_of_range ---------------------------------------------------------------------------------


def test_it_flags_a_result_below_the_catalogue_range():
    (finding,) = run(doc(labs=[lab("ferritin", 25, "ng/mL")]), "labs.out_of_range")
    assert finding.subject == "ferritin" and finding.data["range_source"] == "catalogue"
    assert "below" in finding.rationale


def test_it_does_not_flag_a_result_at_the_limit():
    assert run(doc(labs=[lab("ferritin", 30, "ng/mL")]), "labs.out_of_range") == []


def test_the_labs_own_range_overrides_the_catalogue_for_out_of_range():
    assert run(doc(labs=[lab("ferritin", 25, "ng/mL", low=10, high=200)]), "labs.out_of_range") == []
    (finding,) = run(doc(labs=[lab("ferritin", 250, "ng/mL", low=10, high=200)]), "labs.out_of_range")
    assert finding.data["range_source"] == "lab"


def test_only_the_latest_result_per_analyte_counts():
    labs = [lab("ferritin", 12, "ng/mL", offset=100), lab("ferritin", 80, "ng/mL", offset=5)]
    assert run(doc(labs=labs), "labs.out_of_range") == []


# --- nutrition.b12_deficiency --------------------------------------------------------------------------


def test_it_flags_borderline_b12_and_suggests_mma():
    (finding,) = run(doc(labs=[lab("b12", 250, "pg/mL")]), "nutrition.b12_deficiency")
    assert "methylmalonic" in finding.title.lower() and finding.data["basis"] == "borderline"


def test_it_flags_deficient_b12():
    (finding,) = run(doc(labs=[lab("b12", 150, "pg/mL")]), "nutrition.b12_deficiency")
    assert finding.data["basis"] == "deficient"


def test_it_does_not_flag_b12_at_the_borderline_limit():
    assert run(doc(labs=[lab("b12", 300, "pg/mL")]), "nutrition.b12_deficiency") == []


def test_a_stricter_lab_range_flags_b12_the_catalogue_calls_normal():
    (finding,) = run(doc(labs=[lab("b12", 320, "pg/mL", low=350, high=1000)]), "nutrition.b12_deficiency")
    assert finding.data["basis"] == "below the lab's range"


def test_the_b12_cut_offs_are_configurable():
    config = RulesConfig(labs=LabConfig(b12_deficient_below=180, b12_borderline_below=250))
    assert run(doc(labs=[lab("b12", 260, "pg/mL")]), "nutrition.b12_deficiency", config) == []


# --- nutrition.iron_deficiency -------------------------------------------------------------------------


def test_it_flags_low_ferritin_or_low_tsat():
    (finding,) = run(doc(labs=[lab("ferritin", 29, "ng/mL")]), "nutrition.iron_deficiency")
    assert "cut-off of 30" in finding.rationale
    (finding,) = run(doc(labs=[lab("tsat", 19, "%")]), "nutrition.iron_deficiency")
    assert "tsat" in finding.rationale


def test_it_does_not_flag_ferritin_at_the_cut_off_or_tsat_at_20():
    assert run(doc(labs=[lab("ferritin", 30, "ng/mL"), lab("tsat", 20, "%")]), "nutrition.iron_deficiency") == []


def test_a_stricter_lab_range_flags_ferritin():
    (finding,) = run(doc(labs=[lab("ferritin", 35, "ng/mL", low=40, high=300)]), "nutrition.iron_deficiency")
    assert "lab's range" in finding.rationale


# --- blood.anemia --------------------------------------------------------------------------------------


def test_it_flags_haemoglobin_below_the_who_threshold_for_sex():
    (finding,) = run(doc(labs=[lab("hemoglobin", 11.9, "g/dL")]), "blood.anemia")
    assert finding.data["who_threshold_g_dl"] == 12.0 and finding.severity == "high"
    (finding,) = run(doc(sex="male", labs=[lab("hemoglobin", 12.9, "g/dL")]), "blood.anemia")
    assert finding.data["who_threshold_g_dl"] == 13.0


def test_it_does_not_flag_haemoglobin_at_the_who_threshold():
    assert run(doc(labs=[lab("hemoglobin", 12.0, "g/dL")]), "blood.anemia") == []
    assert run(doc(sex="male", labs=[lab("hemoglobin", 13.0, "g/dL")]), "blood.anemia") == []


def test_a_stricter_lab_range_flags_haemoglobin():
    assert run(doc(labs=[lab("hemoglobin", 12.3, "g/dL")]), "blood.anemia") == []
    (finding,) = run(doc(labs=[lab("hemoglobin", 12.3, "g/dL", low=12.5, high=16)]), "blood.anemia")
    assert "lab's range" in finding.rationale


# --- hormones.abnormal ---------------------------------------------------------------------------------


def test_it_flags_a_high_testosterone_in_a_woman_against_the_default_female_range():
    (finding,) = run(doc(labs=[lab("testosterone", 60, "ng/dL")]), "hormones.abnormal")
    assert finding.data["range_high"] == 46.0 and "female" in finding.title


def test_it_flags_a_low_testosterone_in_a_man():
    (finding,) = run(doc(sex="male", labs=[lab("testosterone", 250, "ng/dL")]), "hormones.abnormal")
    assert finding.data["status"] == "low"


def test_it_does_not_flag_testosterone_at_the_female_upper_limit():
    assert run(doc(labs=[lab("testosterone", 46, "ng/dL")]), "hormones.abnormal") == []


def test_the_labs_range_overrides_the_female_testosterone_default():
    assert run(doc(labs=[lab("testosterone", 55, "ng/dL", low=8, high=60)]), "hormones.abnormal") == []


def test_estradiol_in_a_woman_needs_the_labs_range():
    assert run(doc(labs=[lab("estradiol", 900, "pg/mL")]), "hormones.abnormal") == []
    (finding,) = run(doc(labs=[lab("estradiol", 900, "pg/mL", low=20, high=400)]), "hormones.abnormal")
    assert finding.subject == "estradiol"


# --- liver.injury and liver.hys_law --------------------------------------------------------------------


def liver(alt: float, alp: float, bili: float = 0.8, ast: float | None = None, uln: float | None = None):
    results = [
        lab("alt", alt, "U/L", high=uln, low=0 if uln else None),
        lab("alp", alp, "U/L"),
        lab("bilirubin", bili, "mg/dL"),
    ]
    if ast is not None:
        results.append(lab("ast", ast, "U/L"))
    return results


def test_it_flags_alt_at_5x_uln_as_hepatocellular():
    (finding,) = run(doc(labs=liver(alt=175, alp=80)), "liver.injury")  # 5.0×35; ALP 80/130
    assert finding.data["pattern"] == "hepatocellular" and finding.data["multiples_of_uln"]["alt"] == 5.0
    assert "ALT 5.0×ULN" in finding.rationale


def test_it_names_a_cholestatic_pattern_from_the_r_ratio():
    (finding,) = run(doc(labs=liver(alt=40, alp=300)), "liver.injury")  # ALT 1.14×, ALP 2.3× → R ≈ 0.5
    assert finding.data["pattern"] == "cholestatic" and finding.data["r_ratio"] < 2


def test_it_names_a_mixed_pattern():
    (finding,) = run(doc(labs=liver(alt=160, alp=265, bili=2.5)), "liver.injury")  # ALT 4.57×, ALP 2.04×
    assert finding.data["r_ratio"] == pytest.approx(4.57 / 2.04, abs=0.02) and finding.data["pattern"] == "mixed"


def test_it_does_not_flag_alt_just_under_5x_uln():
    assert run(doc(labs=liver(alt=174, alp=80)), "liver.injury") == []


def test_the_labs_uln_overrides_the_catalogue_for_liver_injury():
    assert run(doc(labs=liver(alt=190, alp=80)), "liver.injury")  # 5.4× the catalogue's 35
    assert run(doc(labs=liver(alt=190, alp=80, uln=40)), "liver.injury") == []  # 4.75× the lab's 40


def test_it_flags_hys_law_urgently():
    (finding,) = run(doc(labs=liver(alt=105, alp=80, bili=2.5)), "liver.hys_law")  # 3×, bilirubin 2.08×
    assert finding.severity == "urgent" and finding.data["alp_below_2x_uln"] is True


def test_it_does_not_flag_hys_law_with_bilirubin_at_2x_uln():
    assert run(doc(labs=liver(alt=105, alp=80, bili=2.4)), "liver.hys_law") == []
    assert run(doc(labs=liver(alt=104, alp=80, bili=2.5)), "liver.hys_law") == []


def test_hys_law_reads_ast_too_and_the_labs_uln_first():
    assert run(doc(labs=liver(alt=30, alp=80, bili=2.5, ast=74)), "liver.hys_law") == []  # AST 2.96× of 25
    assert run(doc(labs=liver(alt=30, alp=80, bili=2.5, ast=76)), "liver.hys_law")
    assert run(doc(labs=liver(alt=120, alp=80, bili=2.5, uln=41)), "liver.hys_law") == []  # 2.9× the lab's ULN


# --- liver.symptoms ------------------------------------------------------------------------------------


def test_it_flags_jaundice_while_kratom_is_in_use():
    (finding,) = run(
        doc(kratom_doses=daily(3, 20, 3), side_effects=[{"type": "jaundice_dark_urine", "date": day(2)}]),
        "liver.symptoms",
    )
    assert finding.severity == "urgent"


def test_it_does_not_flag_jaundice_without_recent_kratom():
    document = doc(kratom_doses=daily(3, 60, 20), side_effects=[{"type": "jaundice_dark_urine", "date": day(2)}])
    assert run(document, "liver.symptoms") == []


# --- hair.workup_due and hair.new_onset_on_kratom ------------------------------------------------------


def shedding(offset: int = 10) -> list[dict[str, Any]]:
    return [{"type": "hair_shedding", "date": day(offset), "grade": 1}]


def test_it_flags_a_missing_hair_work_up():
    (finding,) = run(doc(side_effects=shedding(), labs=[lab("ferritin", 50, "ng/mL", offset=60)]), "hair.workup_due")
    assert finding.data["missing"] == ["b12", "tsh"]


def test_a_complete_work_up_from_90_days_before_the_report_does_not_fire():
    labs = [lab("ferritin", 50, "ng/mL", 100), lab("b12", 400, "pg/mL", 99), lab("tsh", 2, "mIU/L", 50)]
    assert run(doc(side_effects=shedding(10), labs=labs), "hair.workup_due") == []
    labs[0] = lab("ferritin", 50, "ng/mL", 101)  # 91 days before the report: too early
    assert run(doc(side_effects=shedding(10), labs=labs), "hair.workup_due")[0].data["missing"] == ["ferritin"]


def test_it_gives_a_timeline_for_new_shedding_on_kratom_without_naming_a_cause():
    document = doc(
        kratom_doses=daily(4, 100, 0),
        medications=[{"name": "sertraline", "class": "ssri_snri", "start": day(70)}],
        side_effects=[{"type": "other", "date": day(80), "note": "lost weight after flu"}, *shedding(10)],
    )
    (finding,) = run(document, "hair.new_onset_on_kratom")
    assert finding.data["weeks_of_exposure"] == round(90 / 7, 1)
    assert finding.data["cumulative_leaf_g"] == 4 * 91
    kinds = {t["kind"] for t in finding.data["other_triggers"]}
    assert {"medication started", "note"} <= kinds
    assert "2-4 months" in finding.rationale and "cause" in finding.rationale


def test_new_shedding_without_kratom_in_use_does_not_fire():
    assert run(doc(kratom_doses=daily(4, 200, 100), side_effects=shedding(10)), "hair.new_onset_on_kratom") == []


# --- dose.escalation and dose.high_daily ---------------------------------------------------------------


def test_it_flags_a_50_percent_rise_in_the_28_day_average():
    (finding,) = run(doc(kratom_doses=daily(4, 55, 28) + daily(6, 27, 0)), "dose.escalation")
    assert finding.data["ratio"] == 1.5


def test_it_does_not_flag_a_rise_just_under_50_percent():
    assert run(doc(kratom_doses=daily(4, 55, 28) + daily(5.9, 27, 0)), "dose.escalation") == []


def test_it_flags_a_day_above_the_high_daily_threshold_and_says_bands_are_not_validated():
    (finding,) = run(doc(kratom_doses=daily(15.5, 3, 3)), "dose.high_daily")
    assert finding.data["max_leaf_g"] == 15.5
    assert "not validated" in REGISTRY["dose.high_daily"].rationale


def test_it_does_not_flag_a_day_at_the_threshold_and_the_threshold_is_configurable():
    assert run(doc(kratom_doses=daily(15, 3, 3)), "dose.high_daily") == []
    assert run(doc(kratom_doses=daily(15, 3, 3)), "dose.high_daily", RulesConfig(high_daily_leaf_g=12))


# --- product.concentrated_7oh --------------------------------------------------------------------------


def test_it_flags_a_7oh_product():
    (finding,) = run(doc(kratom_doses=daily(0.5, 3, 3, product="7-OH tablets")), "product.concentrated_7oh")
    assert finding.data["doses_recorded"] == 1


def test_leaf_powder_is_not_a_7oh_product():
    assert run(doc(kratom_doses=daily(3, 3, 3)), "product.concentrated_7oh") == []


# --- dependence.withdrawal -----------------------------------------------------------------------------


def sows(total: int, offset: int = 3) -> dict[str, Any]:
    answers = [0] * 16
    for i in range(total):
        answers[i % 16] += 1
    return {"code": "sows", "date": day(offset), "answers": answers}


def test_it_flags_a_moderate_sows():
    (finding,) = run(doc(instruments=[sows(11)]), "dependence.withdrawal")
    assert finding.data["scores"][0]["total"] == 11


def test_it_does_not_flag_a_mild_sows_or_an_old_one():
    assert run(doc(instruments=[sows(10)]), "dependence.withdrawal") == []
    assert run(doc(instruments=[sows(20, offset=40)]), "dependence.withdrawal") == []


# --- interaction.cns_depressant ------------------------------------------------------------------------


def test_it_flags_kratom_with_an_active_opioid_and_with_heavy_drinking():
    document = doc(
        kratom_doses=daily(3, 10, 0),
        medications=[{"name": "oxycodone", "class": "opioid", "start": day(100), "end": None}],
        alcohol=[{"date": day(2), "drinks": 4}],
    )
    subjects = {f.subject for f in run(document, "interaction.cns_depressant")}
    assert subjects == {"opioid", "alcohol"}


def test_it_does_not_flag_a_stopped_opioid_or_three_drinks_for_a_woman():
    document = doc(
        kratom_doses=daily(3, 10, 0),
        medications=[{"name": "oxycodone", "class": "opioid", "start": day(100), "end": day(1)}],
        alcohol=[{"date": day(2), "drinks": 3}],
    )
    assert run(document, "interaction.cns_depressant") == []


# --- labs.overdue --------------------------------------------------------------------------------------


def test_it_flags_overdue_monitoring_labs_while_kratom_is_in_use():
    labs = [lab("alt", 20, "U/L", 181), lab("b12", 400, "pg/mL", 30), lab("ferritin", 60, "ng/mL", 30)]
    (finding,) = run(doc(kratom_doses=daily(3, 5, 0), labs=labs), "labs.overdue")
    assert finding.data["overdue"] == ["liver panel"]


def test_labs_within_the_interval_or_no_kratom_do_not_fire():
    labs = [lab("alt", 20, "U/L", 180), lab("b12", 400, "pg/mL", 30), lab("ferritin", 60, "ng/mL", 30)]
    assert run(doc(kratom_doses=daily(3, 5, 0), labs=labs), "labs.overdue") == []
    assert run(doc(labs=[]), "labs.overdue") == []


# --- response.none -------------------------------------------------------------------------------------


def pain(baseline: float, current: float) -> list[dict[str, Any]]:
    return [{"date": day(o), "nrs": int(baseline)} for o in range(70, 60, -1)] + [
        {"date": day(o), "nrs": int(current)} for o in range(10, -1, -1)
    ]


def test_it_flags_no_30_percent_response_after_8_weeks():
    (finding,) = run(doc(plan_start=day(60), pain=pain(8, 6)), "response.none")  # 25% lower
    assert finding.data["reduction_percent"] == 25.0


def test_a_30_percent_response_or_under_8_weeks_does_not_fire():
    assert run(doc(plan_start=day(60), pain=pain(10, 7)), "response.none") == []  # exactly 30%
    assert run(doc(plan_start=day(55), pain=pain(8, 8)), "response.none") == []  # under 8 weeks


# --- mood ----------------------------------------------------------------------------------------------


def test_a_positive_item_9_is_urgent_and_an_unanswered_one_high():
    positive = {"code": "phq9", "date": day(1), "answers": [0, 0, 0, 0, 0, 0, 0, 0, 1]}
    (finding,) = run(doc(instruments=[positive]), "mood.self_harm")
    assert finding.severity == "urgent"
    missing = {"code": "phq9", "date": day(1), "answers": [0, 0, 0, 0, 0, 0, 0, 0, None]}
    (finding,) = run(doc(instruments=[missing]), "mood.self_harm_unanswered")
    assert finding.severity == "high"


def test_item_9_answered_zero_does_not_fire():
    negative = {"code": "phq9", "date": day(1), "answers": [3, 3, 3, 3, 3, 3, 3, 3, 0]}
    assert run(doc(instruments=[negative]), "mood.self_harm") == []


# --- the engine ----------------------------------------------------------------------------------------


def test_evaluate_ignores_records_after_as_of_and_is_deterministic():
    document = doc(labs=[lab("ferritin", 12, "ng/mL", offset=-3)])  # collected 3 days after AS_OF
    assert run(document, "labs.out_of_range") == []
    snapshot = snapshot_from_simple(doc(labs=[lab("ferritin", 12, "ng/mL")], kratom_doses=daily(20, 60, 0)))
    assert evaluate(snapshot, AS_OF) == evaluate(snapshot, AS_OF)
    severities = [f.severity for f in evaluate(snapshot, AS_OF)]
    assert severities == sorted(severities, key=["urgent", "high", "routine"].index)


def test_every_finding_cites_its_evidence_and_fills_its_data():
    snapshot = snapshot_from_simple(doc(labs=[lab("ferritin", 12, "ng/mL")], kratom_doses=daily(20, 60, 0)))
    for finding in evaluate(snapshot, AS_OF):
        assert finding.evidence and finding.data and finding.rationale and finding.consider
        assert "clinical_reference" not in finding.evidence + finding.rationale
