"""The cabinet of a big organizer: ``python -m bench.cabinet [--small E:N] [--large E:N]``.

Seeds (once, ``bench.seed_cabinet``) a small and a large organizer and, signed in as each one's
owner, requests the order list, a search by e-mail, a deep page (a cursor half a year back),
the dashboard, an event's dashboard and the payout report in this process. For each page it
prints the server CPU and the SQL time per request at both sizes and the ratio large ÷ small,
and each large page's CPU against the trivial view's (the framework's floor). The pages and the
trivial view are measured in ``--rounds`` rounds, the sizes alternating, and each keeps its
least CPU: on a machine shared with other work a round can only be slowed down, so the least
is the figure that repeats (and the ratios between pages hold); the trivial view's is its least
at either size. Needs
PostgreSQL (``DATABASE_URL``) and ``EVENTUM_BENCH_ENDPOINTS=1``; writes
``bench/results/cabinet.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "cabinet.json"
TARGET_GROWTH = 1.5  # large ÷ small, per page
TARGET_TRIVIAL = 30.0  # a large page's CPU ÷ the trivial view's


@dataclass
class Cost:
    cpu_ms: float
    sql_ms: float
    queries: float
    bytes: int


@dataclass
class SqlClock:
    seconds: float = 0.0
    queries: int = 0
    _started: list[float] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def _measure(client, url: str, repeat: int) -> Cost:
    from django.db import connection

    response = client.get(url, HTTP_HOST="127.0.0.1")  # warm: caches, the session row
    assert response.status_code == 200, (url, response.status_code)
    clock = SqlClock()
    with connection.execute_wrapper(clock):
        cpu = time.process_time()
        for _ in range(repeat):
            response = client.get(url, HTTP_HOST="127.0.0.1")
        cpu = time.process_time() - cpu
    # process_time counts this process only: SQL waits on the server are not in it
    return Cost(
        cpu_ms=cpu * 1000 / repeat,
        sql_ms=clock.seconds * 1000 / repeat,
        queries=clock.queries / repeat,
        bytes=len(response.content),
    )


def _pages(slug: str) -> dict[str, str]:
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from tickets.models import Order
    from tickets.order_search import _cursor

    orders = Order.objects.filter(event__organizer__slug=slug)
    an_event = (orders.values("event__slug").order_by("event_id").first() or {"event__slug": ""})[
        "event__slug"
    ]
    half_year = timezone.now() - timedelta(days=182)
    deep = orders.filter(created_at__lte=half_year).order_by("-created_at", "-id").first()
    some = orders.order_by("id")[orders.count() // 2]
    order_list = reverse("tickets:cabinet_orders", args=[slug])
    return {
        "order list": order_list,
        "search by e-mail": f"{order_list}?q={some.email}",
        "deep page": f"{order_list}?older={_cursor(deep)}",
        "dashboard": reverse("tickets:cabinet_dashboard", args=[slug]),
        "event dashboard": reverse("tickets:cabinet_event_dashboard", args=[slug, an_event]),
        "payout": reverse("tickets:cabinet_payout", args=[slug]),
    }


def run(*, small: tuple[int, int], large: tuple[int, int], repeat: int, rounds: int = 3) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.seed_cabinet import seed

    report: dict = {"sizes": {"small": small, "large": large}, "rounds": rounds, "pages": {}}
    urls: dict[str, dict[str, str]] = {}
    clients: dict[str, Client] = {}
    for name, (events, orders) in (("small", small), ("large", large)):
        slug, email = seed(events=events, orders=orders)
        clients[name] = Client()
        clients[name].force_login(get_user_model().objects.get(email=email))
        urls[name] = {**_pages(slug), "trivial": "/bench/trivial"}
    measured: dict[str, dict[str, list[Cost]]] = {name: {} for name in urls}
    for _round in range(rounds):
        for name, pages in urls.items():
            for page, url in pages.items():
                times = repeat * 10 if page == "trivial" else repeat
                cost = _measure(clients[name], url, times)
                measured[name].setdefault(page, []).append(cost)
    costs = {
        name: {page: min(runs, key=lambda cost: cost.cpu_ms) for page, runs in pages.items()}
        for name, pages in measured.items()
    }
    # the framework's floor: the same view at both sizes, its least (a slowed round of one
    # size would otherwise flatter every ratio of the run)
    trivial = min(costs[name]["trivial"].cpu_ms for name in costs)
    for page in costs["small"]:
        s, big = costs["small"][page], costs["large"][page]
        report["pages"][page] = {
            "small": s.__dict__,
            "large": big.__dict__,
            "cpu_growth": round(big.cpu_ms / s.cpu_ms, 2),
            "sql_growth": round(big.sql_ms / s.sql_ms, 2) if s.sql_ms else None,
            "cpu_to_trivial": round(big.cpu_ms / trivial, 1),
        }
    return report


def _print(report: dict) -> None:
    small, large = report["sizes"]["small"], report["sizes"]["large"]
    print(
        f"cabinet: small {small[0]} events / {small[1]} orders, large {large[0]} / {large[1]};"
        f" the least of {report['rounds']} rounds"
    )
    print(
        f"{'page':18} {'cpu ms S':>9} {'cpu ms L':>9} {'L/S':>5} {'sql ms S':>9} "
        f"{'sql ms L':>9} {'L/S':>5} {'q L':>4} {'KB L':>6} {'÷triv':>6}"
    )
    for page, row in report["pages"].items():
        s, big = row["small"], row["large"]
        growth_ok = "" if row["cpu_growth"] <= TARGET_GROWTH else "!"
        trivial_ok = "" if row["cpu_to_trivial"] <= TARGET_TRIVIAL else "!"
        print(
            f"{page:18} {s['cpu_ms']:9.1f} {big['cpu_ms']:9.1f} "
            f"{row['cpu_growth']:4.2f}{growth_ok:1}"
            f" {s['sql_ms']:9.1f} {big['sql_ms']:9.1f} {row['sql_growth'] or 0:4.2f}"
            f"  {big['queries']:4.0f} {big['bytes'] / 1024:6.0f} {row['cpu_to_trivial']:5.1f}"
            f"{trivial_ok}"
        )
    print(f"targets: L/S ≤ {TARGET_GROWTH}, large page ≤ {TARGET_TRIVIAL}× trivial (! = missed)")


def _size(text: str) -> tuple[int, int]:
    events, _sep, orders = text.partition(":")
    return int(events), int(orders)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=_size, default=(100, 10_000), help="events:orders")
    parser.add_argument("--large", type=_size, default=(10_000, 200_000), help="events:orders")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; each page keeps its least")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventum.settings")
    os.environ.setdefault("EVENTUM_BENCH_ENDPOINTS", "1")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    report = run(small=args.small, large=args.large, repeat=args.repeat, rounds=args.rounds)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    _print(report)


if __name__ == "__main__":
    main()
