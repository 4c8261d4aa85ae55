"""The demo patient's history gives the demo clinician a plausible, non-empty worklist."""

from __future__ import annotations

import datetime as dt

import pytest

from painwise.core.rules import evaluate
from painwise.core.snapshot import snapshot_from_export
from painwise.core.synth.cohort import generate_demo_patient

END = dt.date(2026, 6, 30)


def test_the_demo_history_yields_plausible_findings():
    snapshot = snapshot_from_export(generate_demo_patient(end_date=END).record)
    findings = evaluate(snapshot, END)
    rules = {f.rule for f in findings}
    assert findings, "the demo patient should give the clinician something to review"
    # Her planted story: kratom use, ferritin drifting down, at least one shedding episode (docs/synthetic-data.md).
    assert rules & {"nutrition.iron_deficiency", "labs.out_of_range"}
    assert rules & {"hair.new_onset_on_kratom", "hair.workup_due"}
    assert not rules & {"liver.hys_law", "product.concentrated_7oh"}  # nothing the story does not contain
    for finding in findings:
        assert finding.date <= END and finding.data


@pytest.mark.django_db
def test_seeding_the_demo_fills_the_demo_clinicians_worklist(settings, django_capture_on_commit_callbacks):
    from painwise.demo import seed_demo
    from painwise.monitoring.models import Flag

    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo(extra_patients=0)
    mine = Flag.objects.filter(recipient__username="demo-clinician", patient__user__username="demo-patient")
    assert mine.exists() and mine.filter(status="open").count() == mine.count()
    assert not Flag.objects.filter(patient__user__username="demo-patient", recipient__isnull=True).exists()
