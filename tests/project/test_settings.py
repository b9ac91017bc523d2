"""Production settings refuse unsafe values; the deploy checklist is clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRUBBED = {"SECRET_KEY", "DEBUG", "EVENTUM_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_refuses_the_default_secret_key():
    result = _run(["-c", "import django; django.setup()"], EVENTUM_ENV="production")
    assert result.returncode != 0
    assert "Production needs its own SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _run(
        ["-c", "import django; django.setup()"],
        EVENTUM_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        DEBUG="true",
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        EVENTUM_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="eventum.one",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_embedded_default_needs_no_environment(settings):
    assert settings.DATABASES["default"]["ENGINE"] in {
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    }
    assert settings.TIME_ZONE == "Asia/Almaty"
    assert settings.LANGUAGE_CODE == "ru"
    assert [code for code, _ in settings.LANGUAGES] == ["ru", "kk", "en"]


@pytest.mark.django_db
def test_site_domain_follows_the_setting_after_migrate(settings):
    from django.contrib.sites.models import Site

    from eventum.apps import site_domain_sync

    assert Site.objects.get(pk=settings.SITE_ID).domain == settings.SITE_DOMAIN
    settings.SITE_DOMAIN = "tickets.eventum.one"
    site_domain_sync()
    Site.objects.clear_cache()
    assert Site.objects.get_current().domain == "tickets.eventum.one"
