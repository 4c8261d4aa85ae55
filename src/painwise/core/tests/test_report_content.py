"""The report's content from a snapshot: sections by scope, page-one figures, period limits."""

import datetime as dt

from painwise.core.report import age_band, build_report, visible_sections
from painwise.core.snapshot import snapshot_from_export
from painwise.core.synth import generate_demo_patient

END = dt.date(2026, 10, 31)
START = dt.date(2026, 5, 1)


def snapshot():
    return snapshot_from_export(generate_demo_patient(seed=1, end_date=END).record)


def test_sections_need_every_scope_they_show():
    assert visible_sections({"diary"}) == {"pain", "side_effects", "diary_summary"}
    assert "kratom" in visible_sections({"diary", "plan"})
    assert "hair_timeline" not in visible_sections({"diary", "plan"})
    assert "hair_timeline" in visible_sections({"diary", "plan", "labs"})
    assert visible_sections(set()) == frozenset()


def test_a_reader_without_labs_gets_no_lab_figures_and_is_told_so():
    content = build_report(snapshot(), START, END, scopes={"diary", "plan", "questionnaires"})
    assert content.lab_table == [] and content.labs_out_of_range == []
    assert "Labs" in content.withheld and "Hair-loss timeline" in content.withheld
    assert content.pain["days_with_entries"] > 0
    assert all(f.id != "hair-chart" for f in content.figures)


def test_page_one_figures_come_from_the_period_only():
    snap = snapshot()
    content = build_report(snap, START, END)
    assert content.withheld == []
    assert content.age_band == age_band(snap.profile.age_on(END))
    pain_days = {p.day for p in snap.pain if START <= p.day <= END}
    assert content.pain["days_with_entries"] == len(pain_days)
    assert all(START <= row["day"] <= END for row in content.lab_table)
    assert {q["name"] for q in content.questionnaires_latest} == {"PEG", "PHQ-9", "GAD-7"}
    assert content.kratom["days"] == (END - START).days + 1
    assert content.kratom["escalation"] is (content.kratom["last_28d_g"] >= 1.5 * content.kratom["first_28d_g"])
    assert sum(len(d["results"]) for d in content.lab_draws) == len(content.lab_table)
    assert all(f.alt for f in content.figures)


def test_age_bands_are_decades():
    assert age_band(39) == "30–39" and age_band(40) == "40–49"


def test_the_month_table_merges_pain_and_every_questionnaire_response():
    snap = snapshot()
    content = build_report(snap, START, END)
    months = {row["month"]: row for row in content.months}
    in_period = [q for q in snap.questionnaires if START <= q.day <= END]
    assert {q.day.strftime("%Y-%m") for q in in_period} <= set(months)
    responses = sum(
        len(row.get(code, "").split(", "))
        for row in content.months
        for code in ("peg", "phq9", "gad7")
        if row.get(code)
    )
    assert responses == sum(1 for q in in_period if q.code in ("peg", "phq9", "gad7"))
    assert all("mean" in row for row in content.months if row["month"] in {p.day.strftime("%Y-%m") for p in snap.pain})
