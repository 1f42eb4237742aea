"""Production refuses to start without a secret and passes Django's deployment checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env_bool, env_int


def _manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "PORTAL_BASE_URL",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_fails_with_a_clear_message():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="p" * 20 + "roduction-secret-key-with-enough-variety-0123456789",
        ALLOWED_HOSTS="international.example.dk",
        PORTAL_BASE_URL="https://international.example.dk",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_its_public_address_fails_with_a_clear_message():
    """Every emailed private link is built from PORTAL_BASE_URL, never from a Host header."""
    result = _manage(
        "check",
        DEBUG="false",
        SECRET_KEY="p" * 20 + "roduction-secret-key-with-enough-variety-0123456789",
    )
    assert result.returncode != 0
    assert "PORTAL_BASE_URL is not set" in result.stderr


def test_bad_values_in_the_environment_fail_loudly(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG must be true or false"):
        env_bool("DEBUG", False)
    monkeypatch.setenv("CONN_MAX_AGE", "a minute")
    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE must be a whole number"):
        env_int("CONN_MAX_AGE", 60)


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_migrations_match_the_models():
    from django.core.management import call_command

    # Exits non-zero when a model change has no migration (or a migration depends on language).
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
