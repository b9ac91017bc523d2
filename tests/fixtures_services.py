"""Fixtures for ``services`` tests: a real Celery worker on the real broker and test database."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from eventum.celery import app as celery_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _database_url_for_test_db() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _wait_for_worker(process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited with code {process.returncode}")
        if celery_app.control.ping(timeout=1):
            return
    raise RuntimeError("Celery worker did not answer a ping within 60 s")


@pytest.fixture(scope="session")
def worker_mail_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup, django_db_blocker, worker_mail_dir: Path
) -> Iterator[subprocess.Popen]:
    """A real ``celery worker`` process using the broker and the test database.

    Tests that use it must be ``django_db(transaction=True)`` so the worker sees their rows.
    """
    assert settings.CELERY_BROKER_URL, "services tests need CELERY_BROKER_URL"
    with django_db_blocker.unblock():
        database_url = _database_url_for_test_db()
    celery_app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "EMAIL_FILE_PATH": str(worker_mail_dir),
        "PRIVATE_MEDIA_ROOT": str(worker_mail_dir.parent / "worker-private"),
        "MEDIA_ROOT": str(worker_mail_dir.parent / "worker-media"),
    }
    env.pop("EMAIL_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "eventum",
            "worker",
            "-l",
            "warning",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=PROJECT_ROOT,
        env=env,
    )
    try:
        _wait_for_worker(process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
