"""``make bench``: every benchmark in one run, printed as a table and saved as JSON.

Figures are ratios against a limit measured in the same run on the same machine (the
trivial view for pages, the raw conditional UPDATE for the on-sale rush), so they mean
something on a noisy shared machine. Nothing here is a test; tests stay fast.
"""

from __future__ import annotations

import argparse
import json
import platform
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import psutil

from bench.hot_row import raw_updates_per_second
from bench.iplog import measure_iplog
from bench.load import LoadResult
from bench.pages import measure_pages
from bench.pdf import measure_pdf
from bench.rush import RUSH_ENV, run_rush, seed_ticket_types
from bench.soak import ENDLESS, Soak
from bench.stack import (
    ROOT,
    Stack,
    bench_env,
    ensure_postgres_connections,
    ensure_services,
    flush_broker,
    recreate_database,
)
from bench.targets import judge
from bench.waitroom import measure_waitroom, print_waitroom

RESULTS = ROOT / "bench" / "results"
CLIENTS = (8, 32, 128)
PRICE = Decimal(5000)
RUSH_KINDS = (("free", Decimal(0)), ("paid", PRICE))


def seed(events: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.seed", "--events", str(events)],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def machine() -> dict[str, str | int | float]:
    import psycopg

    from bench.stack import PG_ADMIN_DSN

    with psycopg.connect(PG_ADMIN_DSN) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    redis_version = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "INFO", "server"], capture_output=True, text=True
    ).stdout
    redis_version = next(
        (
            line.split(":")[1].strip()
            for line in redis_version.splitlines()
            if "redis_version" in line
        ),
        "?",
    )
    return {
        "cpu": _cpu_model() or platform.machine(),
        "cores": psutil.cpu_count(logical=True) or 0,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": round(psutil.getloadavg()[0], 2),
        "python": platform.python_version(),
        "postgresql": postgres.split()[0],
        "redis": redis_version,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _cpu_model() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor()
    for line in cpuinfo.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def step(title: str, started: float, report: dict | None = None) -> None:
    """Say what runs next; keep the figures so far (a long run stopped halfway is not lost)."""
    print(f"bench: {title} ({time.monotonic() - started:.0f} s)", flush=True)
    if report is not None:
        RESULTS.mkdir(exist_ok=True)
        partial = json.dumps(report, indent=2, ensure_ascii=False, default=str)
        (RESULTS / "partial.json").write_text(partial)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="per page measurement")
    parser.add_argument("--clients", type=int, default=16, help="page benchmark clients")
    parser.add_argument("--soak-seconds", type=float, default=300.0, help="soak length")
    parser.add_argument("--tickets", type=int, default=1_000, help="M, tickets on sale a rush")
    parser.add_argument("--rush-seconds", type=float, default=300.0, help="cap on one rush")
    parser.add_argument("--quick", action="store_true", help="short runs for a smoke check")
    args = parser.parse_args()
    seconds = 2.0 if args.quick else args.seconds
    soak_seconds = min(args.soak_seconds, 20.0) if args.quick else args.soak_seconds
    started = time.monotonic()
    # Stopped from outside: unwind, so that gunicorn and Celery are stopped with the bench.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    ensure_services()
    ensure_postgres_connections(300)
    report: dict[str, object] = {"machine": machine(), "quick": args.quick}
    step("fresh bench database", started, report)
    recreate_database()

    pages: dict[str, dict] = {}
    report["pages"] = {"by_events": pages}
    # One server for the page figures (the pages read the database fresh on every request,
    # so seeding more events under a running server is fine) and its twin without the IP log.
    with Stack(extra_env=RUSH_ENV) as web:
        for events in (100, 10_000):
            step(f"pages with {events} events", started, report)
            seed(events)
            pages[str(events)] = measure_pages(web, clients=args.clients, seconds=seconds)
        step("IP log on and off", started, report)
        report["iplog"] = measure_iplog(web, clients=args.clients, seconds=seconds)
    # Page cost at 10,000 events over at 100: server CPU per request (steady on a shared
    # machine, the two are measured minutes apart) and, for reference, requests/s.
    flat = {
        name: {
            "cpu": round(
                pages["10000"][name].get("server_cpu_ms_per_request", 0)
                / (pages["100"][name].get("server_cpu_ms_per_request") or 1),
                3,
            ),
            "requests": round(
                pages["100"][name]["per_second"] / (pages["10000"][name]["per_second"] or 1), 3
            ),
        }
        for name in pages["100"]
    }
    report["pages"] = {"by_events": pages, "cost_10000_vs_100": flat}
    # The same middleware cost as a share of the event page a visitor without a session gets
    # (from the page cache, so much cheaper than the rendered page the IP-log run uses).
    cached_event_cpu = pages["10000"]["event"].get("server_cpu_ms_per_request") or 1
    report["iplog"]["cached_event_overhead_from_middleware_pct"] = round(
        max(report["iplog"]["trivial"]["middleware_cpu_ms"], 0.0) / cached_event_cpu * 100, 1
    )

    step("raw hot-row updates", started, report)
    report["hot_row"] = {
        str(k): raw_updates_per_second(connections=k, cap=2_000 if args.quick else 10_000)
        for k in CLIENTS
    }

    quantity = min(args.tickets, 200) if args.quick else args.tickets
    runs = [(kind, price, k) for kind, price in RUSH_KINDS for k in CLIENTS]
    sales = seed_ticket_types([(price, quantity) for _, price, _ in runs] + [(PRICE, ENDLESS)])
    rush: dict[str, dict] = {}
    report["rush"] = rush
    flush_broker()
    # gunicorn and one Celery process (printing PDFs and sending e-mails of the paid orders),
    # as in production. The six rushes are also the soak: the same servers under on-sale load,
    # sampled throughout, topped up from a ticket type that never sells out to the full time.
    with (
        Stack(celery_concurrency=1, extra_env=RUSH_ENV) as shop,
        Soak(shop, seconds=soak_seconds) as soak,
    ):
        for (kind, _, k), sale in zip(runs, sales, strict=False):
            step(f"on-sale rush, {kind}, K={k}", started, report)
            figures = run_rush(
                shop, sale, clients=k, seconds=args.rush_seconds, result=soak.track(LoadResult())
            )
            figures["ratio_to_raw_updates"] = round(
                figures["per_second"] / report["hot_row"][str(k)]["per_second"], 3
            )
            rush[f"{kind}-{k}"] = figures
            if len(rush) == 1:
                soak.mark_warm()
        report["memory_during_rush"] = shop.rss_mb()
        step("soak: load held to the full time", started, report)
        soak.top_up(sales[-1], clients=32)
    report["soak"] = soak.report(sales[-1])
    flush_broker()
    for kind, _ in RUSH_KINDS:
        rush[f"{kind}-scaling_128_vs_8"] = round(
            rush[f"{kind}-128"]["per_second"] / (rush[f"{kind}-8"]["per_second"] or 1), 3
        )
    report["rush"] = rush

    step("waiting room", started, report)
    report["waitroom"] = measure_waitroom(quick=args.quick, clients=args.clients, seconds=seconds)
    flush_broker()

    step("PDF tickets", started, report)
    report["pdf"] = measure_pdf(batch_tickets=200 if args.quick else 1_000, repeats=15)

    report["targets"] = judge(report)
    report["elapsed_seconds"] = round(time.monotonic() - started)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_table(report)
    print(f"\nFull figures: {RESULTS / 'latest.json'}  ({report['elapsed_seconds']} s)")
    return 0


