"""GET/PUT /api/v1/me/research-consent: the patient reads the text and decides (docs/research.md)."""

from __future__ import annotations

import json

import pytest

from painwise.audit.models import AuditEvent
from painwise.research.consent import CONSENT_TEXT, CONSENT_VERSION
from painwise.research.models import ResearchConsent
from tests.personas import bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/research-consent"


def put(client, user, body):
    return client.put(URL, data=json.dumps(body), content_type="application/json", headers=bearer(user))


def test_a_patient_reads_the_text_and_has_no_decision_at_first(client, cast):
    response = client.get(URL, headers=bearer(cast.alice))
    assert response.status_code == 200
    assert response.json() == {
        "version": CONSENT_VERSION,
        "text": CONSENT_TEXT,
        "decision": None,
        "decided_version": None,
        "decided_at": None,
        "current": False,
    }


def test_opting_in_then_out_is_stored_with_the_text_shown_and_audited(client, cast):
    response = put(client, cast.alice, {"decision": "opt_in", "version": CONSENT_VERSION})
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == "opt_in" and body["current"] is True and body["decided_version"] == CONSENT_VERSION
    assert put(client, cast.alice, {"decision": "opt_out", "version": CONSENT_VERSION}).json()["decision"] == "opt_out"
    assert client.get(URL, headers=bearer(cast.alice)).json()["decision"] == "opt_out"
    stored = ResearchConsent.objects.filter(patient=cast.alice_patient)
    assert stored.count() == 2 and {c.text for c in stored} == {CONSENT_TEXT}
    assert AuditEvent.objects.filter(actor_id=cast.alice.id, action="research_consent").count() == 2
    assert client.get(URL, headers=bearer(cast.dave)).json()["decision"] is None  # each patient their own


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "opt_in", "version": "2020-01-v0"}, "version"),
        ({"decision": "maybe", "version": CONSENT_VERSION}, "decision"),
        ({"decision": "opt_in"}, "version"),
        ({"decision": "opt_in", "version": CONSENT_VERSION, "extra": 1}, "extra"),
    ],
)
def test_a_stale_version_or_a_bad_decision_is_a_422_and_nothing_is_stored(client, cast, body, field):
    response = put(client, cast.alice, body)
    assert response.status_code == 422 and response.json()["error"]["field"] == field
    assert not ResearchConsent.objects.exists()


@pytest.mark.parametrize("who", ["bob", "carol", "rita", "adam"])
def test_other_accounts_have_no_consent_to_read_or_set(client, cast, who):
    user = getattr(cast, who)
    assert client.get(URL, headers=bearer(user)).status_code == 404
    assert put(client, user, {"decision": "opt_in", "version": CONSENT_VERSION}).status_code == 404
    assert not ResearchConsent.objects.exists()


def test_it_needs_a_token(client, cast):
    assert client.get(URL).status_code == 401
