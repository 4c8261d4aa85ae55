"""Export → import into an empty database → export is identical; bad documents store nothing."""

import copy
import datetime as dt
import json

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from painwise.cli import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_diary(cast):
    from painwise.diary.services import diary_record_create

    patient, now = cast.alice_patient, timezone.now()
    make = lambda record_kind, hours, **data: diary_record_create(  # noqa: E731
        actor=cast.alice,
        patient=patient,
        kind=record_kind,
        data={"occurred_at": now - dt.timedelta(hours=hours), **data},
    )
    make("pain_entries", 30, body_site="lower_back", nrs=6, qualities=["burning"], note="after gardening")
    make("pain_entries", 2, body_site="neck", nrs=3)
    make("check_ins", 20, sleep_hours=6.5, sleep_quality=5, mood=6, interference=4, alcoholic_drinks=1)
    make("dose_events", 10, product_id=cast.kratom.id, amount=2, unit="capsule", status="taken")
    make("dose_events", 5, product_id=cast.kratom.id, amount=0, unit="capsule", status="skipped")
    make("therapy_sessions", 26, modality="physical_therapy", minutes=45, status="done", home_practice=False)
    make("side_effects", 8, kind="hair_shedding", ctcae_grade=1, onset_date=dt.date.today() - dt.timedelta(days=3))
    return cast


def wipe(patient):
    user = patient.user
    from painwise.diary.specs import SPECS

    for spec in SPECS.values():
        spec.model.objects.filter(patient=patient).delete()
    patient.therapies.all().delete()
    user.delete()


def test_it_round_trips_export_import_export_identically(alice_diary):
    from painwise.exchange.export import export_patient
    from painwise.exchange.importer import import_patient

    first = export_patient(alice_diary.alice_patient)
    wipe(alice_diary.alice_patient)
    imported = import_patient(json.loads(json.dumps(first)))
    second = export_patient(imported)
    assert second == first
    assert len(first["pain_entries"]) == 2 and len(first["dose_events"]) == 2


def test_it_round_trips_through_the_cli(alice_diary, tmp_path):
    runner = CliRunner()
    out = tmp_path / "alice.json"
    result = runner.invoke(app, ["export", "--patient", "alice", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    wipe(alice_diary.alice_patient)
    assert runner.invoke(app, ["import", str(out)]).exit_code == 0
    again = tmp_path / "again.json"
    by_id = json.loads(out.read_text())["patient"]["id"]
    assert runner.invoke(app, ["export", "--patient", by_id, "--out", str(again)]).exit_code == 0
    assert again.read_text() == out.read_text()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["pain_entries"][1].update(nrs=11), "pain_entries[1].nrs"),
        (lambda d: d["check_ins"][0].update(sleep_hours=30), "check_ins[0].sleep_hours"),
        (lambda d: d["dose_events"][0].update(amount=-2), "dose_events[0].amount"),
        (lambda d: d["dose_events"][0].update(unit="pint"), "dose_events[0].unit"),
        (lambda d: d["pain_entries"][0].update(occurred_at="2999-01-01T00:00:00+00:00"), "pain_entries[0].occurred_at"),
        (lambda d: d["pain_entries"][0].update(occurred_at="yesterday"), "pain_entries[0].occurred_at"),
        (lambda d: d["pain_entries"][0].update(colour="red"), "pain_entries[0].colour"),
        (lambda d: d["pain_entries"].append(copy.deepcopy(d["pain_entries"][0])), "pain_entries[2].id"),
        (
            lambda d: d["dose_events"][0].update(product_id="8b0a3f0e-0000-4000-8000-000000000000"),
            "dose_events[0].product_id",
        ),
        (lambda d: d.update(format="something-else"), "format"),
    ],
)
def test_it_imports_nothing_from_a_bad_document(alice_diary, mutate, field):
    from painwise.core.errors import DomainError
    from painwise.diary.models import PainEntry
    from painwise.exchange.export import export_patient
    from painwise.exchange.importer import import_patient
    from painwise.patients.models import Patient

    doc = export_patient(alice_diary.alice_patient)
    wipe(alice_diary.alice_patient)
    mutate(doc)
    with pytest.raises(DomainError) as caught:
        import_patient(doc)
    assert caught.value.field == field
    assert Patient.objects.filter(user__username="alice").count() == 0
    assert PainEntry.objects.count() == 0


def test_it_refuses_to_import_over_an_existing_patient(alice_diary):
    from painwise.core.errors import DomainError
    from painwise.exchange.export import export_patient
    from painwise.exchange.importer import import_patient

    doc = export_patient(alice_diary.alice_patient)
    with pytest.raises(DomainError) as caught:
        import_patient(doc)
    assert caught.value.code == "import.duplicate"


def test_it_reports_malformed_files_on_the_cli(tmp_path, db):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = CliRunner().invoke(app, ["import", str(bad)])
    assert result.exit_code == 2
    assert "not valid JSON" in result.output
    missing = CliRunner().invoke(app, ["import", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2


def test_it_exits_non_zero_for_an_unknown_patient(db):
    result = CliRunner().invoke(app, ["export", "--patient", "nobody"])
    assert result.exit_code == 2
    assert "no patient" in result.output
