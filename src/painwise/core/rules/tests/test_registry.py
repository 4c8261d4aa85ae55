"""The registry, its documentation and wording, thresholds from TOML, the snapshot document."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from painwise.core.errors import DomainError
from painwise.core.exposure import Dose, Product, compute_exposure
from painwise.core.rules import CITATIONS, REGISTRY, RulesConfig, config_from_mapping, load_config
from painwise.core.rules.base import leaf_grams
from painwise.core.rules.docs import render_evidence, render_rules
from painwise.core.rules.document import snapshot_from_document, snapshot_from_simple
from painwise.core.snapshot import Profile, assemble

DOCS = Path(__file__).resolve().parents[5] / "docs"
ISSUE_IDS = {
    "labs.out_of_range", "nutrition.b12_deficiency", "nutrition.iron_deficiency", "blood.anemia",
    "hormones.abnormal", "liver.injury", "liver.hys_law", "liver.symptoms", "hair.workup_due",
    "hair.new_onset_on_kratom", "dose.escalation", "dose.high_daily", "dependence.withdrawal",
    "interaction.cns_depressant", "labs.overdue", "response.none", "mood.self_harm",
    "mood.self_harm_unanswered", "product.concentrated_7oh",
}  # fmt: skip


def test_every_rule_of_the_issue_is_registered_with_its_exact_id():
    assert set(REGISTRY) >= ISSUE_IDS
    assert REGISTRY["liver.hys_law"].severity == "urgent" and REGISTRY["mood.self_harm"].severity == "urgent"
    assert REGISTRY["liver.symptoms"].severity == "urgent"


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_every_rule_is_complete_and_cites_published_sources(rule_id):
    rule = REGISTRY[rule_id]
    assert rule.title and rule.rationale and rule.consider and rule.evidence
    for citation in rule.citations:
        assert citation.authors and citation.year and (citation.doi or citation.url or citation.source)
    for threshold in rule.thresholds:
        name = threshold.removeprefix("labs.")
        assert hasattr(RulesConfig(), name) or hasattr(RulesConfig().labs, name), threshold


@pytest.mark.parametrize("name", ["rules.md", "evidence.md"])
def test_the_generated_docs_are_up_to_date(name):
    render = {"rules.md": render_rules, "evidence.md": render_evidence}[name]
    assert (DOCS / name).read_text(encoding="utf-8") == render(), f"run: python -m painwise.core.rules.docs ({name})"


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_every_rule_is_documented_with_its_evidence(rule_id):
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert f"## `{rule_id}`" in text
    section = text.split(f"## `{rule_id}`")[1].split("\n## ")[0]
    for citation in REGISTRY[rule_id].citations:
        assert f"evidence.md#{citation.anchor}" in section
        assert f'<a id="{citation.anchor}"></a>' in (DOCS / "evidence.md").read_text(encoding="utf-8")


# Advice to start, raise or "optimise" a dose, or a causal claim about kratom and hair loss.
FORBIDDEN = [
    r"\b(start\w*|begin\w*|initiat\w*|increas\w*|rais\w*|doubl\w*|titrat\w*|optimi[sz]\w*|up)\b[^.;]{0,40}"
    r"\b(dose|doses|dosing|kratom|amount|grams?)\b",
    r"\b(take|use|try) (more|kratom)\b",
    r"\bkratom\b[^.;]{0,40}\b(caused|causes|causing|induced|triggers|led to)\b[^.;]{0,40}\b(hair|shedding|alopecia)\b",
    r"\b(hair|shedding|alopecia)\b[^.;]{0,40}\b(caused by|due to|because of|from) kratom\b",
    r"\bkratom[- ]induced\b",
]


def wording():
    for rule in REGISTRY.values():
        for part in ("title", "rationale", "consider", "patient_note", "notes"):
            yield f"{rule.id}.{part}", getattr(rule, part)


@pytest.mark.parametrize(("where", "text"), list(wording()))
def test_no_rule_advises_a_dose_or_claims_kratom_causes_hair_loss(where, text):
    for pattern in FORBIDDEN:
        assert not re.search(pattern, text, re.IGNORECASE), f"{where}: {pattern!r} matches {text!r}"


def test_the_wording_scan_catches_what_it_is_for():
    bad = [
        "Consider increasing the kratom dose",
        "Optimise dosing to 5 g",
        "Kratom likely caused the hair shedding",
        "Hair loss due to kratom",
        "Start kratom at 2 g",
    ]
    for text in bad:
        assert any(re.search(p, text, re.IGNORECASE) for p in FORBIDDEN), text


def test_no_citation_points_at_the_internal_reference_sheet():
    for citation in CITATIONS.values():
        assert "clinical_reference" not in citation.full()


# --- thresholds -------------------------------------------------------------------------------------------


def test_toml_overrides_thresholds_and_lab_cut_offs(tmp_path):
    file = tmp_path / "rules.toml"
    file.write_text("[rules]\nlab_interval_days = 120\n[labs]\nferritin_cutoff = 15\n")
    config = load_config(file)
    assert config.lab_interval_days == 120 and config.labs.ferritin_cutoff == 15
    assert config.high_daily_leaf_g == RulesConfig().high_daily_leaf_g


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rules": {"lab_intervall_days": 1}}, "rules.lab_intervall_days"),
        ({"rules": {"lab_interval_days": "soon"}}, "rules.lab_interval_days"),
        ({"rules": {"lab_interval_days": 12.5}}, "rules.lab_interval_days"),
        ({"rules": {"escalation_ratio": 0.5}}, "rules.escalation_ratio"),
        ({"labs": {"ferritin_cutoff": -1}}, "labs.ferritin_cutoff"),
        ({"labs": {"colour": 1}}, "labs.colour"),
        ({"thresholds": {}}, "thresholds"),
    ],
)
def test_a_bad_threshold_is_refused_naming_it(data, field):
    with pytest.raises(DomainError) as caught:
        config_from_mapping(data)
    assert caught.value.field == field


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    file = tmp_path / "rules.toml"
    file.write_text("[rules\n")
    with pytest.raises(DomainError, match="not valid TOML"):
        load_config(file)


# --- the snapshot document ----------------------------------------------------------------------------

EXAMPLE = json.loads((DOCS / "snapshot-example.json").read_text(encoding="utf-8"))


def test_the_documented_example_reads_and_evaluates():
    snapshot, as_of = snapshot_from_document(EXAMPLE)
    assert as_of == dt.date(2026, 6, 30)
    assert snapshot.labs[0].analyte == "ferritin" and snapshot.plan_start == dt.date(2026, 1, 15)
    assert snapshot.medications_by_class()["opioid"][0].name == "oxycodone"
    assert snapshot.questionnaires[0].flags == ("self_harm",)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["labs"][0].update(value="x"), "labs[0].value"),
        (lambda d: d["labs"][0].update(unit="furlong"), "labs[0].unit"),
        (lambda d: d["labs"][0].update(analyte="unobtainium"), "labs[0].analyte"),
        (lambda d: d["labs"][0].pop("date"), "labs[0].date"),
        (lambda d: d["pain"][0].update(nrs=11), "pain[0].nrs"),
        (lambda d: d["instruments"][0].update(answers=[9] * 9), "instruments[0].answers"),
        (lambda d: d["instruments"][0].update(code="bdi"), "instruments[0].code"),
        (lambda d: d["medications"][0].update({"class": "stimulant"}), "medications[0].class"),
        (lambda d: d["kratom_doses"][0].update(grams=-1), "kratom_doses[0].grams"),
        (lambda d: d["side_effects"][0].update(type="baldness"), "side_effects[0].type"),
        (lambda d: d["alcohol"][0].update(date="June"), "alcohol[0].date"),
        (lambda d: d["patient"].update(sex="x"), "patient.sex"),
        (lambda d: d.update(labs={}), "labs"),
        (lambda d: d.update(as_of="tomorrow"), "as_of"),
    ],
)
def test_a_malformed_document_names_the_bad_fields_path(change, field):
    document = json.loads(json.dumps(EXAMPLE))
    change(document)
    with pytest.raises(DomainError) as caught:
        snapshot_from_simple(document)
    assert caught.value.field == field


def test_leaf_grams_agree_with_the_exposure_module():
    profile = Profile("p", "p", dt.date(1980, 1, 1), "female", "Europe/Berlin")
    plan: list[dict[str, object]] = [
        {
            "id": "leaf",
            "kind": "kratom",
            "name": "leaf",
            "start_date": "2026-01-01",
            "form": "leaf_powder",
            "unit": "g",
        },
        {
            "id": "caps",
            "kind": "kratom",
            "name": "caps",
            "start_date": "2026-01-01",
            "form": "capsule",
            "unit": "capsule",
            "leaf_g_per_unit": 0.5,
        },
        {"id": "ext", "kind": "kratom", "name": "ext", "start_date": "2026-01-01", "form": "extract", "unit": "mL"},
        {"id": "7oh", "kind": "kratom", "name": "7oh", "start_date": "2026-01-01", "form": "7oh", "unit": "mg"},
    ]
    doses = [
        {
            "id": f"d{i}",
            "occurred_at": f"2026-02-{1 + i % 20:02d}T{(i * 7) % 24:02d}:00:00+00:00",
            "product_id": pid,
            "amount": amount,
            "unit": unit,
            "status": status,
        }
        for i, (pid, amount, unit, status) in enumerate(
            [
                ("leaf", 3, "g", "taken"),
                ("caps", 4, "capsule", "taken"),
                ("ext", 2, "mL", "taken"),
                ("7oh", 10, "mg", "taken"),
                ("leaf", 5, "g", "skipped"),
                ("leaf", 2.5, "g", "as_needed"),
            ]
            * 7
        )
    ]
    snapshot = assemble(profile, plan=plan, doses=doses)
    products = [Product(p.id, p.form, p.unit, p.leaf_g_per_unit) for p in snapshot.kratom_products]
    expected = compute_exposure(
        products, [Dose(d.product_id, d.day, d.amount, d.unit, d.status) for d in snapshot.doses],
        dt.date(2026, 1, 25), dt.date(2026, 3, 1),
    ).summary["leaf_g"]  # fmt: skip
    ours = leaf_grams(snapshot)
    assert {d.date(): v for d, v in expected.items() if v} == pytest.approx(ours)
