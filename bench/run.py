"""``make bench``: every benchmark in one run, printed as a table and saved as JSON.

Figures are ratios against a limit measured in the same run on the same machine (the
trivial view for pages, the raw conditional UPDATE for the on-sale rush), so they mean
something on a noisy shared machine. Nothing here is a test; tests stay fast.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from decimal import Decimal

import psutil

from bench.hot_row import raw_updates_per_second
from bench.pages import measure_pages
from bench.rush import run_rush
from bench.stack import ROOT, Stack, bench_env, ensure_postgres_connections, recreate_database

RESULTS = ROOT / "bench" / "results"
CLIENTS = (8, 32, 128)


def seed(events: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.seed", "--events", str(events)],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def machine() -> dict[str, str | int | float]:
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": psutil.cpu_count(logical=True) or 0,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0, help="per measurement")
    parser.add_argument("--clients", type=int, default=16, help="page benchmark clients")
    parser.add_argument("--quick", action="store_true", help="short runs for a smoke check")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else args.seconds

    report: dict[str, object] = {"machine": machine()}
    ensure_postgres_connections(300)
    recreate_database()

    pages: dict[str, dict] = {}
    for events in (100, 10_000):
        seed(events)
        with Stack() as stack:
            pages[str(events)] = measure_pages(stack, clients=args.clients, seconds=seconds)
            report.setdefault("memory", {}).update(stack.rss_mb())
    flat = {
        name: round(pages["100"][name]["per_second"] / (pages["10000"][name]["per_second"] or 1), 3)
        for name in pages["100"]
    }
    report["pages"] = {"by_events": pages, "cost_10000_vs_100": flat}

    report["hot_row"] = {
        str(k): raw_updates_per_second(connections=k, cap=2_000 if args.quick else 20_000)
        for k in CLIENTS
    }
    quantity = 200 if args.quick else 1_000
    rush: dict[str, dict] = {}
    for kind, price in (("free", Decimal(0)), ("paid", Decimal(5000))):
        for k in CLIENTS:
            figures = run_rush(clients=k, quantity=quantity, price=price, seconds=600)
            figures["ratio_to_raw_updates"] = round(
                figures["per_second"] / report["hot_row"][str(k)]["per_second"], 3
            )
            rush[f"{kind}-{k}"] = figures
            report.setdefault("memory", {}).update(figures.pop("memory"))
    for kind in ("free", "paid"):
        rush[f"{kind}-scaling_128_vs_8"] = round(
            rush[f"{kind}-128"]["per_second"] / (rush[f"{kind}-8"]["per_second"] or 1), 3
        )
    report["rush"] = rush

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_table(report)
    return 0


def print_table(report: dict) -> None:
    print(f"\nMachine: {report['machine']}")
    print("\nPages (requests/s, p99 ms, ratio to the trivial view)")
    print(f"{'page':<12}{'events':>8}{'req/s':>10}{'p99':>9}{'ratio':>8}{'errors':>8}")
    for events, pages in report["pages"]["by_events"].items():
        for name, fig in pages.items():
            errors = sum(fig["errors"].values())
            print(
                f"{name:<12}{events:>8}{fig['per_second']:>10}{fig['p99_ms']:>9}"
                f"{fig['ratio_to_trivial']:>8}{errors:>8}"
            )
    print("\nPage cost at 10,000 events ÷ at 100 events (target ≤ 1.2):")
    for name, ratio in report["pages"]["cost_10000_vs_100"].items():
        print(f"  {name:<12}{ratio}")
    print("\nRaw hot-row limit (conditional UPDATE on one row)")
    for k, fig in report["hot_row"].items():
        print(f"  K={k:<5}{fig['per_second']:>10} updates/s  oversold={fig['oversold']}")
    print("\nOn-sale rush (orders/s; ratio to raw updates/s at the same K; target ≥ 0.40 at K=32)")
    print(
        f"{'run':<12}{'orders/s':>10}{'p50':>8}{'p95':>8}{'p99':>8}{'ratio':>8}"
        f"{'sold':>6}{'oversold':>9}{'orphans':>8}  errors"
    )
    for name, fig in report["rush"].items():
        if not isinstance(fig, dict):
            print(f"{name:<24}{fig}  (target ≥ 0.7)")
            continue
        check = fig["check"]
        print(
            f"{name:<12}{fig['per_second']:>10}{fig['p50_ms']:>8}{fig['p95_ms']:>8}"
            f"{fig['p99_ms']:>8}{fig['ratio_to_raw_updates']:>8}{check['sold_paid']:>6}"
            f"{check['oversold']:>9}{check['orders_without_tickets']:>8}  {fig['errors']}"
        )
    if report.get("memory"):
        print(f"\nMemory (MB): {report['memory']}")


if __name__ == "__main__":
    sys.exit(main())
