"""Root pytest configuration: settings for tests and the shared persona fixtures (tests/personas.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painwise.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

pytest_plugins = ["tests.personas"]


def pytest_configure(config):
    # Argon2 is deliberately slow; tests create many users. test_passwords checks production uses Argon2.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
