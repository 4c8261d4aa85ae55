"""Root pytest configuration: settings for tests and the shared persona fixtures (tests/personas.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "painwise.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
# Report datasets of the pharmacovigilance pages: a fresh directory per test process, never ./var/pv.
os.environ.setdefault("PAINWISE_PV_DATA_DIR", __import__("tempfile").mkdtemp(prefix="painwise-pv-test-"))

pytest_plugins = ["tests.personas"]


def pytest_configure(config):
    # Argon2 is deliberately slow; tests create many users. test_passwords checks production uses Argon2.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server", "django_db_serialized_rollback"}


def pytest_collection_modifyitems(config, items):
    # `make test` runs everything that touches the database a second time on PostgreSQL, selected
    # by this marker, whether a test asks for the database by mark or by fixture.
    import pytest

    for item in items:
        if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.dbtest)