def print_table(report: dict) -> None:
    print(f"\nMachine: {report['machine']}")
    print(
        "\nPages (requests/s, p99 ms, ratio to the trivial view; server CPU ms per request"
        " and the trivial view's CPU ÷ the page's)"
    )
    print(
        f"{'page':<12}{'events':>8}{'req/s':>9}{'p99':>9}{'ratio':>8}{'cpu ms':>9}"
        f"{'cpu ratio':>10}{'errors':>8}"
    )
    for events, pages in report["pages"]["by_events"].items():
        for name, fig in pages.items():
            errors = sum(fig["errors"].values())
            print(
                f"{name:<12}{events:>8}{fig['per_second']:>9}{fig['p99_ms']:>9}"
                f"{fig['ratio_to_trivial']:>8}{fig.get('server_cpu_ms_per_request', '-')!s:>9}"
                f"{fig['cpu_ratio_to_trivial']:>10}{errors:>8}"
            )
    print("\nPage cost at 10,000 events ÷ at 100 events (target ≤ 1.2): server CPU, req/s")
    for name, ratio in report["pages"]["cost_10000_vs_100"].items():
        print(f"  {name:<12}{ratio['cpu']:>8}{ratio['requests']:>8}")
    print("\nRaw hot-row limit (conditional UPDATE on one row)")
    for k, fig in report["hot_row"].items():
        print(f"  K={k:<5}{fig['per_second']:>10} updates/s  oversold={fig['oversold']}")
    print(
        "\nOn-sale rush (orders/s; ratio to raw updates/s at the same K, target ≥ 0.40 at K=32;"
        " server CPU ms per order, and its split gunicorn/Celery/PostgreSQL)"
    )
    print(
        f"{'run':<12}{'orders/s':>10}{'p50':>8}{'p95':>8}{'p99':>8}{'ratio':>8}"
        f"{'cpu ms':>8}{'split':>16}{'sold':>6}{'held':>6}{'oversold':>9}{'orphans':>8}"
        "  errors, checkouts sent again"
    )
    for name, fig in report["rush"].items():
        if not isinstance(fig, dict):
            print(f"{name:<24}{fig}  (target ≥ 0.7)")
            continue
        check = fig["check"]
        print(
            f"{name:<12}{fig['per_second']:>10}{fig['p50_ms']:>8}{fig['p95_ms']:>8}"
            f"{fig['p99_ms']:>8}{fig['ratio_to_raw_updates']:>8}"
            f"{fig.get('server_cpu_ms_per_request', '-')!s:>8}"
            f"{'/'.join(f'{ms:.0f}' for ms in fig['server_cpu_ms_per_order_by_part'].values()):>16}"
            f"{check['sold_paid']:>6}{check['held_unsold']:>6}{check['oversold']:>9}"
            f"{check['orders_without_tickets']:>8}  {fig['errors']} {fig['checkouts_sent_again']}"
        )
    print_rest(report)


