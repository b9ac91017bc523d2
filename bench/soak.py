"""Soak: the on-sale load held for minutes (5 by default) on the same servers.

The six rushes run back to back inside the soak; when they end before its time is up, the
load goes on from a ticket type that never sells out.

Every ~10 s a sampler notes completed orders, errors by kind, the resident memory of each
gunicorn and Celery worker, the bench database's connections and the Celery queue length.
The report is the growth from the first sample to the last: a leak or a connection that is
never given back shows up as a line that keeps climbing.
"""

from __future__ import annotations

import threading
import time

import psycopg
import redis

from bench.load import LoadResult, run_load
from bench.rush import OnSale, buy_from, verify
from bench.stack import BROKER_URL, DB_NAME, PG_ADMIN_DSN, Stack

# A soak sells from a ticket type with this many tickets, so it never sells out.
ENDLESS = 10_000_000


def _error_count(result: LoadResult) -> int:
    while True:  # the load loop may add a new kind of error while we count
        try:
            return sum(result.errors.values())
        except RuntimeError:
            continue


def _sample(stack: Stack, result: LoadResult, conn: psycopg.Connection, started: float) -> dict:
    memory = stack.workers_rss_mb()
    connections = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        (DB_NAME,),
    ).fetchone()[0]
    return {
        "t": round(time.monotonic() - started, 1),
        "completed": result.completed,
        "errors": _error_count(result),
        "gunicorn_rss_mb": [round(current, 1) for current, _ in memory.get("gunicorn", [])],
        "celery_rss_mb": [round(current, 1) for current, _ in memory.get("celery", [])],
        "db_connections": connections,
        "celery_queue": redis.Redis.from_url(BROKER_URL).llen("celery"),
    }


def _growth(samples: list[dict], key: str) -> dict[str, float]:
    first, last = samples[0][key], samples[-1][key]
    return {
        "first_sum": round(sum(first), 1),
        "last_sum": round(sum(last), 1),
        "growth_mb": round(sum(last) - sum(first), 1),
        "largest_worker_last": round(max(last, default=0), 1),
    }


class Soak:
    """Samples a stack every ~10 s while on-sale load runs on it; see the module docstring.

    The rushes run inside it (``track`` their results); ``top_up`` then holds the load on a
    ticket type that never sells out until the soak has lasted its ``seconds``. Memory growth
    is measured from the sample taken once the servers are warm (``mark_warm``, after the
    first rush), so loading code and templates is not mistaken for a leak.
    """

    def __init__(self, stack: Stack, *, seconds: float, sample_every: float = 10.0) -> None:
        self.stack = stack
        self.seconds = seconds
        self.sample_every = sample_every
        self.results: list[LoadResult] = []
        self.samples: list[dict] = []
        self.warm_index = 0
        self._stop = threading.Event()

    def __enter__(self) -> Soak:
        self._conn = psycopg.connect(PG_ADMIN_DSN, autocommit=True)
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._sampler, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(self._sample())
        self.peak = self.stack.rss_mb()
        self.elapsed = time.monotonic() - self.started
        self._conn.close()

    def _sampler(self) -> None:
        while True:
            self.samples.append(self._sample())
            if self._stop.wait(self.sample_every):
                return

    def _sample(self) -> dict:
        total = LoadResult()
        for result in list(self.results):
            total.completed += result.completed
            total.errors[""] += _error_count(result)
        return _sample(self.stack, total, self._conn, self.started)

    def track(self, result: LoadResult) -> LoadResult:
        self.results.append(result)
        return result

    def mark_warm(self) -> None:
        self.samples.append(self._sample())
        self.warm_index = len(self.samples) - 1

    def top_up(self, sale: OnSale, *, clients: int) -> None:
        """Buy from ``sale`` (which must not sell out) for what is left of the soak's time."""
        left = self.seconds - (time.monotonic() - self.started)
        if left > 1:
            run_load(
                self.stack.base_url,
                buy_from(sale),
                clients=clients,
                seconds=left,
                result=self.track(LoadResult()),
            )

    def report(self, sale: OnSale) -> dict:
        total = LoadResult()
        for result in self.results:
            total.add(result)
        total.seconds = self.elapsed
        warm = self.samples[self.warm_index :]
        connections = [sample["db_connections"] for sample in warm]
        return {
            "seconds": round(self.elapsed, 1),
            "runs": len(self.results),
            **total.summary(),
            "memory": _growth(warm, "gunicorn_rss_mb") | {"peak": self.peak},
            "celery_memory": _growth(warm, "celery_rss_mb"),
            "db_connections": {
                "first": connections[0],
                "last": connections[-1],
                "max": max(connections),
            },
            "celery_queue_last": self.samples[-1]["celery_queue"],
            "check": verify(sale.ticket_type_id, sale.quantity),
            "samples": self.samples,
        }
