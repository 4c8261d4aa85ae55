import os
import secrets
import subprocess
import sys

import pytest


def test_it_passes_check_deploy_with_production_settings():
    env = {
        **os.environ,
        "PAINWISE_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "painwise.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    # The browser tests' conftest sets this for the live server; a deployment never would.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DEBUG", None)
    env.pop("PAINWISE_DEMO", None)
    result = subprocess.run(
        [sys.executable, "-m", "painwise.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_it_sends_security_headers(client):
    response = client.get("/api/v1/openapi.json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) >= 16
