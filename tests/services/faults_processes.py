"""Real processes for the fault tests: a Redis and a PostgreSQL of their own (never the shared
ones), gunicorn serving the portal, Celery workers, and a buyer talking HTTP to them."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1:]  # the newest installed server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready within {timeout} s")


def _stop(process: subprocess.Popen | None, *, timeout: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


class RedisServer:
    """``redis-server`` on a free port, without persistence; stop and start it again at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="eventum-faults-redis-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._ping, timeout=20, what="redis-server")

    def stop(self) -> None:
        _stop(self.process)
        self.process = None
        wait_until(lambda: not self._ping(), timeout=10, what="redis-server shutdown")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgresCluster:
    """A throw-away PostgreSQL cluster (initdb in a temporary directory) on a free port.

    Run as the ``postgres`` OS user when the tests run as root (the server refuses root).
    """

    def __init__(self) -> None:
        if not PG_BIN:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = PG_BIN[0]
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="eventum-faults-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        os.chmod(self.root, 0o755)
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*self.as_postgres, *command], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stderr or result.stdout}")
        return result

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def createdb(self, name: str) -> None:
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            name,
        )  # fmt: skip

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def app_env(*, database_url: str, broker_url: str, mail_dir: Path, **extra: str) -> dict:
    """The environment of a portal process (web, worker, relay) in a fault test."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": "",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PRIVATE_MEDIA_ROOT": str(mail_dir.parent / "private"),
        "MEDIA_ROOT": str(mail_dir.parent / "media"),
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "eventum.settings",
        **extra,
    }
    env.pop("EMAIL_URL", None)
    return env


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


class WebServer:
    """gunicorn serving the portal with ``env``."""

    def __init__(self, env: dict) -> None:
        self.env = env
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _answers(self) -> bool:
        try:
            httpx.get(self.base_url + "/healthz", timeout=2)
        except httpx.HTTPError:
            return False
        return True

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "eventum.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                "--worker-class", "gthread", "--threads", "4", "--log-level", "warning",
            ],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, timeout=60, what="gunicorn")

    def stop(self) -> None:
        _stop(self.process)


class Worker:
    """A Celery worker in a process group of its own, so the test can kill it whole.

    ``gate``: the worker stops inside PDF rendering (holding the order's lock) and writes the
    file, until it is killed. ``restore_after``: a worker that takes over the unacknowledged
    tasks of a dead one after that many seconds (the visibility timeout).
    """

    def __init__(
        self, env: dict, *, gate: Path | None = None, restore_after: int | None = None
    ) -> None:
        self.env = env
        self.name = f"faults-{uuid.uuid4().hex[:8]}@%h"
        self.command = [sys.executable, "-m", "tests.services.faults_worker", "-n", self.name]
        if gate is not None:
            self.command += ["--gate", str(gate)]
        if restore_after is not None:
            self.command += ["--restore-after", str(restore_after)]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._ready, timeout=60, what="celery worker")

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"worker exited with code {self.process.returncode}")
        # ``celery inspect ping`` in the worker's environment (this process's CELERY_BROKER_URL
        # names the shared broker, which Celery reads before any configuration).
        answer = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "eventum", "inspect", "ping",
             "-d", self.name.replace("%h", socket.gethostname()), "-t", "2"],
            cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        return answer.returncode == 0

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: a crash, not a shutdown."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Buyer:
    """A browser without a browser: cookies and CSRF over plain HTTP."""

    base_url: str
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base_url, timeout=30, follow_redirects=False)

    def csrf_from(self, path: str) -> str:
        page = self.client.get(path)
        assert page.status_code == 200, (path, page.status_code)
        match = CSRF_FIELD.search(page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def approve_test_payment(self, public_id: str) -> httpx.Response:
        path = f"/orders/pay/test/{public_id}/"
        token = self.csrf_from(path)
        return self.client.post(path, data={"csrfmiddlewaretoken": token, "decision": "approve"})

    def close(self) -> None:
        self.client.close()
