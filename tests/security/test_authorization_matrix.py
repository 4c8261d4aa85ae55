"""The authorisation matrix: every route × every persona against a hand-written table of outcomes.

Routes are enumerated from the URL configuration (tests/security/matrix_routes.py), so a new route is
covered by itself: it fails here until someone writes down who may use it in matrix_table.py (and how to
call it in matrix_calls.py). The table is written from the documented rules, never from the code.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import NoReverseMatch, reverse

from tests.security.matrix_calls import CALLS, VARIANT_CALLS, Call
from tests.security.matrix_routes import api_methods, duplicate_keys, route_keys
from tests.security.matrix_table import DENIED, EXPECTED, FORBIDDEN, INVALID, KNOWN_FINDINGS, LOGIN, OK, VARIANTS
from tests.security.matrix_world import PERSONA_HELP, PERSONAS, World

ROUTES = route_keys()
SECOND_FACTOR_PAGES = ("web:login_otp", "web:otp_enrol")
# Who may see alice's patient id in an `ok` answer; elsewhere it must not appear at all (a 200 that
# lists her to carol is as much a leak as a 200 on her record).
ENTITLED_TO_ALICE = ("alice", "bob")
# Answers that name alice's id to others by design: a clinician's own grants (also ended ones) and a
# freshly redeemed one; the admin's audit search (reads are recorded with the patient's id); the
# admin's account list (usernames and roles only, no clinical data).
MAY_NAME_ALICE = {
    "api:sharing_grants",
    "api:sharing_redeem",
    "api:admin_audit",
    "api:admin_audit_csv",
    "web:admin_audit",
    "web:admin_audit_csv",
    "web:admin_accounts",
}


# API operations also served outside /api/v1 (CDS Hooks at the root, as the standard names it).
API_AT_ROOT = ("cds_discovery", "cds_service")


def is_api(route: str) -> bool:
    return route.startswith("api:") or route.partition("[")[0] in API_AT_ROOT


def _path_of(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def classify(response: Any, *, api: bool, route: str = "") -> str:
    """The outcome category of a response: see matrix_table.py. A redirect to the two-factor step is
    its own category (the persona was not let through), except between the two-factor pages themselves."""
    status = response.status_code
    target = response.headers.get("Location") or response.headers.get("HX-Redirect")
    if api and status == 401:
        return LOGIN
    if target and (300 <= status < 400 or "HX-Redirect" in response.headers):
        url = urlsplit(target)
        if url.path == reverse("web:login") and "next" in parse_qs(url.query):
            return LOGIN
        if url.path in {p for p in map(_path_of, SECOND_FACTOR_PAGES) if p} and route not in SECOND_FACTOR_PAGES:
            return "second-factor step"
        return OK
    if 200 <= status < 300:
        return OK
    if status == 404:
        return DENIED
    if status == 403:
        return FORBIDDEN
    if status in (400, 422):
        if api and "error" not in response.json():
            return f"HTTP {status} without the error shape"
        return INVALID
    return f"HTTP {status}"


def describe(response: Any) -> str:
    where = response.headers.get("Location") or response.headers.get("HX-Redirect")
    if where:
        return f"HTTP {response.status_code} → {where}"
    if response.streaming:
        return f"HTTP {response.status_code} (streamed)"
    text = response.content.decode(errors="replace")
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    text = f"page “{title.group(1).strip()}”" if title else text[:160].replace("\n", " ")
    return f"HTTP {response.status_code}: {text}"


@pytest.fixture
def world(cast: Any) -> World:
    return World(cast)


def run(world: World, route: str, persona: str, call: Call) -> Any:
    api = is_api(route)
    client = world.web_client("anon") if api else world.web_client(persona)
    headers = world.api_headers(persona) if api else {}
    return call.send(client, world, persona, headers)


def check(world: World, route: str, persona: str, call: Call, expected: dict[str, dict[str, str]]) -> None:
    assert route in expected, f"{route} is not in the authorisation table (tests/security/matrix_table.py)"
    assert route in CALLS or route in VARIANT_CALLS, f"{route}: no request in tests/security/matrix_calls.py"
    want = expected[route][persona]
    response = run(world, route, persona, call)
    got = classify(response, api=is_api(route), route=route)
    assert got == want, (
        f"{route} × {persona} ({PERSONA_HELP[persona]}): expected {want}, got {got} ({describe(response)})"
    )
    base = route.partition("[")[0]
    if got == OK and persona not in ENTITLED_TO_ALICE and base not in MAY_NAME_ALICE and not response.streaming:
        text = response.content.decode(errors="replace")
        named = [what for what in (str(world.patient.id), "alice") if what in text]
        assert not named, f"{route} × {persona}: the answer names alice ({', '.join(named)}; {describe(response)})"


def case(key: str, persona: str) -> Any:
    marks = []
    if (key, persona) in KNOWN_FINDINGS:
        marks.append(pytest.mark.xfail(reason=f"security finding: {KNOWN_FINDINGS[key, persona]}", strict=True))
    return pytest.param(key, persona, id=f"{key}@{persona}", marks=marks)


CASES = [case(route, persona) for route in ROUTES for persona in PERSONAS]


@pytest.mark.parametrize(("route", "persona"), CASES)
def test_route_answers_each_persona_as_the_table_says(world: World, route: str, persona: str) -> None:
    assert route in EXPECTED, f"{route} is not in the authorisation table (tests/security/matrix_table.py)"
    assert route in CALLS, f"{route}: no request in tests/security/matrix_calls.py"
    check(world, route, persona, CALLS[route], EXPECTED)


VARIANT_CASES = [case(key, persona) for key in VARIANT_CALLS for persona in PERSONAS]


@pytest.mark.parametrize(("key", "persona"), VARIANT_CASES)
def test_body_dependent_variants_answer_as_the_table_says(world: World, key: str, persona: str) -> None:
    route, call = VARIANT_CALLS[key]
    assert route in ROUTES, f"{key}: {route} is no longer a route"
    check(world, key, persona, call, VARIANTS)


def test_the_table_lists_exactly_the_enumerated_routes() -> None:
    routes, table, calls = set(ROUTES), set(EXPECTED), set(CALLS)
    problems = []
    if missing := sorted(routes - table):
        problems.append(f"routes missing from the table (matrix_table.py): {', '.join(missing)}")
    if extra := sorted(table - routes):
        problems.append(f"table rows for routes that do not exist: {', '.join(extra)}")
    if missing_calls := sorted(routes - calls):
        problems.append(f"routes without a request (matrix_calls.py): {', '.join(missing_calls)}")
    if extra_calls := sorted(calls - routes):
        problems.append(f"requests for routes that do not exist: {', '.join(extra_calls)}")
    if duplicates := duplicate_keys():
        problems.append(f"route names used by more than one pattern: {', '.join(duplicates)}")
    assert not problems, "\n".join(problems)


def test_every_row_names_every_persona_with_a_known_outcome() -> None:
    outcomes = {OK, LOGIN, DENIED, FORBIDDEN, INVALID}
    for route, row in {**EXPECTED, **VARIANTS}.items():
        assert set(row) == set(PERSONAS), route
        assert set(row.values()) <= outcomes, f"{route}: {row}"
    assert set(VARIANTS) == set(VARIANT_CALLS)
    assert {key for key, _ in KNOWN_FINDINGS} <= set(EXPECTED) | set(VARIANTS)


def test_every_api_operation_is_called_with_its_own_method() -> None:
    methods = api_methods()
    methods.update({name: methods[f"api:{name}"] for name in API_AT_ROOT})  # the same operations
    wrong = {
        route: (CALLS[route].method, sorted(methods.get(route, ())))
        for route in ROUTES
        if is_api(route) and route in CALLS and CALLS[route].method not in methods.get(route, ())
    }
    for key, (route, call) in VARIANT_CALLS.items():
        if is_api(route) and call.method not in methods.get(route, ()):
            wrong[key] = (call.method, sorted(methods.get(route, ())))
    assert not wrong, f"API routes called with a method they do not serve (called, served): {wrong}"
