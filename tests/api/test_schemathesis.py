"""schemathesis over every API operation, as a patient and as a clinician with a grant (issue 11).

Every operation of the OpenAPI document is fuzzed with valid (positive) and invalid (negative) data,
a bounded number of examples each (PAINWISE_FUZZ_EXAMPLES, default 12), and every response must pass
schemathesis' checks: no 5xx, no status the document does not list, responses matching their schema,
valid requests not rejected and invalid requests not accepted. Path ids are pointed at the patient's
real records (most of the time), so the handlers run rather than answering 404.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from tests.personas import bearer

EXAMPLES = int(os.environ.get("PAINWISE_FUZZ_EXAMPLES", "12"))

# Rules JSON Schema cannot state, each documented in its field's description or docs/api.md: a time
# window relative to now, one field against another, or the server's state (an unknown share code,
# your own username as erase confirmation, an instrument's item count). A schema-valid request may
# be refused with 422 for these codes only; any other refusal of schema-valid data fails the test.
STATEFUL_OR_CROSS_FIELD_CODES = {
    # time windows relative to now
    "diary.too_old", "diary.future_time", "patients.future_date", "labs.future_time", "sharing.past_expiry",
    # one field against another: from <= to; kratom-only fields; stop after start; a dose amount against its
    # unit's maximum; free_text when kind is "other"; a check-in needs one answer; a unit of that analyte and
    # a value plausible for it; ref_low <= ref_high; that instrument's item count and options, at least one
    # answered item
    "request.invalid", "plan.missing", "plan.out_of_range", "plan.not_applicable", "diary.invalid_choice",
    "diary.out_of_range", "diary.implausible", "diary.missing", "diary.empty_check_in", "labs.unknown_unit",
    "labs.implausible_value", "labs.invalid_range", "instruments.wrong_count", "instruments.out_of_range",
    "questionnaires.no_answers",
    # the server's state: the patient's own products and therapies, a share code, erase confirmation by
    # your username, credentials, the CSV file's content
    "diary.unknown_product", "diary.unknown_therapy", "sharing.invalid_code", "erase.not_confirmed",
    "auth.invalid_credentials", "labs.csv_invalid",
    # reports: both dates or neither, from <= to, at most ten years; research consent: the version in force
    "reports.missing_date", "reports.period_order", "reports.period_too_long", "reports.out_of_range",
    "research.stale_consent",
    # a FHIR Bundle's content is checked against the FHIR R4 models, which the OpenAPI document names but
    # does not repeat (docs/fhir.md)
    "fhir.invalid", "fhir.not_bundle", "fhir.patient_count", "fhir.missing_sex", "fhir.missing_birth_date",
    # not yet in the schema (a pattern on every free-text field): control characters in text
    "diary.control_characters",
}  # fmt: skip


def _recent_datetimes() -> Any:
    """Valid diary times: within the last ten years (the server refuses older ones; see above)."""
    from hypothesis import strategies as st

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return st.datetimes(min_value=(now - dt.timedelta(days=3600)).replace(tzinfo=None),
                        max_value=(now - dt.timedelta(minutes=1)).replace(tzinfo=None)).map(
        lambda t: t.isoformat() + "Z")  # fmt: skip


schemathesis.openapi.format("date-time", _recent_datetimes())


def _load_schema() -> Any:
    from painwise.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        with_security_parameters=False,
        database="none",
    )
    return loaded


# Loaded at collection (the document needs no database); each operation becomes its own test.
schema = _load_schema()


@pytest.fixture
def fuzz_world(cast: Any) -> Iterator[dict[str, Any]]:
    """Alice's records of every kind, their ids by path parameter, and the two actors' headers."""
    from django.utils import timezone

    from painwise.diary.services import diary_record_create

    when = timezone.now() - dt.timedelta(hours=2)
    alice, patient = cast.alice, cast.alice_patient
    ids: dict[str, str] = {"patient_id": str(patient.id), "therapy_id": str(cast.kratom.id)}
    records = {
        "pain_entries": {"occurred_at": when, "body_site": "neck", "nrs": 4},
        "check_ins": {"occurred_at": when, "mood": 5},
        "dose_events": {
            "occurred_at": when,
            "product_id": cast.kratom.id,
            "amount": 2,
            "unit": "capsule",
            "status": "taken",
        },
        "therapy_sessions": {"occurred_at": when, "modality": "cbt", "minutes": 20, "status": "done"},
        "side_effects": {"occurred_at": when, "kind": "nausea", "severity": "mild"},
    }
    record_ids = {}
    for kind, data in records.items():
        record_ids[kind] = str(diary_record_create(actor=alice, patient=patient, kind=kind, data=data).id)
    world = {
        "ids": ids,
        "record_ids": record_ids,
        "actors": {"patient": bearer(alice), "clinician": bearer(cast.bob)},
        "grant_id": str(cast.grant.id),
    }
    # schemathesis calls the WSGI application directly; like Django's test client, keep the test's
    # database connection open across requests (on PostgreSQL it would otherwise be closed mid-test).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield world
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _point_at_real_records(case: Any, world: dict[str, Any], rng: random.Random) -> None:
    params = case.path_parameters or {}
    if not params or rng.random() < 0.15:  # now and then keep the generated ids: 404 paths get fuzzed too
        return
    if "patient_id" in params:
        params["patient_id"] = world["ids"]["patient_id"]
    if "therapy_id" in params:
        params["therapy_id"] = world["ids"]["therapy_id"]
    if "grant_id" in params:
        params["grant_id"] = world["grant_id"]
    if "record_id" in params:
        kind = case.path.split("/")[-2]
        params["record_id"] = world["record_ids"].get(kind, params["record_id"])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_keeps_its_contract(case: Any, fuzz_world: dict[str, Any]) -> None:
    rng = random.Random(repr(case.path_parameters) + repr(case.query))
    if case.meta is None or case.meta.generation.mode.is_positive:
        _point_at_real_records(case, fuzz_world, rng)
    # Each case as the patient, then as the clinician she shared everything with. Authentication is
    # checked by tests/security (every route x persona), so schemathesis' ignored_auth check is off;
    # positive-data acceptance runs here with the documented exceptions above.
    from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

    for actor in ("patient", "clinician"):
        case.headers = {**(case.headers or {}), **fuzz_world["actors"][actor]}
        response = case.call_and_validate(excluded_checks=[ignored_auth, positive_data_acceptance])
        if case.meta is not None and case.meta.generation.mode.is_positive:
            _accepts_valid_data(case, response)


def _accepts_valid_data(case: Any, response: Any) -> None:
    status = response.status_code
    if 200 <= status < 300 or status in (401, 403, 404, 409, 429):
        return
    code = response.json().get("error", {}).get("code") if status == 422 else None
    assert code in STATEFUL_OR_CROSS_FIELD_CODES, (
        f"valid request rejected: {case.operation.label} answered {status} {response.text[:300]}\n"
        f"{case.as_curl_command()}"
    )
