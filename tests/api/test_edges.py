"""The three 500s schemathesis found (issue 11) answer 4xx with the error shape, or an empty page."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.personas import bearer

pytestmark = pytest.mark.django_db


def base(cast):
    return f"/api/v1/patients/{cast.alice_patient.id}"


def post(client, path, body, headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def patch(client, path, body, headers):
    return client.patch(path, data=json.dumps(body), content_type="application/json", headers=headers)


def an_hour_ago():
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("pain_entries", {"body_site": "neck", "nrs": 5, "qualities": ["dull"]}, "qualities"),
        ("therapy_sessions", {"modality": "cbt", "home_practice": True}, "home_practice"),
        ("pain_entries", {"body_site": "neck", "nrs": 5}, "nrs"),
        ("pain_entries", {"body_site": "neck", "nrs": 5}, "occurred_at"),
    ],
)
def test_patch_refuses_null_for_a_field_that_cannot_be_empty(cast, client, kind, body, field):
    headers = bearer(cast.alice)
    created = post(client, f"{base(cast)}/{kind}", {"occurred_at": an_hour_ago(), **body}, headers)
    assert created.status_code == 201, created.content
    record = f"{base(cast)}/{kind}/{created.json()['id']}"
    response = patch(client, record, {field: None}, headers)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"] == field
    assert client.get(record, headers=headers).json()[field] == created.json()[field]  # nothing stored


def test_patch_still_clears_a_nullable_field(cast, client):
    headers = bearer(cast.alice)
    created = post(client, f"{base(cast)}/therapy_sessions", {"occurred_at": an_hour_ago(), "modality": "cbt",
                                                               "minutes": 30}, headers)  # fmt: skip
    response = patch(client, f"{base(cast)}/therapy_sessions/{created.json()['id']}", {"minutes": None}, headers)
    assert response.status_code == 200 and response.json()["minutes"] is None


@pytest.mark.parametrize("day", ["0492-01-29", "2263-01-01", "9999-12-31", "0001-01-01"])
def test_exposure_far_outside_the_calendar_is_a_422_not_a_500(cast, client, day):
    for query in (f"to={day}", f"from={day}&to={day}"):
        response = client.get(f"{base(cast)}/exposure?{query}", headers=bearer(cast.alice))
        assert response.status_code == 422, (query, response.content)
        assert response.json()["error"]["field"] in ("from", "to")


@pytest.mark.parametrize("path", ["pain_entries", "check_ins", "labs", "questionnaires"])
@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=9999-12-31"])
def test_list_filters_at_the_ends_of_the_calendar_answer_200(cast, client, path, query):
    headers = bearer(cast.alice)
    post(client, f"{base(cast)}/pain_entries", {"occurred_at": an_hour_ago(), "body_site": "neck", "nrs": 3}, headers)
    response = client.get(f"{base(cast)}/{path}?{query}", headers=headers)
    assert response.status_code == 200, response.content
    if path == "pain_entries":
        assert response.json()["count"] == 1  # the whole calendar includes today's entry


@pytest.mark.parametrize("value", ["1700000000", "0", "20240101", "2024-1-1", "2024-01-01T00:00:00"])
def test_dates_in_queries_must_be_written_out(cast, client, value):
    for path in ("pain_entries", "exposure", "labs"):
        response = client.get(f"{base(cast)}/{path}?to={value}", headers=bearer(cast.alice))
        assert response.status_code == 422, (path, value, response.content)
        assert response.json()["error"]["field"] == "to"
