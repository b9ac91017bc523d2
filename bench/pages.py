"""Page speed against the framework's floor (a trivial view in the same server and run)."""

from __future__ import annotations

import os

from bench.load import Target, get_page, run_interleaved
from bench.stack import Stack

EVENT = "/events/bench-event/"
# A visitor with a session (a cart, a sign-in) gets the event page rendered for them; one
# without gets it from the few-second page cache, as an on-sale crowd does.
WITH_SESSION = "sessionid=bench-visitor-with-a-session"
PAGES = {
    "trivial": ("/bench/trivial", ""),
    "home": ("/", ""),
    "catalogue": ("/events/?city=almaty&category=concerts", ""),
    "event": (EVENT, ""),
    "event_rendered": (EVENT, WITH_SESSION),
}
# The cached event page is rendered again once per cache period (PUBLIC_PAGE_CACHE_SECONDS,
# which the bench server inherits from this environment): its windows last one period, as a
# crowd loads it without a pause.
CACHED = {"event": float(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "5"))}


def measure_pages(stack: Stack, *, clients: int, seconds: float) -> dict[str, dict]:
    """Requests/s, latency and server CPU per request of each page, windows interleaved.

    ``ratio_to_trivial`` divides requests/s; ``cpu_ratio_to_trivial`` divides the server CPU
    time per request the other way round (the share of the trivial view's capacity a page
    keeps), which a busy neighbour disturbs much less.
    """
    results = {
        name: figures.summary()
        for name, figures in run_interleaved(
            {
                name: Target(
                    stack.base_url,
                    get_page(path, cookie=cookie),
                    stack.cpu_seconds,
                    min_window_seconds=CACHED.get(name, 0.0),
                )
                for name, (path, cookie) in PAGES.items()
            },
            clients=clients,
            seconds=seconds,
            rounds=4,
        ).items()
    }
    floor = results["trivial"]
    for figures in results.values():
        figures["ratio_to_trivial"] = round(figures["per_second"] / (floor["per_second"] or 1), 3)
        figures["cpu_ratio_to_trivial"] = round(
            floor.get("server_cpu_ms_per_request", 0)
            / (figures.get("server_cpu_ms_per_request") or 1),
            3,
        )
    return results
