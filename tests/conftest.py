"""Shared fixtures and the rules for the ``services`` and ``browser`` markers.

* ``services`` tests need real PostgreSQL, Redis and a Celery worker. They run when
  ``EVENTUM_SERVICES=1`` (``.ci/run`` sets it) and are skipped in the embedded default run.
* ``browser`` tests need Debian's Chromium. They are skipped only when it is absent, never
  in CI (``CI=true``), where a missing Chromium fails the run.
* Every other test runs Celery tasks eagerly, whatever broker is configured.
"""

import os
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from eventum.celery import app as celery_app
from tests.chromium import CHROMIUM, chromium_available

SERVICES_ENABLED = os.environ.get("EVENTUM_SERVICES") == "1"
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

_outcomes: Counter[str] = Counter()

# Fuzz tests (Hypothesis, Schemathesis) explore new inputs on developers' machines; in CI the
# same inputs every run, so a red CI is always reproducible and never a roll of the dice.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made from
# the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SERVICES_ENABLED and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        raise pytest.UsageError("EVENTUM_SERVICES=1 needs DATABASE_URL on PostgreSQL")
    skip_services = pytest.mark.skip(reason="needs PostgreSQL/Redis/Celery (run by .ci/run)")
    skip_browser = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "services" in item.keywords and not SERVICES_ENABLED:
            item.add_marker(skip_services)
        if "browser" in item.keywords and not chromium_available() and not IN_CI:
            item.add_marker(skip_browser)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        for marker in ("services", "browser"):
            if marker in report.keywords:
                _outcomes[f"{marker} {report.outcome}"] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    lines = [f"{key}: {count}" for key, count in sorted(_outcomes.items())]
    terminalreporter.write_sep("-", "eventum markers")
    terminalreporter.write_line("; ".join(lines) or "no services or browser tests ran")
    if not chromium_available():
        terminalreporter.write_line(
            f"browser tests were skipped: Chromium is not installed at {CHROMIUM}"
        )
    if not SERVICES_ENABLED:
        terminalreporter.write_line(
            "services tests were skipped: they run against PostgreSQL/Redis in .ci/run"
        )


@pytest.fixture(scope="session", autouse=True)
def _flush_survives_a_busy_worker():
    """Transactional tests empty the database with one TRUNCATE; on PostgreSQL a Celery worker
    still finishing a task from the previous test can make it a deadlock victim. Retry it."""
    from django.db import OperationalError
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        for attempt in range(5):
            try:
                return original(self, sql_list)
            except OperationalError as exc:
                if "deadlock detected" not in str(exc) or attempt == 4:
                    raise
                time.sleep(0.5)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest):
    """Eager tasks everywhere except in services tests, which use the real worker."""
    eager = "services" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


def pytest_configure(config: pytest.Config) -> None:
    _own_redis_database_per_test_process()
    _fast_password_hashing()


def _fast_password_hashing() -> None:
    """Tests hash with MD5 first (Django's advice for test runs): the production hasher takes a
    quarter of a second per password on purpose, and most tests sign a user up or in. The
    production hashers stay listed after it, so a hash made by them still checks."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


def _own_redis_database_per_test_process() -> None:
    """Under pytest-xdist (``-n 2``) each test process gets its own Redis database for the cache
    and the IP log: one process's ``cache.clear()`` must not empty the other's mid-test. The
    broker is not moved: the tests that use a real Celery worker run in one process."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or not settings.REDIS_URL:
        return
    base, _slash, database = settings.REDIS_URL.rpartition("/")
    url = f"{base}/{int(database or 0) + 2 + int(worker[2:])}"
    settings.REDIS_URL = url
    settings.CACHES["default"]["LOCATION"] = url


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to /en/ or /kk/ in an earlier test
    leaves its language active in the thread, and reverse() would then build /en/ URLs."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, cached pages), Redis or memory, and
    without the values this process kept of it (``eventum.cached``)."""
    from django.core.cache import cache

    from eventum import cached

    cache.clear()
    cached._local.clear()


@pytest.fixture(autouse=True)
def _empty_waiting_rooms():
    """Each test starts with no waiting room in the store (Redis or this process's memory)."""
    from tests.tickets.waitroom_helpers import store_clear

    store_clear()


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """A page read in a test shows what the test just wrote; the short event-page cache is
    tested on its own (tests/events/test_page_cache.py turns it back on)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.WALLET_DIR = tmp_path / "wallet"  # the self-signed wallet keys, made on first use


@pytest.fixture(autouse=True)
def _staff_mfa_off(settings):
    """Admin tests sign staff in with ``force_login``, which skips allauth's second factor;
    tests/project/test_staff_mfa.py turns the rule back on (it is always on outside tests)."""
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


pytest_plugins = ["tests.fixtures_services", "tests.fixtures_browser"]
