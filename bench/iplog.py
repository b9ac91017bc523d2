"""IP-log overhead: the same pages from two servers side by side, the IP log on and off.

Both gunicorns run at once (the idle one costs nothing) and the load alternates between them
in short windows, so that a busy neighbour on a shared machine slows both alike.
"""

from __future__ import annotations

from bench.load import Target, get_page, run_interleaved
from bench.pages import EVENT, WITH_SESSION
from bench.stack import Stack

# The event page as rendered (a visitor with a session), and the trivial view.
PAGES = {"event": (EVENT, WITH_SESSION), "trivial": ("/bench/trivial", "")}


def measure_iplog(logged: Stack, *, clients: int, seconds: float) -> dict:
    """Requests/s with and without ``IpLogMiddleware`` per page; overhead = 1 − on ÷ off.

    ``logged`` is a running server with the IP log on; its twin without it is started here.
    """
    report: dict[str, dict] = {}
    unlogged_env = {**logged.extra_env, "IP_LOG_ENABLED": "false"}
    with Stack(port=logged.port + 1, extra_env=unlogged_env) as unlogged:
        for name, (path, cookie) in PAGES.items():
            page = get_page(path, cookie=cookie)
            results = run_interleaved(
                {
                    "on": Target(logged.base_url, page, logged.cpu_seconds),
                    "off": Target(unlogged.base_url, page, unlogged.cpu_seconds),
                },
                clients=clients,
                # The twin has just started: every worker must load its templates before
                # the clock runs.
                seconds=seconds,
                rounds=6,
                warm_seconds=2.0,
            )
            on, off = results["on"].summary(), results["off"].summary()
            cpu_on = on.get("server_cpu_ms_per_request", 0)
            cpu_off = off.get("server_cpu_ms_per_request") or 1
            report[name] = {
                "middleware_cpu_ms": round(cpu_on - cpu_off, 2),
                "on": on,
                "off": off,
                "overhead_pct": round((1 - on["per_second"] / (off["per_second"] or 1)) * 100, 1),
                "cpu_overhead_pct": round((cpu_on / cpu_off - 1) * 100, 1),
            }
    # The trivial view isolates the middleware's own cost; as a share of the event page's it
    # is the overhead a real page sees, steadier than the event page's own on/off difference.
    middleware = max(report["trivial"]["middleware_cpu_ms"], 0.0)
    event_cpu = report["event"]["off"].get("server_cpu_ms_per_request") or 1
    report["event_overhead_from_middleware_pct"] = round(middleware / event_cpu * 100, 1)
    return report
