"""Many callers at once against PostgreSQL: threads with their own connections, one barrier."""

import threading
from collections.abc import Callable

from django.db import connection


def race(
    count: int, attempt: Callable[[int], object], *, timeout: float = 120
) -> tuple[list[object], list[tuple[int, Exception]]]:
    """Run ``attempt(0)`` … ``attempt(count - 1)`` in threads released together.

    Returns what the winners returned and ``(n, exception)`` for every loser.
    """
    barrier = threading.Barrier(count)
    wins: list[object] = []
    losses: list[tuple[int, Exception]] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            result = attempt(n)
            with lock:
                wins.append(result)
        except Exception as exc:  # collected for the test's assertions
            with lock:
                losses.append((n, exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads)
    return wins, losses
