"""Finding the PostgreSQL server for tests: skip with a clear message, or fail when CI requires it."""

import os

import pytest


def postgres_url_or_skip() -> str:
    url = os.environ.get("DATABASE_URL_PG") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/painwise"
    try:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            pass
    except Exception as exc:
        if os.environ.get("PAINWISE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable at {url}: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {url}: {exc}")
    return url
