"""`painwise serve`: the production web server (gunicorn, configured by painwise.gunicorn_conf)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import fail


def gunicorn_argv(bind: str | None, workers: int | None, threads: int | None) -> list[str]:
    """The gunicorn command line `painwise serve` runs (flags given here override the config file)."""
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:painwise.gunicorn_conf"]
    if bind:
        argv += ["--bind", bind]
    if workers is not None:
        argv += ["--workers", str(workers)]
    if threads is not None:
        argv += ["--threads", str(threads)]
    return [*argv, "painwise.wsgi:application"]


@app.command("serve")
def serve_command(
    bind: Annotated[
        str | None,
        typer.Option(
            "--bind", help="HOST:PORT to listen on (default PAINWISE_WEB_BIND or 127.0.0.1:8000; --dev: 127.0.0.1:8000)"
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, max=64, help="worker processes (default 2 x CPUs + 1, max 12)")
    ] = None,
    threads: Annotated[
        int | None, typer.Option("--threads", min=1, max=64, help="threads per worker (default 4)")
    ] = None,
    dev: Annotated[
        bool, typer.Option("--dev", help="Django's development server (auto-reload), not for real use")
    ] = False,
) -> None:
    """Serve the web app and API with gunicorn (threaded workers sized from the CPU count, whitenoise)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painwise.settings")
    if dev:
        address = bind or "127.0.0.1:8000"
        argv = [sys.executable, "-m", "painwise.manage", "runserver", address]
    else:
        argv = gunicorn_argv(bind, workers, threads)
    sys.stdout.flush()
    try:
        os.execv(argv[0], argv)  # noqa: S606 - our own interpreter with a fixed module
    except OSError as exc:
        fail(f"cannot start the server: {exc}", exit_code=1)
