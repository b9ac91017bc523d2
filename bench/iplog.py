"""IP-log overhead: the same pages from two servers side by side, the IP log on and off.

Both gunicorns run at once (the idle one costs nothing) and the load alternates between them
in short rounds, so that a busy neighbour on a shared machine slows both alike.
"""

from __future__ import annotations

from bench.load import LoadResult, get_page, run_load
from bench.stack import PORT, Stack

PAGES = {"event": "/events/bench-event/", "trivial": "/bench/trivial"}


def measure_iplog(*, clients: int, seconds: float, rounds: int = 4) -> dict:
    """Requests/s with and without ``IpLogMiddleware`` per page; overhead = 1 − on ÷ off."""
    report: dict[str, dict] = {}
    with (
        Stack() as logged,
        Stack(port=PORT + 1, extra_env={"IP_LOG_ENABLED": "false"}) as unlogged,
    ):
        for name, path in PAGES.items():
            totals = {"on": LoadResult(), "off": LoadResult()}
            for stack in (logged, unlogged):
                run_load(stack.base_url, get_page(path), clients=clients, seconds=1.0)  # warm
            for round_ in range(rounds):
                order = (("on", logged), ("off", unlogged))
                for key, stack in order if round_ % 2 == 0 else reversed(order):
                    part = run_load(
                        stack.base_url, get_page(path), clients=clients, seconds=seconds / rounds
                    )
                    totals[key].completed += part.completed
                    totals[key].seconds += part.seconds
                    totals[key].latencies_ms.extend(part.latencies_ms)
                    totals[key].errors.update(part.errors)
            on, off = totals["on"].summary(), totals["off"].summary()
            report[name] = {
                "on": on,
                "off": off,
                "overhead_pct": round((1 - on["per_second"] / (off["per_second"] or 1)) * 100, 1),
            }
    return report
