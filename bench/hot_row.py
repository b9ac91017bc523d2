"""The physical limit of selling from one inventory row: K connections doing a conditional
``UPDATE … SET sold = sold + 1 WHERE id = … AND sold < cap`` until the cap is reached."""

from __future__ import annotations

import threading
import time

import psycopg

from bench.stack import database_url


def raw_updates_per_second(*, connections: int, cap: int) -> dict[str, float | int]:
    dsn = database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_hot_row")
        conn.execute("CREATE TABLE bench_hot_row (id int PRIMARY KEY, sold int NOT NULL)")
        conn.execute("INSERT INTO bench_hot_row VALUES (1, 0)")

    start_gate = threading.Barrier(connections + 1)
    done = [0] * connections

    def worker(index: int) -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            start_gate.wait()
            while True:
                cursor = conn.execute(
                    "UPDATE bench_hot_row SET sold = sold + 1 WHERE id = 1 AND sold < %s",
                    (cap,),
                )
                if cursor.rowcount == 0:
                    return
                done[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started

    with psycopg.connect(dsn, autocommit=True) as conn:
        sold = conn.execute("SELECT sold FROM bench_hot_row WHERE id = 1").fetchone()[0]
        conn.execute("DROP TABLE bench_hot_row")
    return {
        "connections": connections,
        "updates": sum(done),
        "oversold": sold - cap,
        "per_second": round(sum(done) / seconds, 1),
    }
