"""backup → restore → export is identical to the export before (through the real CLI)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.pg import postgres_url_or_skip

FIXTURE_DOC = Path(__file__).parent / "alice_export.json"


def cli(database_url, *args, check=True):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "painwise.settings"}
    return subprocess.run(
        [sys.executable, "-m", "painwise.cli.main", *args], env=env, capture_output=True, text=True, check=check
    )


def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "-m", "painwise.manage", *args], env=env, check=True, capture_output=True)


def seeded(database_url):
    manage(database_url, "migrate", "--noinput")
    cli(database_url, "import", str(FIXTURE_DOC))
    return cli(database_url, "export", "--patient", "alice").stdout


def test_it_backs_up_and_restores_sqlite_identically(tmp_path):
    source = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    before = seeded(source)
    backup = tmp_path / "backup.sqlite3"
    made = cli(source, "backup", str(backup))
    assert "verified" in made.stderr
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    cli(target, "restore", str(backup))
    assert cli(target, "export", "--patient", "alice").stdout == before
    assert json.loads(before)["pain_entries"]


def test_it_refuses_to_overwrite_a_backup_or_restore_into_a_full_database(tmp_path):
    source = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    seeded(source)
    backup = tmp_path / "backup.sqlite3"
    cli(source, "backup", str(backup))
    again = cli(source, "backup", str(backup), check=False)
    assert again.returncode != 0 and "exists already" in again.stderr
    into_full = cli(source, "restore", str(backup), check=False)
    assert into_full.returncode != 0 and "not empty" in into_full.stderr


@pytest.mark.postgres
def test_it_backs_up_and_restores_postgresql_identically(tmp_path):
    import psycopg

    base = postgres_url_or_skip()
    names = [f"painwise_bk_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        source, target = (base.rsplit("/", 1)[0] + f"/{name}" for name in names)
        before = seeded(source)
        backup = tmp_path / "backup.dump"
        assert "verified" in cli(source, "backup", str(backup)).stderr
        cli(target, "restore", str(backup))
        assert cli(target, "export", "--patient", "alice").stdout == before
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
