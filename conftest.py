"""Root pytest configuration: settings for tests and the shared persona fixtures (tests/personas.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painwise.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

pytest_plugins = ["tests.personas"]
