"""docs/labs.md stays in step with the catalogue, LabConfig and the CLI (fails when something is undocumented)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.main import get_command

from painwise.cli import app
from painwise.core.labs import ANALYTES, LabConfig

DOCS = Path(__file__).resolve().parents[5] / "docs" / "labs.md"


@pytest.fixture(scope="module")
def docs() -> str:
    return DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_it_documents_every_analyte_with_its_loinc_codes_and_confirmation(docs, analyte):
    row = next(line for line in docs.splitlines() if line.startswith(f"| `{analyte.short_name}` |"))
    for code in analyte.loinc:
        assert f"{code.code} {'✓' if code.confirmed else '✗'}" in row
    assert f"| {analyte.canonical_unit} |" in row


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(LabConfig)])
def test_it_documents_every_config_field(docs, field):
    assert f"`{field}`" in docs


def _lab_options() -> list[tuple[str, str]]:
    lab = get_command(app).commands["lab"]  # type: ignore[attr-defined]
    return [(name, opt) for name, cmd in lab.commands.items() for p in cmd.params for opt in p.opts]


@pytest.mark.parametrize(("command", "option"), _lab_options())
def test_it_documents_every_cli_command_and_option(docs, command, option):
    assert f"painwise lab {command}" in docs
    assert option in docs
