import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.personas import bearer

pytestmark = pytest.mark.django_db


def add_doses(cast, days, amount=4):
    from painwise.diary.services import diary_record_create

    now = timezone.now()
    for day in range(days):
        diary_record_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            kind="dose_events",
            data={"occurred_at": now - dt.timedelta(days=day, hours=1), "product_id": cast.kratom.id,
                  "amount": amount, "unit": "capsule", "status": "taken"},
        )  # fmt: skip


def test_it_computes_leaf_grams_and_a_mitragynine_interval_when_content_is_unknown(cast):
    from painwise.treatment.exposure import exposure_summary

    add_doses(cast, 30)  # 4 capsules x 0.5 g = 2 g a day
    summary = exposure_summary(cast.alice_patient)
    assert summary.leaf_g_7d == 2.0 and summary.leaf_g_28d == 2.0
    assert summary.cumulative_leaf_kg == 0.06
    assert summary.mitragynine_exact is False
    assert (summary.mitragynine_28d_low, summary.mitragynine_28d_high) == (2.0, 39.0)  # 2 g x 0.8-19.5 mg/g
    assert "Tanna" in summary.content_source and "clinical_reference" not in summary.content_source
    assert summary.has_7oh is False


def test_it_shows_7oh_products_to_the_clinician(cast):
    from painwise.treatment.services import therapy_create

    therapy_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"kind": "kratom", "name": "7-OH tablets", "start_date": dt.date.today(), "form": "7oh", "unit": "mg"},
    )
    cast.bob.save()
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(cast.bob)
    device = TOTPDevice.objects.create(user=cast.bob, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page = client.get(f"/patients/{cast.alice_patient.id}/").content.decode()
    assert "7-OH product in use" in page
    assert "not a target" in page


def test_it_serves_exposure_over_the_api_to_a_clinician_with_the_plan_scope(cast, client):
    add_doses(cast, 3)
    url = f"/api/v1/patients/{cast.alice_patient.id}/exposure"
    body = client.get(url, headers=bearer(cast.bob)).json()
    assert body["cumulative_leaf_g"] == 6.0
    assert body["mitragynine_content_range_mg_per_g"] == [0.8, 19.5]
    assert client.get(url, headers=bearer(cast.carol)).status_code == 404
    bad = client.get(url + "?from=2026-05-01&to=2026-01-01", headers=bearer(cast.bob))
    assert bad.status_code == 422
    assert json.loads(bad.content)["error"]["field"] == "from"


def test_it_links_the_clinician_to_the_patients_labs_and_questionnaires(cast):
    from tests.personas import logged_in

    page = logged_in(cast.bob).get(f"/patients/{cast.alice_patient.id}/").content.decode()
    assert f"/labs/patients/{cast.alice_patient.id}/" in page
    assert f"/questionnaires/patients/{cast.alice_patient.id}/" in page


def test_it_shows_who_entered_a_plan_change(cast, client):
    import datetime as dt

    from tests.personas import bearer

    url = f"/api/v1/patients/{cast.alice_patient.id}/therapies"
    body = {"kind": "supplement", "name": "Ferrous sulfate", "start_date": str(dt.date.today())}
    created = client.post(url, data=json.dumps(body), content_type="application/json", headers=bearer(cast.bob))
    assert created.status_code == 201
    assert created.json()["entered_by"] == "bob"
    listed = {t["name"]: t["entered_by"] for t in client.get(url, headers=bearer(cast.alice)).json()}
    assert listed == {"Green Maeng Da capsules": "alice", "Ferrous sulfate": "bob"}


def test_it_writes_out_amounts_it_cannot_convert_to_leaf_grams(cast):
    from painwise.diary.services import diary_record_create
    from painwise.treatment.exposure import exposure_summary
    from painwise.treatment.services import therapy_create

    tincture = therapy_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"kind": "kratom", "name": "Tincture", "start_date": dt.date.today() - dt.timedelta(days=3),
              "form": "extract", "unit": "mL"},
    )  # fmt: skip
    for amount in (2, 1.5):
        diary_record_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            kind="dose_events",
            data={"occurred_at": timezone.now() - dt.timedelta(hours=2), "product_id": tincture.id,
                  "amount": amount, "unit": "mL", "status": "taken"},
        )  # fmt: skip
    assert exposure_summary(cast.alice_patient).unconverted_amounts == ["3.5 mL"]
