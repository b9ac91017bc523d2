"""Start and stop what a benchmark needs: PostgreSQL/Redis checks, gunicorn and a Celery worker.

gunicorn runs with the production settings (``EVENTUM_ENV=production``) on a bench database,
so the figures describe what production would do on this machine.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB_NAME", "eventum_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def database_url(name: str = DB_NAME) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def bench_env(**extra: str) -> dict[str, str]:
    static_root = Path(tempfile.gettempdir()) / "eventum-bench-static"
    env = {
        **os.environ,
        "EVENTUM_ENV": "production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(60)),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": str(static_root),
        "EVENTUM_BENCH_ENDPOINTS": "1",
        "LOG_LEVEL": "ERROR",
    }
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env or bench_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def ensure_postgres_connections(needed: int) -> None:
    """The raw baseline opens one connection per client; raise the server limit if it is low."""
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])
        if limit >= needed:
            return
        conn.execute(f"ALTER SYSTEM SET max_connections = {needed}")
    version = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True).stdout
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version.split()[0], "main", "restart"],
        check=True,
    )
    for _ in range(60):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            return
        time.sleep(1)
    raise RuntimeError("PostgreSQL did not come back after raising max_connections")


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (DB_NAME,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")


@dataclass
class Stack:
    """gunicorn (and optionally a Celery worker) serving the bench database."""

    workers: int = 4
    celery_concurrency: int = 0
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{PORT}"

    def __enter__(self) -> Stack:
        env = bench_env(**self.extra_env)
        self.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "eventum.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{PORT}",
                    "--workers",
                    str(self.workers),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "4",
                    "--backlog",
                    "2048",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )
        )
        if self.celery_concurrency:
            self.processes.append(
                subprocess.Popen(
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
                        str(self.celery_concurrency),
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                )
            )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not become healthy")

    def rss_mb(self) -> dict[str, float]:
        """Peak-ish resident memory now: per gunicorn worker and per Celery worker process."""
        result: dict[str, float] = {}
        for index, process in enumerate(self.processes):
            name = "gunicorn" if index == 0 else "celery"
            try:
                children = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            sizes = [child.memory_info().rss / 2**20 for child in children]
            if sizes:
                result[f"{name}_worker_rss_mb_max"] = round(max(sizes), 1)
        return result

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
