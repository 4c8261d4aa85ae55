"""The production server: health endpoints, gunicorn sizing, `painwise serve`, SQLite under concurrency."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.db import OperationalError
from django.test.utils import CaptureQueriesContext

from painwise.cli.serve import gunicorn_argv
from painwise.gunicorn_conf import default_workers


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query would raise "Database access not allowed".
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_database_and_migrations(client):
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert any("SELECT 1" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_fails(client, monkeypatch):
    from painwise.ops import health

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "OperationalError"}


@pytest.mark.django_db
def test_readyz_answers_503_while_migrations_are_pending(client, monkeypatch):
    from painwise.ops import health

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health, "MigrationExecutor", _PendingExecutor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "pending_migrations": 2}


class _PendingExecutor:
    def __init__(self, connection):
        self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

    def migration_plan(self, targets):
        return ["one", "two"]


def test_workers_are_sized_from_the_cpu_count():
    assert default_workers(1) == 3
    assert default_workers(2) == 5
    assert default_workers(4) == 9
    assert default_workers(64) == 12  # capped: each thread may hold a database connection


def test_serve_runs_gunicorn_with_the_packaged_config():
    argv = gunicorn_argv("127.0.0.1:9999", 3, 2)
    assert argv[:5] == [sys.executable, "-m", "gunicorn", "--config", "python:painwise.gunicorn_conf"]
    assert argv[5:] == ["--bind", "127.0.0.1:9999", "--workers", "3", "--threads", "2", "painwise.wsgi:application"]
    assert gunicorn_argv(None, None, None)[-1] == "painwise.wsgi:application"


def test_gunicorn_config_bounds_database_connections(monkeypatch):
    import importlib

    import painwise.gunicorn_conf as conf

    monkeypatch.delenv("PAINWISE_DB_CONN_MAX_AGE", raising=False)
    monkeypatch.setenv("PAINWISE_EVALUATION", "inline")  # the config's default must not leak into other tests
    monkeypatch.setenv("PAINWISE_WEB_WORKERS", "3")
    monkeypatch.setenv("PAINWISE_WEB_THREADS", "5")
    conf = importlib.reload(conf)
    assert (conf.worker_class, conf.workers, conf.threads) == ("gthread", 3, 5)
    import os

    assert os.environ["PAINWISE_DB_CONN_MAX_AGE"] == "60"
    monkeypatch.delenv("PAINWISE_WEB_WORKERS")
    monkeypatch.delenv("PAINWISE_WEB_THREADS")
    importlib.reload(conf)


def test_the_server_queues_evaluations_and_starts_one_worker_beside_it(monkeypatch):
    """Under gunicorn a write queues its patient's evaluation; the master starts `painwise monitor work`
    (niced, told the master's pid so it stops with it) and stops it on exit."""

    out = subprocess.run(  # a fresh interpreter: the config's environment default, not this process's
        [sys.executable, "-c", "import os, painwise.gunicorn_conf; print(os.environ['PAINWISE_EVALUATION'])"],
        capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "PAINWISE_EVALUATION"},
    )  # fmt: skip
    assert out.stdout.strip() == "queue"

    import painwise.gunicorn_conf as conf

    started = []

    class FakeProcess:
        pid = 4242
        signals: list[int] = []

        def __init__(self, argv, **kwargs):
            started.append(argv)

        def poll(self):
            return None

        def send_signal(self, sig):
            self.signals.append(sig)

        def wait(self, timeout=None):
            return 0

    server = type("S", (), {"log": type("L", (), {"info": lambda *a: None})()})()
    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    monkeypatch.setenv("PAINWISE_EVALUATION", "queue")
    monkeypatch.setattr(conf, "_evaluation_worker", [])
    conf.when_ready(server)
    assert started == [[sys.executable, "-m", "painwise.cli.main", "monitor", "work", "--parent", str(os.getpid())]]
    conf.on_exit(server)
    assert FakeProcess.signals == [15]
    conf.post_worker_init(None)
    import gc

    assert gc.get_freeze_count() > 0  # the loaded app is out of the collector's way
    gc.unfreeze()
    monkeypatch.setenv("PAINWISE_EVALUATION_WORKER", "0")  # the operator runs it as its own service
    conf.when_ready(server)
    assert len(started) == 1


CONCURRENT_WRITERS = textwrap.dedent(
    """
    import json, os, sys, threading
    import django
    django.setup()
    from django.db import connection, connections, transaction

    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, n INTEGER)")
        c.execute("PRAGMA journal_mode")
        mode = c.fetchone()[0]
        c.execute("PRAGMA busy_timeout")
        timeout = c.fetchone()[0]
    errors = []

    def writer(k):
        try:
            for i in range(30):
                # read, then write: a deferred transaction fails here with "database is locked"
                with transaction.atomic():
                    with connection.cursor() as c:
                        c.execute("SELECT count(*) FROM t")
                        n = c.fetchone()[0]
                        c.execute("INSERT INTO t (n) VALUES (%s)", [n])
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(6)]
    for t in threads: t.start()
    for t in threads: t.join()
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM t")
        rows = c.fetchone()[0]
    print(json.dumps({"mode": mode, "timeout": timeout, "errors": errors, "rows": rows}))
    """
)


def test_sqlite_writers_wait_instead_of_failing(tmp_path):
    """WAL + busy timeout + IMMEDIATE transactions: 6 concurrent read-then-write writers, no error."""
    env = {
        "DJANGO_SETTINGS_MODULE": "painwise.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", CONCURRENT_WRITERS], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["mode"] == "wal"
    assert result["timeout"] == 20000
    assert result["errors"] == []
    assert result["rows"] == 6 * 30
