"""Production settings refuse unsafe values; the deploy checklist is clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRUBBED = {
    "SECRET_KEY",
    "DEBUG",
    "EVENTUM_ENV",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "TRUSTED_PROXY_COUNT",
    "IP_LOG_TRUSTED_PROXY_COUNT",
}
PRINT_PROXY_COUNTS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
)


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


@pytest.mark.parametrize("value", ["Production", "PRODUCTION", "prod", " production", ""])
def test_unknown_environment_names_stop_start_up(value):
    """A typo must not run a production host with DEBUG on and the test payment provider."""
    result = _run(
        ["-c", "import django; django.setup()"],
        EVENTUM_ENV=value,
        SECRET_KEY=secrets.token_urlsafe(60),
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"EVENTUM_ENV={value!r} is not one of embedded, production" in result.stderr


@pytest.mark.parametrize("value", ["embedded", "production"])
def test_the_two_environment_names_start(value):
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PRODUCTION, settings.DEBUG)",
        ],
        EVENTUM_ENV=value,
        SECRET_KEY=secrets.token_urlsafe(60),
    )
    assert result.returncode == 0, result.stderr
    production = value == "production"
    # DEBUG is off unless asked for, in both: the embedded default shows the styled error pages
    assert result.stdout.split() == [str(production), "False"]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "0 0"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "1 1"),
        ({"IP_LOG_TRUSTED_PROXY_COUNT": "2"}, "2 2"),  # the former name still works
        ({"TRUSTED_PROXY_COUNT": "1", "IP_LOG_TRUSTED_PROXY_COUNT": "1"}, "1 1"),
    ],
)
def test_one_proxy_count_drives_allauth_and_the_portal(environment, expected):
    result = _run(["-c", PRINT_PROXY_COUNTS], **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT='one'"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT='-1'"),
        ({"TRUSTED_PROXY_COUNT": "1", "IP_LOG_TRUSTED_PROXY_COUNT": "2"}, "disagree"),
    ],
)
def test_a_wrong_proxy_count_stops_start_up(environment, message):
    result = _run(["-c", PRINT_PROXY_COUNTS], **environment)
    assert result.returncode != 0
    assert message in result.stderr


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
