#!/usr/bin/env bash
# The whole test suite: lint, types, pytest on SQLite, then the database tests on PostgreSQL.
# PAINWISE_REQUIRE_POSTGRES=1 / PAINWISE_REQUIRE_BROWSER=1 (set by .ci/run) turn skips into failures.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python

echo "== ruff"
$VENV/bin/ruff check src tests bench
$VENV/bin/ruff format --check src tests bench
echo "== mypy"
$VENV/bin/mypy

bash scripts/ensure-chromium.sh || true
bash scripts/ensure-pg-client.sh || true
# The PySpark engine's tests: PAINWISE_REQUIRE_SPARK=1 (set by .ci/run) installs Java 17 and the `spark`
# extra and turns their skips into failures; otherwise they run only when pyspark and java are present.
if [ "${PAINWISE_REQUIRE_SPARK:-0}" = "1" ]; then
  bash scripts/ensure-java.sh || true
  $PY -c "import pyspark" 2>/dev/null || $VENV/bin/pip install --quiet -e '.[dev,spark]'
fi

echo "== pytest (SQLite)"
DATABASE_URL=sqlite:///:memory: $PY -m pytest -n 2 -q

PG_URL=${DATABASE_URL_PG:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/painwise}}
case "$PG_URL" in postgres*) ;; *) PG_URL=postgres://postgres@127.0.0.1:5432/painwise ;; esac
if $PY scripts/pg_reachable.py "$PG_URL"; then
  echo "== pytest (PostgreSQL: database tests)"
  DATABASE_URL=$PG_URL PAINWISE_ON_POSTGRES=1 $PY -m pytest -n 2 -q -m "dbtest or postgres"
else
  if [ "${PAINWISE_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "FAIL: PostgreSQL is required (PAINWISE_REQUIRE_POSTGRES=1) but none is reachable at $PG_URL" >&2
    exit 1
  fi
  echo "!! PostgreSQL tests SKIPPED: no server reachable at $PG_URL (set DATABASE_URL to run them)"
fi
