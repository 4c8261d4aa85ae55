"""The `painwise` command. Each sub-module adds its commands to `app`; errors exit non-zero.

Command modules: synth (synthetic cohort), data (demo/export/import), score (questionnaires),
lab (blood work). Register a new module in COMMAND_MODULES.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="painwise",
    help="painwise: chronic-pain diary, multimodal plan and safety monitoring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """painwise: chronic-pain diary, multimodal plan and safety monitoring."""


COMMAND_MODULES = [
    "synth",
    "data",
    "score",
    "lab",
    "ops",
    "pv",
    "monitor",
    "research",
    "insights",
    "report",
    "fhir",
    "reminders",
    "serve",
]


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"painwise.cli.{name}")


_register()


def main() -> None:
    app()
