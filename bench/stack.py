"""Start and stop what a benchmark needs: PostgreSQL/Redis checks, gunicorn and a Celery worker.

gunicorn runs with the production settings (``EVENTUM_ENV=production``) on a bench database,
so the figures describe what production would do on this machine.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB_NAME", "eventum_bench")
# Redis databases 11 (broker) and 12 (cache, rate limits): apart from the development ones.
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/11")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
CELERY_NICENESS = 10
# The waiting room's own web workers (the queue service of docker-compose.yml, 512 CPU shares
# against web's 1,024): nice 3 weighs about half of nice 0 on Linux.
QUEUE_NICENESS = 3
SCRATCH = Path(tempfile.gettempdir()) / "eventum-bench"


def database_url(name: str = DB_NAME) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def bench_env(**extra: str) -> dict[str, str]:
    static_root = SCRATCH / "static"
    env = {
        **os.environ,
        "EVENTUM_ENV": "production",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(60)),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(SCRATCH / "media"),
        "PRIVATE_MEDIA_ROOT": str(SCRATCH / "private"),
        "EMAIL_FILE_PATH": str(SCRATCH / "mail"),
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


def _wait_until(seconds: float, *command: str) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if done.returncode == 0:
            return True
        time.sleep(1)
    return False


def _pg_cluster_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[0]


def ensure_services() -> None:
    """Start the local PostgreSQL and Redis when they are down (as the CI script does).

    A server that is already up is left alone: others may be using it.
    """
    pg_ready = ("pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q")
    if subprocess.run(pg_ready).returncode != 0:
        print("bench: starting PostgreSQL", flush=True)
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", _pg_cluster_version(), "main", "start"]
        )
        if not _wait_until(60, *pg_ready):
            raise RuntimeError("PostgreSQL is not reachable on 127.0.0.1:5432")
    redis_ping = ("redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping")
    if not _wait_until(1, *redis_ping):
        print("bench: starting Redis", flush=True)
        Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
        Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1",
                "--port", "6379", "--save", "", "--appendonly", "no",
                "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/bench.log",
            ]
        )  # fmt: skip
        if not _wait_until(30, *redis_ping):
            raise RuntimeError("Redis is not reachable on 127.0.0.1:6379")


def ensure_postgres_connections(needed: int) -> None:
    """The raw baseline opens one connection per client; raise the server limit if it is low.

    Raising it needs a restart, so a server that already allows ``needed`` is never touched.
    """
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])
        if limit >= needed:
            return
        conn.execute(f"ALTER SYSTEM SET max_connections = {needed}")
    print(f"bench: restarting PostgreSQL with max_connections = {needed}", flush=True)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", _pg_cluster_version(), "main", "restart"],
        check=True,
    )
    if not _wait_until(60, "pg_isready", "-h", "127.0.0.1", "-q"):
        raise RuntimeError("PostgreSQL did not come back after raising max_connections")


def flush_broker() -> None:
    """Drop queued tasks left by an earlier step (the bench's own Redis database only)."""
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


def ensure_database(name: str = DB_NAME) -> None:
    """The bench database, created empty if this machine has none yet (the cabinet run)."""
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def recreate_database() -> None:
    """A new empty bench database, and no files (PDFs, e-mails) left from the previous run."""
    import psycopg

    for leftover in ("media", "private", "mail"):
        shutil.rmtree(SCRATCH / leftover, ignore_errors=True)
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (DB_NAME,),
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")


# CPU seconds last seen per process (pid and start time): a process that has exited since (a
# database connection closed after CONN_MAX_AGE) keeps counting with its last figure, so the
# totals below only ever grow.
_cpu_seen: dict[tuple[int, float], float] = {}


def _cpu(process: psutil.Process) -> float:
    try:
        key = (process.pid, process.create_time())
        times = process.cpu_times()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0
    _cpu_seen[key] = times.user + times.system
    return _cpu_seen[key]


def _cpu_total(processes: list[psutil.Process], keys: set[tuple[int, float]]) -> float:
    for process in processes:
        _cpu(process)
        try:
            keys.add((process.pid, process.create_time()))
        except psutil.NoSuchProcess:
            continue
    return sum(_cpu_seen.get(key, 0.0) for key in keys)


_database_backends: set[tuple[int, float]] = set()


def database_cpu_seconds() -> float:
    """CPU time of the PostgreSQL backends serving the bench database (found by their title)."""
    marker = f" {DB_NAME} "
    backends = [
        process
        for process in psutil.process_iter(["cmdline"])
        if " ".join(process.info["cmdline"] or []).startswith("postgres:")
        and marker in " ".join(process.info["cmdline"] or [])
    ]
    return _cpu_total(backends, _database_backends)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Stack:
    """gunicorn (and optionally a Celery worker) serving the bench database."""

    workers: int = 4
    threads: int = 4
    celery_concurrency: int = 0
    web: bool = True
    port: int = PORT
    # gunicorn workers of the waiting room's own pool, on the next port (0: none), as nginx
    # sends the queue's pages and polls to the queue service in production
    queue_workers: int = 0
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)
    cpu_keys: dict[str, set[tuple[int, float]]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def queue_url(self) -> str:
        """Where the waiting crowd's requests go: the queue pool, or the one pool there is."""
        return f"http://127.0.0.1:{self.port + 1}" if self.queue_workers else self.base_url

    def __enter__(self) -> Stack:
        env = bench_env(**self.extra_env)
        self.names: list[str] = []
        if self.web:
            self._start_gunicorn(env, "gunicorn", self.port, self.workers)
        if self.web and self.queue_workers:
            self._start_gunicorn(
                env, "queue", self.port + 1, self.queue_workers, niceness=QUEUE_NICENESS
            )
        if self.celery_concurrency:
            self._start_celery(env)
        if self.web:
            self._wait_ready(self.base_url)
        if self.web and self.queue_workers:
            self._wait_ready(self.queue_url)
        return self

    def _start_gunicorn(
        self, env: dict[str, str], name: str, port: int, workers: int, niceness: int = 0
    ) -> None:
        self.names.append(name)
        self.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "eventum.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(self.threads),
                    "--backlog",
                    "2048",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=self._log(name),
                preexec_fn=(lambda: os.nice(niceness)) if niceness else None,
            )
        )

    def _start_celery(self, env: dict[str, str]) -> None:
        self.names.append("celery")
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
                stderr=self._log("celery"),
                # As the worker container's lower cpu_shares in docker-compose.yml: on shared
                # cores the buyers' requests go first and the PDFs and e-mails catch up.
                preexec_fn=lambda: os.nice(CELERY_NICENESS),
            )
        )

    def _log(self, name: str) -> IO[bytes]:
        """Server output goes to a file next to the bench's scratch data, not the table."""
        SCRATCH.mkdir(parents=True, exist_ok=True)
        handle = (SCRATCH / f"{name}-{self.port}.log").open("ab")
        self.logs.append(handle)
        return handle

    def _wait_ready(self, base_url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not become healthy")

    def workers_rss_mb(self) -> dict[str, list[tuple[float, float]]]:
        """(current, peak) resident memory in MB of each gunicorn and Celery worker process.

        The peak is the kernel's high-water mark (``VmHWM``), so it catches a spike between
        two samples; the arbiter and the Celery main process are not counted.
        """
        result: dict[str, list[tuple[float, float]]] = {}
        for name, process in zip(self.names, self.processes, strict=True):
            try:
                children = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            sizes = []
            for child in children:
                try:
                    sizes.append((child.memory_info().rss / 2**20, _peak_rss_mb(child.pid)))
                except (psutil.NoSuchProcess, OSError):
                    continue
            result[name] = sizes
        return result

    def cpu_seconds(self) -> float:
        """CPU time used so far by this stack's workers and the bench database's backends.

        On a machine shared with other work, CPU time per request is steadier than requests
        per second: a neighbour's load stretches the wall clock, not the work done.
        """
        return sum(self.cpu_seconds_by_part().values())

    def cpu_seconds_by_part(self) -> dict[str, float]:
        """``cpu_seconds()`` split into gunicorn, Celery and the database backends."""
        parts: dict[str, float] = {}
        for name, process in zip(self.names, self.processes, strict=True):
            try:
                children = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                children = []
            keys = self.cpu_keys.setdefault(name, set())
            parts[name] = _cpu_total(children, keys)
        parts["database"] = database_cpu_seconds()
        return parts

    def rss_mb(self) -> dict[str, float]:
        """Peak resident memory so far of the largest gunicorn and Celery worker process."""
        return {
            f"{name}_worker_peak_rss_mb": round(max(peak for _, peak in sizes), 1)
            for name, sizes in self.workers_rss_mb().items()
            if sizes
        }

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for handle in self.logs:
            handle.close()
