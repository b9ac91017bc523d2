"""Soak: the on-sale load held for minutes (5 by default) on a ticket type that never sells out.

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
from bench.rush import OnSale, rush_scenario, verify
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


def run_soak(
    stack: Stack, sale: OnSale, *, seconds: float, clients: int, sample_every: float = 10.0
) -> dict:
    """Buy from ``sale`` (which must not sell out) for ``seconds``; sample ``stack`` meanwhile."""
    result = LoadResult()
    samples: list[dict] = []
    stop = threading.Event()
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        started = time.monotonic()

        def sampler() -> None:
            while True:
                samples.append(_sample(stack, result, conn, started))
                if stop.wait(sample_every):
                    return

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        run_load(
            stack.base_url,
            rush_scenario(
                session_id=sale.session_id,
                ticket_type_id=sale.ticket_type_id,
                slug=sale.slug,
                price=sale.price,
            ),
            clients=clients,
            seconds=seconds,
            result=result,
        )
        stop.set()
        thread.join()
        samples.append(_sample(stack, result, conn, started))
        peak = stack.rss_mb()
    connections = [sample["db_connections"] for sample in samples]
    return {
        "seconds": round(result.seconds, 1),
        "clients": clients,
        **result.summary(),
        "memory": _growth(samples, "gunicorn_rss_mb") | {"peak": peak},
        "celery_memory": _growth(samples, "celery_rss_mb"),
        "db_connections": {
            "first": connections[0],
            "last": connections[-1],
            "max": max(connections),
        },
        "celery_queue_last": samples[-1]["celery_queue"],
        "check": verify(sale.ticket_type_id, sale.quantity),
        "samples": samples,
    }
