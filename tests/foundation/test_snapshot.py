"""The database builds the same snapshot as the patient's export, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painwise.core.snapshot import snapshot_from_export
from painwise.core.synth.cohort import generate_patient
from painwise.patients.snapshot import SNAPSHOT_QUERIES, build_snapshot

pytestmark = pytest.mark.django_db


def imported(years: float, seed: int = 11):
    from painwise.exchange.importer import import_patient

    return import_patient(generate_patient(seed, username=f"snap-{seed}", years=years, sex="female").record)


def test_it_builds_the_same_snapshot_from_the_database_as_from_the_export(settings):
    from painwise.demo import seed_demo
    from painwise.exchange.export import export_patient
    from painwise.patients.models import Patient

    settings.DEMO_MODE = True
    seed_demo(extra_patients=0)
    patient = Patient.objects.get(user__username="demo-patient")
    from_db = build_snapshot(patient.id)
    from_export = snapshot_from_export(export_patient(patient))
    assert from_db == from_export
    assert len(from_db.pain) > 1000 and from_db.labs and from_db.questionnaires and from_db.doses


@pytest.mark.parametrize("years", [1, 5])
def test_it_reads_in_a_fixed_number_of_queries(years):
    patient = imported(years, seed=20 + years)
    with CaptureQueriesContext(connection) as queries:
        snapshot = build_snapshot(patient.id)
    assert len(queries.captured_queries) == SNAPSHOT_QUERIES
    assert snapshot.last_day - snapshot.first_day > dt.timedelta(days=300 * years)


def test_deleted_records_are_not_in_the_snapshot():
    from painwise.accounts.models import User
    from painwise.diary.models import PainEntry
    from painwise.diary.services import diary_record_delete

    patient = imported(0.3, seed=31)
    entry = PainEntry.objects.filter(patient=patient).first()
    diary_record_delete(
        actor=User.objects.get(username="snap-31"), patient=patient, kind="pain_entries", record_id=entry.id
    )
    assert str(entry.id) not in {p.id for p in build_snapshot(patient.id).pain}
