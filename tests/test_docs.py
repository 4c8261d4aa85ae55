"""Every API endpoint, CLI command and setting is documented (after datasette's tests/test_docs.py)."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
DIARY_KINDS = ("pain_entries", "check_ins", "dose_events", "therapy_sessions", "side_effects")


def api_operations():
    from painwise.api import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for kind in DIARY_KINDS:
            path = path.replace(f"/{kind}", "/{kind}")
        for method in methods:
            yield f"{method.upper()} {path}"


@pytest.mark.parametrize("operation", sorted(set(api_operations())))
def test_it_documents_every_api_endpoint(operation):
    assert f"`{operation}`" in (DOCS / "api.md").read_text(), f"{operation} is missing from docs/api.md"


def cli_commands():
    import typer.main

    from painwise.cli import app

    root = typer.main.get_command(app)
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            yield from (f"painwise {name} {child}" for child in sub)
        else:
            yield f"painwise {name}"


@pytest.mark.parametrize("command", sorted(cli_commands()))
def test_it_documents_every_cli_command(command):
    assert f"`{command}" in (DOCS / "cli.md").read_text(), f"{command} is missing from docs/cli.md"


def settings_read():
    source = "\n".join(p.read_text() for p in (Path(__file__).resolve().parent.parent / "src/painwise").rglob("*.py"))
    return sorted(set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"", source)))


@pytest.mark.parametrize("name", settings_read())
def test_it_documents_every_setting(name):
    assert f"`{name}`" in (DOCS / "settings.md").read_text(), f"{name} is missing from docs/settings.md"


# Statuses a route answers besides the common ones (ERRORS), and why: the OpenAPI document must list them.
EXTRA_STATUSES = {
    ("post", "/api/v1/auth/token"): {429},  # login lockout
    ("post", "/api/v1/sharing/redeem"): {403},  # only clinicians redeem
    ("post", "/api/v1/me/erase"): {403},  # only patients erase their account
    ("post", "/api/v1/patients/{patient_id}/questionnaires"): {403},  # self-report vs clinician-rated
    ("post", "/api/v1/patients/{patient_id}/labs/import"): {415},  # a body that is not text/csv
    ("delete", "/api/v1/patients/{patient_id}/therapies/{therapy_id}"): {409},  # has live dose records
}


@pytest.mark.parametrize("route", sorted(EXTRA_STATUSES))
def test_the_openapi_document_declares_every_status_a_route_answers(route):
    from painwise.api import api

    method, path = route
    declared = {int(code) for code in api.get_openapi_schema()["paths"][path][method]["responses"]}
    assert {400, 401, 404, 422} <= declared
    assert EXTRA_STATUSES[route] <= declared
