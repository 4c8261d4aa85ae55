"""Settings from the environment, with laptop-friendly defaults and loud errors.

Modelled on healthchecks' envbool/envint: every setting is read through one of these helpers, so a
malformed value stops start-up with a message naming the variable instead of misbehaving later.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class SettingError(RuntimeError):
    """A setting in the environment has a value painwise cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingError(f"{name}={raw!r} is not a whole number") from exc
    if minimum is not None and value < minimum:
        raise SettingError(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, *, base_dir: Path) -> dict[str, object]:
    """Translate DATABASE_URL (sqlite:///path or postgres://user:pw@host:port/name) to Django's form."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path.db and sqlite:////absolute/path.db, as dj-database-url reads them.
        raw_path = url[len("sqlite://") :]
        path = raw_path[1:]
        if path in ("", ":memory:"):
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        db_path = Path(path)
        if not db_path.is_absolute():
            db_path = base_dir / db_path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db_path)}
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        name = parsed.path.lstrip("/")
        if not name:
            raise SettingError("DATABASE_URL names no database: add /<name> after the host")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(name),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise SettingError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported; use sqlite:///path or postgres://...")
