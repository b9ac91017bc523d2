"""Page speed against the framework's floor (a trivial view in the same server and run)."""

from __future__ import annotations

from bench.load import get_page, run_load
from bench.stack import Stack

PAGES = {
    "trivial": "/bench/trivial",
    "home": "/",
    "catalogue": "/events/?city=almaty&category=concerts",
    "event": "/events/bench-event/",
}


def measure_pages(stack: Stack, *, clients: int, seconds: float) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, path in PAGES.items():
        run_load(stack.base_url, get_page(path), clients=clients, seconds=min(2.0, seconds))  # warm
        results[name] = run_load(
            stack.base_url, get_page(path), clients=clients, seconds=seconds
        ).summary()
    floor = results["trivial"]["per_second"] or 1
    for figures in results.values():
        figures["ratio_to_trivial"] = round(figures["per_second"] / floor, 3)
    return results
