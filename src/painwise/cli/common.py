"""Helpers shared by CLI commands: Django set-up on demand and the CLI side of the error shape."""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import typer

from painwise.core.errors import DomainError

T = TypeVar("T")

USAGE_EXIT = 2


def fail(
    message: str,
    *,
    code: str = "cli.error",
    field: str | None = None,
    exit_code: int = USAGE_EXIT,
    as_json: bool = False,
) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"error": {"code": code, "message": message, "field": field}}), err=True)
    else:
        where = f" [{field}]" if field else ""
        typer.echo(f"error{where}: {message}", err=True)
    raise typer.Exit(exit_code)


@contextmanager
def domain_errors(*, as_json: bool = False, exit_code: int = USAGE_EXIT) -> Iterator[None]:
    """Turn DomainError into the CLI error shape: message on stderr, non-zero exit."""
    try:
        yield
    except DomainError as exc:
        fail(exc.message, code=exc.code, field=exc.field, exit_code=exit_code, as_json=as_json)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painwise.settings")
    import django

    django.setup()


def find_patient(text: str, *, as_json: bool = False) -> Any:
    """The patient named by --patient: a username first, else a patient id; exits 2 when there is none.
    Needs setup_django() first."""
    from painwise.patients.models import Patient

    patients = Patient.objects.select_related("user")
    match = patients.filter(user__username=text).first()
    if match is None:
        try:
            match = patients.filter(id=uuid.UUID(text)).first()
        except ValueError:
            match = None
    if match is None:
        fail(f"no patient with id or username {text!r}", field="--patient", as_json=as_json)
    return match


def run_with_django(fn: Callable[[], T]) -> T:
    setup_django()
    return fn()


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
