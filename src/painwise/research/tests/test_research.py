"""Consent and the de-identified research export: only consenting patients leave, without identity, account
or real dates; each export is audited; the export loads through the same loader as `painwise synth` output."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from tests.personas import logged_in
from typer.testing import CliRunner

from painwise.audit.models import AuditEvent
from painwise.cli import app
from painwise.core.errors import DomainError
from painwise.core.research.analyses import lab_exposure
from painwise.core.research.cohort import load_cohort
from painwise.core.synth import generate_cohort, write_cohort
from painwise.exchange.importer import import_patient
from painwise.research.consent import CONSENT_TEXT, CONSENT_VERSION
from painwise.research.exports import CohortFilters, research_export_create
from painwise.research.models import ResearchConsent, ResearchRun
from painwise.research.services import STEPS, research_consent_set

END = dt.date(2026, 10, 31)


YEARS = 0.75


@pytest.fixture(scope="module")
def synth_cohort():
    return generate_cohort(7, YEARS, 5, effect_strength=1.0, end_date=END)


@pytest.fixture
def cohort_docs(synth_cohort):
    return synth_cohort.patients


@pytest.fixture
def patients(db, cohort_docs):
    """Seven synthetic patients: five opted in, one opted in then out, one never decided."""
    imported = [import_patient(doc) for doc in cohort_docs]
    for patient in imported[:6]:
        research_consent_set(actor=patient.user, patient=patient, decision="opt_in", version=CONSENT_VERSION)
    research_consent_set(actor=imported[5].user, patient=imported[5], decision="opt_out", version=CONSENT_VERSION)
    return imported


@pytest.fixture
def research_dir(settings, tmp_path):
    settings.RESEARCH_DIR = tmp_path / "runs"
    return settings.RESEARCH_DIR


def _every_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.suffix in (".json", ".csv", ".md"))


def test_it_stores_the_consent_text_and_version_with_each_decision(patients):
    decisions = ResearchConsent.objects.filter(patient=patients[5]).order_by("decided_at")
    assert [d.decision for d in decisions] == ["opt_in", "opt_out"]
    assert all(d.text == CONSENT_TEXT and d.version == CONSENT_VERSION for d in decisions)
    event = AuditEvent.objects.filter(action="research_consent", patient_key=patients[5].audit_key).first()
    assert event is not None and event.detail == {"decision": "opt_out", "version": CONSENT_VERSION}


def test_it_refuses_a_decision_on_an_outdated_consent_text(patients):
    with pytest.raises(DomainError) as error:
        research_consent_set(actor=patients[6].user, patient=patients[6], decision="opt_in", version="2020-old")
    assert error.value.field == "version"
    assert not ResearchConsent.objects.filter(patient=patients[6]).exists()


def test_it_exports_only_the_patients_whose_latest_decision_is_opt_in(patients, cast, tmp_path):
    manifest = research_export_create(actor=cast.rita, out_dir=tmp_path / "x", filters=CohortFilters())
    assert manifest["patients"] == 5
    assert manifest["consent_versions"] == {CONSENT_VERSION: 5}
    assert len(list((tmp_path / "x" / "patients").glob("*.json"))) == 5
    text = _every_text(tmp_path / "x")
    for left_out in patients[5:]:
        assert left_out.user.username not in text


def test_the_export_carries_no_identity_account_real_dates_or_free_text(patients, cohort_docs, cast, tmp_path):
    out = tmp_path / "x"
    research_export_create(actor=cast.rita, out_dir=out, filters=CohortFilters())
    text = _every_text(out)
    for patient, doc in zip(patients[:5], cohort_docs[:5], strict=True):
        assert patient.user.username not in text
        for secret in (str(patient.id), str(patient.user.id), str(patient.audit_key), doc["patient"]["date_of_birth"]):
            assert secret not in text
        for record in doc["pain_entries"][:50] + doc["lab_results"]:
            assert record["id"] not in text
        for name in {t["name"] for t in doc["therapies"]}:
            assert f'"{name}"' not in text
    docs = [json.loads(p.read_text()) for p in (out / "patients").glob("*.json")]
    assert all(d["patient"]["date_of_birth"] is None and d["patient"]["time_zone"] == "UTC" for d in docs)
    assert all(r["lab_name"] == "" and r["note"] == "" for d in docs for r in d["lab_results"])
    # Shifted: no patient keeps the real first day of their diary.
    real_first = {min(e["occurred_at"] for e in d["pain_entries"])[:10] for d in cohort_docs[:5]}
    shifted_first = {min(e["occurred_at"] for e in d["pain_entries"])[:10] for d in docs}
    assert not real_first & shifted_first
    readme = (out / "README.md").read_text()
    assert "date of birth" in readme and "free text" in readme and "Remaining risks" in readme


def test_the_export_keeps_intervals_so_analyses_give_the_same_answer(patients, synth_cohort, cast, tmp_path):
    synth = tmp_path / "synth"
    write_cohort(synth_cohort, synth)
    for extra in sorted((synth / "patients").glob("*.json"))[5:]:
        extra.unlink()  # the two who did not consent
    research_export_create(actor=cast.rita, out_dir=tmp_path / "x", filters=CohortFilters())
    original, exported = load_cohort(synth), load_cohort(tmp_path / "x")
    assert exported.kind == "research" and original.kind == "export"
    a, b = lab_exposure(original, "ferritin"), lab_exposure(exported, "ferritin")
    assert b.estimate == pytest.approx(a.estimate, abs=1e-9)
    assert sorted(exported.patients["end"] - exported.patients["start"]) == sorted(
        original.patients["end"] - original.patients["start"]
    )


def test_it_writes_parquet_and_csv_tables_with_a_dictionary_and_suppresses_small_cells(patients, cast, tmp_path):
    out = tmp_path / "x"
    research_export_create(actor=cast.rita, out_dir=out, filters=CohortFilters())
    for table in (
        "patients",
        "lab_results",
        "exposure_daily",
        "pain_daily",
        "side_effects",
        "questionnaires",
        "summary",
    ):
        assert (
            pd.read_parquet(out / "parquet" / f"{table}.parquet").shape
            == pd.read_csv(out / "csv" / f"{table}.csv").shape
        )
    dictionary = pd.read_csv(out / "data_dictionary.csv")
    for table in ("patients", "lab_results", "summary"):
        assert set(pd.read_csv(out / "csv" / f"{table}.csv").columns) == set(
            dictionary[dictionary["table"] == table]["column"]
        )
    summary = pd.read_parquet(out / "parquet" / "summary.parquet")
    counts = summary[["patients", "kratom_users", "with_shedding"]]
    assert not ((counts > 0) & (counts < 5)).any().any()
    assert summary["suppressed"].any()  # five patients spread over sex and age bands: some cells are small


def test_each_export_is_audited_with_who_how_many_and_the_consent_versions(patients, cast, tmp_path):
    manifest = research_export_create(actor=cast.rita, out_dir=tmp_path / "x", filters=CohortFilters())
    event = AuditEvent.objects.get(action="research_export", object_type="research_export")
    assert event.actor_username == "rita" and event.object_id == manifest["export_id"]
    assert event.detail["patients"] == manifest["patients"]
    assert event.detail["consent_versions"] == {CONSENT_VERSION: manifest["patients"]}
    included = AuditEvent.objects.filter(action="research_export", object_type="patient").count()
    assert included == manifest["patients"]
    trail = logged_in(patients[0].user).get("/me/audit/").content.decode()
    assert "included in a de-identified research export" in trail and "researcher rita" in trail


def test_it_refuses_a_cohort_of_fewer_than_five(patients, cast, tmp_path):
    with pytest.raises(DomainError) as error:
        research_export_create(actor=cast.rita, out_dir=tmp_path / "x", filters=CohortFilters(age_bands=("80+",)))
    assert error.value.code == "research.cohort_too_small"
    assert not AuditEvent.objects.filter(action="research_export", object_type="research_export").exists()


def test_the_cli_exports_and_analyzes_the_export(patients, cast, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli"
    made = runner.invoke(app, ["research", "export", "--out", str(out), "--as", "rita"])
    assert made.exit_code == 0, made.output
    assert "exported 5 consenting patient(s)" in made.output
    result = runner.invoke(app, ["research", "analyze", str(out), "--json", "--bootstrap", "20"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ferritin_exposure"]["patients"] == 5
    # Five patients over nine months have too few shedding onsets: the analysis says what is missing.
    assert data["shedding_exposure"]["estimate"] is None or data["shedding_exposure"]["events"] >= 5
    assert "error" in data["mediation"] or data["mediation"]["events"] >= 5


def test_the_cli_names_the_bad_option(patients, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(app, ["research", "export", "--out", str(tmp_path / "y"), "--sex", "other"])
    assert bad.exit_code == 2 and "[sex]" in bad.output
    missing = runner.invoke(app, ["research", "analyze", str(tmp_path / "nothing"), "--json"])
    assert missing.exit_code == 2 and '"field": "DIR"' in missing.output


def test_a_patient_opts_in_and_out_on_their_page(cast):
    client = logged_in(cast.alice)
    page = client.get("/research/consent/")
    assert page.status_code == 200 and CONSENT_VERSION in page.content.decode()
    client.post("/research/consent/decide/", {"decision": "opt_in", "version": CONSENT_VERSION})
    client.post("/research/consent/decide/", {"decision": "opt_out", "version": CONSENT_VERSION})
    assert [c.decision for c in ResearchConsent.objects.filter(patient=cast.alice_patient)] == ["opt_out", "opt_in"]
    stale = client.post("/research/consent/decide/", {"decision": "opt_in", "version": "old"})
    assert stale.status_code == 422 and ResearchConsent.objects.filter(patient=cast.alice_patient).count() == 2


def test_the_researcher_page_builds_the_cohort_step_by_step_and_serves_the_export(patients, cast, research_dir):
    client = logged_in(cast.rita)
    assert client.get("/research/").status_code == 200
    created = client.post("/research/runs/", {"sex": "", "kratom_only": ""})
    run = ResearchRun.objects.get(researcher=cast.rita)
    assert created.status_code == 302 and created["Location"] == f"/research/runs/{run.id}/"
    first = client.post(f"/research/runs/{run.id}/step/", headers={"HX-Request": "true"})
    assert first.status_code == 200 and "step 2 of" in first.content.decode()
    for _ in STEPS[1:]:
        last = client.post(f"/research/runs/{run.id}/step/", headers={"HX-Request": "true"})
    assert last.status_code == 204 and last["HX-Redirect"].endswith(f"/research/runs/{run.id}/")
    run.refresh_from_db()
    assert run.status == "done" and run.patients == 5 and set(STEPS[1:]) <= set(run.results)
    page = client.get(f"/research/runs/{run.id}/").content.decode()
    assert "ferritin_exposure" in page and "<svg" in page and "not proof of cause" in page
    download = client.get(f"/research/runs/{run.id}/download/")
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    names = archive.namelist()
    assert any(n.endswith("parquet/lab_results.parquet") for n in names) and not any(".cohort" in n for n in names)
    text = "".join(archive.read(n).decode() for n in names if n.endswith((".json", ".csv")))
    assert all(p.user.username not in text for p in patients)
    assert AuditEvent.objects.filter(action="research_download", actor_username="rita").exists()


def test_a_researcher_sees_only_their_own_runs(patients, cast, research_dir):
    from tests.personas import make_user

    other = make_user("rhea", "researcher")
    client = logged_in(other)
    client.post("/research/runs/", {"sex": "female"})
    run = ResearchRun.objects.get(researcher=other)
    rita = logged_in(cast.rita)
    assert rita.get(f"/research/runs/{run.id}/").status_code == 404
    assert rita.post(f"/research/runs/{run.id}/step/").status_code == 404
    assert rita.get(f"/research/runs/{run.id}/download/").status_code == 404