def print_rest(report: dict) -> None:
    print("\nIP log (requests/s with the IP-log middleware on and off; target ≤ 5 % slower)")
    for name in ("event", "trivial"):
        fig = report["iplog"][name]
        print(
            f"  {name:<10} on {fig['on']['per_second']:>8}  off {fig['off']['per_second']:>8}"
            f"  p99 {fig['on']['p99_ms']}/{fig['off']['p99_ms']} ms"
            f"  slower by {fig['overhead_pct']} %, server CPU +{fig['cpu_overhead_pct']} %"
        )
    print(
        "  the middleware's own CPU (trivial view on − off) ÷ the event page's:"
        f" {report['iplog']['event_overhead_from_middleware_pct']} % as rendered,"
        f" {report['iplog']['cached_event_overhead_from_middleware_pct']} % from the page cache"
    )
    render = report["pdf"]["render"]
    print(
        "\nPDF tickets in one process, best of "
        f"{render['repeats']} (HarfBuzz subsetting loaded: {render['harfbuzz_subset_loaded']})"
    )
    for name, ms in render["best_ms"].items():
        print(f"  {name:<12}{ms:>8} ms   median {render['median_ms'][name]} ms")
    print(
        f"  one ticket ÷ hello page: {render['one_ticket_vs_hello']} (target ≤ 1.5);"
        f" per ticket of ten ÷ hello: {render['per_ticket_of_ten_vs_hello']} (target ≤ 0.6)"
    )
    celery = report["pdf"]["celery"]
    print(
        f"  Celery, 2 processes: {celery['tickets']} tickets in {celery['orders']} orders,"
        f" {celery['seconds']} s = {celery['tickets_per_second']} tickets/s;"
        f" every file valid: {celery['all_valid']} {celery['problems']}"
    )
    print_waitroom(report["waitroom"])
    print(f"\nPeak RSS of the largest worker during the rush (MB): {report['memory_during_rush']}")
    soak = report["soak"]
    print(
        f"\nSoak: {soak['seconds']} s of on-sale load ({soak['runs']} runs):"
        f" {soak['completed']} orders,"
        f" {soak['per_second']} orders/s, p99 {soak['p99_ms']} ms, errors {soak['errors']}"
    )
    print(
        f"  gunicorn workers RSS {soak['memory']['first_sum']} → {soak['memory']['last_sum']} MB"
        f" (growth {soak['memory']['growth_mb']}); Celery {soak['celery_memory']['first_sum']}"
        f" → {soak['celery_memory']['last_sum']} MB; DB connections"
        f" {soak['db_connections']['first']} → {soak['db_connections']['last']}"
        f" (max {soak['db_connections']['max']}); Celery queue at the end"
        f" {soak['celery_queue_last']}; oversold {soak['check']['oversold']},"
        f" orders without tickets {soak['check']['orders_without_tickets']}"
    )
    print("\nTargets")
    for target in report["targets"]:
        mark = "met" if target["met"] else "MISSED"
        print(f"  {mark:<7}{target['name']:<48}{target['value']!s:>10}  ({target['target']})")


if __name__ == "__main__":
    sys.exit(main())
