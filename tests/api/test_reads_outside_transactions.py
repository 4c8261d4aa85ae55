"""Reads must work without a surrounding transaction (row locks would fail there on PostgreSQL)."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.personas import bearer

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_reads_one_diary_record_outside_a_transaction(cast, client):
    url = f"/api/v1/patients/{cast.alice_patient.id}/pain_entries"
    body = {"occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "body_site": "neck", "nrs": 3}
    headers = bearer(cast.alice)
    entry = client.post(url, data=json.dumps(body), content_type="application/json", headers=headers).json()
    response = client.get(f"{url}/{entry['id']}", headers=headers)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["nrs"] == 3
