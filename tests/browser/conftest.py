"""Real-browser tests: Playwright driving Debian's chromium (never `playwright install`; see dependencies.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

# live_server + Playwright's sync API run an event loop in the test thread; Django must allow ORM use there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")


def chromium_path() -> str | None:
    return next((p for p in CHROMIUM_CANDIDATES if Path(p).is_file() and os.access(p, os.X_OK)), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    path = chromium_path()
    if path is None:
        message = "Debian chromium not found (run scripts/ensure-chromium.sh as root)"
        if os.environ.get("PAINWISE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PAINWISE_REQUIRE_BROWSER=1 but {message}")
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": path, "args": ["--no-sandbox"]}
