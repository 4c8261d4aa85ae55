from pathlib import Path

import pytest

from painwise.env import SettingError, database_from_url, env_bool, env_int, env_list


def test_it_reads_booleans_and_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(SettingError, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_it_reads_integers_with_a_minimum(monkeypatch):
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 1) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(SettingError, match="X_NUM"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(SettingError, match="minimum"):
        env_int("X_NUM", 1, minimum=1)


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


def test_it_parses_database_urls():
    base = Path("/srv/pw")
    assert database_from_url("sqlite:///var/db.sqlite3", base_dir=base)["NAME"] == "/srv/pw/var/db.sqlite3"
    assert database_from_url("sqlite:////srv/x.db", base_dir=base)["NAME"] == "/srv/x.db"
    assert database_from_url("sqlite:///:memory:", base_dir=base)["NAME"] == ":memory:"
    pg = database_from_url("postgres://u:p%40ss@db.local:5433/painwise", base_dir=base)
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u",
        "p@ss",
        "db.local",
        "5433",
        "painwise",
    )
    with pytest.raises(SettingError, match="scheme"):
        database_from_url("mysql://x/y", base_dir=base)


def test_it_refuses_production_with_the_default_secret_key():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PAINWISE_PRODUCTION": "1", "DJANGO_SETTINGS_MODULE": "painwise.settings"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_demo_mode_with_production_settings():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "PAINWISE_PRODUCTION": "1",
        "PAINWISE_DEMO": "1",
        "SECRET_KEY": "x" * 50,
        "DJANGO_SETTINGS_MODULE": "painwise.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "PAINWISE_DEMO" in result.stderr


def test_settings_are_read_from_the_environment_only_in_settings_py():
    """One place reads the environment (painwise.settings, through painwise.env); apps read Django settings.
    Setting DJANGO_SETTINGS_MODULE and passing the environment on to a child process are not reads."""
    import pathlib
    import re

    src = pathlib.Path(__file__).resolve().parents[2] / "src" / "painwise"
    # gunicorn_conf.py is the web server's settings file (read by gunicorn before Django starts).
    allowed = {src / "settings.py", src / "env.py", src / "gunicorn_conf.py"}
    reads = re.compile(r"env_(str|bool|int|list)\(|getenv\(|os\.environ(\.get|\[)")
    offenders = [
        f"{path.relative_to(src)}:{number}"
        for path in src.rglob("*.py")
        if path not in allowed and "tests" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if reads.search(line)
    ]
    assert offenders == []
