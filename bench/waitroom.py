"""The waiting-room run: N simulated visitors join an event's queue (a third before the opening),
poll at the page's interval, buy one ticket each when admitted, until M tickets are sold.

Reported: a queue poll's server CPU ÷ the trivial view's (measured apart, with the queue full),
the admitted buyers' latency while the queue is full, of the checkout's own request and of the
whole purchase (event page, reserve, checkout, payment notification), fairness (Kendall τ
between the order of arrival and the place in the queue, which is the order of admission, for
those who came after the opening; and how many were seen admitted more than one poll interval
before someone ahead of them), oversell, and how soon after the last ticket went every visitor
still waiting was told "sold out" (in polls).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal

import redis.asyncio as aioredis

from bench.client import Answer, Client, HTTPError, TransportError, cookie_header
from bench.load import LoadResult, Target, get_page, run_interleaved
from bench.rush import ORDER_PATH, RUSH_ENV, pay_notification, verify
from bench.stack import REDIS_URL, ROOT, Stack, bench_env
from tickets.waitroom.store import key

POLL_SECONDS = 5  # the page's interval near the front in this run (WAITROOM_POLL_SECONDS)
POLL_MAX_SECONDS = 30  # and far back (WAITROOM_POLL_MAX_SECONDS)
WAITROOM_ENV = {
    **RUSH_ENV,
    "WAITROOM_POLL_SECONDS": str(POLL_SECONDS),
    "WAITROOM_POLL_MAX_SECONDS": str(POLL_MAX_SECONDS),
    # the load generator stamps each request as nginx does in production (deploy/nginx.conf)
    "REQUEST_START_HEADER": "X-Request-Start",
}
PAGE_INTERVAL = re.compile(r'data-poll-seconds="(\d+)"')
PRICE = Decimal(5000)
CAP_PER_MINUTE = 600
# The queue's pages and polls are served by their own pool, as nginx routes them to the queue
# service in production (deploy/nginx.conf), so a buyer's request never waits behind them.
QUEUE_WORKERS = 2
CONNECTIONS = 64  # per client of the load generator (waiting visitors; buyers)


@dataclass(frozen=True)
class RoomSale:
    session_id: int
    ticket_type_id: int
    event_id: int
    slug: str
    opens_at: float  # the opening as the server has it (epoch seconds)


def seed_rooms(sales: list[tuple[Decimal, int, float, int]], ahead: int = 0) -> list[RoomSale]:
    args = []
    for price, quantity, opens_in, cap in sales:
        args += ["--sale", str(price), str(quantity), str(opens_in), str(cap)]
    lines = subprocess.run(
        [sys.executable, "-m", "bench.seed_waitroom", *args, "--ahead", str(ahead)],
        cwd=ROOT,
        env=bench_env(**WAITROOM_ENV),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return [_room_sale(line.split()) for line in lines]


def _room_sale(fields: list[str]) -> RoomSale:
    session_id, ticket_type_id, event_id = (int(x) for x in fields[:3])
    return RoomSale(session_id, ticket_type_id, event_id, fields[3], float(fields[4]))


# The poll and the trivial view cost about a millisecond each, so a short window's CPU reading
# is at the mercy of whatever else wakes up on the machine: four times the page measurement's
# time in eight windows each (1.1–1.9 in fifteen runs of one window of 1.25 s per round).
POLL_SECONDS_FACTOR = 4
POLL_ROUNDS = 8


def measure_poll_cpu(stack: Stack, *, clients: int, seconds: float) -> dict:
    """A waiting visitor's poll against the trivial view, windows interleaved, queue full;
    each loaded ``POLL_SECONDS_FACTOR × seconds`` in all."""
    (sale,) = seed_rooms([(PRICE, 10, -60, 1)], ahead=5_000)
    visitor = "bench-poll-visitor-0001"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from tickets.waitroom import room;"
            f"room.join({sale.event_id}, {visitor!r})",
        ],
        cwd=ROOT,
        env={**bench_env(**WAITROOM_ENV), "DJANGO_SETTINGS_MODULE": "eventum.settings"},
        check=True,
    )
    cookie = f"eventum_queue={visitor}"
    results = run_interleaved(
        {
            "trivial": Target(stack.queue_url, get_page("/bench/trivial"), stack.cpu_seconds),
            "queue_poll": Target(
                stack.queue_url,
                get_page(f"/orders/queue/{sale.event_id}/status/", cookie=cookie),
                stack.cpu_seconds,
            ),
        },
        clients=clients,
        seconds=seconds * POLL_SECONDS_FACTOR,
        rounds=POLL_ROUNDS,
    )
    trivial, poll = results["trivial"].summary(), results["queue_poll"].summary()
    return {
        "trivial": trivial,
        "queue_poll": poll,
        "cpu_ratio_to_trivial": round(
            poll.get("server_cpu_ms_per_request", 0)
            / (trivial.get("server_cpu_ms_per_request") or 1),
            3,
        ),
    }


@dataclass
class Visitor:
    n: int
    arrive_at: float
    early: bool
    cookies: dict[str, str] = field(default_factory=dict)
    joined_at: float = 0.0
    number: int = 0
    admitted_at: float = 0.0
    told_sold_out_at: float = 0.0
    poll_log: list[tuple[float, str]] = field(default_factory=list)
    polls: int = 0
    outcome: str = ""

    @property
    def address(self) -> str:
        n = self.n + 1
        return f"10.{200 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"

    def remember(self, answer: Answer) -> None:
        self.cookies.update(answer.cookies())

    def headers(self) -> dict[str, str]:
        return {
            "Cookie": cookie_header(self.cookies),
            "X-Forwarded-For": self.address,
            "X-Request-Start": f"t={time.time():.3f}",  # as the proxy would, when sent
        }


@dataclass
class Run:
    sale: RoomSale
    opens_at: float
    quantity: int
    purchases: LoadResult = field(default_factory=LoadResult)  # event page to payment
    steps: dict[str, LoadResult] = field(default_factory=dict)  # each request of a purchase
    # (seconds after the opening a purchase started, its milliseconds): where the slow ones are
    timeline: list[tuple[float, float]] = field(default_factory=list)
    taken_at: list[float] = field(default_factory=list)  # answers of successful reserves
    intervals: set[int] = field(default_factory=set)  # poll intervals the server asked for
    # How late the load generator's own loop wakes up: a lag here is in every latency above
    # without being the server's (the generator shares the cores with it).
    loop_lag: LoadResult = field(default_factory=LoadResult)
    # (seconds after the opening, admission pace a minute, places admitted): the pace at work
    pace: list[tuple[float, float, float]] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def checkouts(self) -> LoadResult:
        """The checkout's own request, a step of its own."""
        return self.steps.setdefault("checkout", LoadResult())

    def step(self, name: str, started: float) -> None:
        result = self.steps.setdefault(name, LoadResult())
        result.completed += 1
        result.latencies_ms.append((time.perf_counter() - started) * 1000)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def _again(run: Run, attempts: int, send: Callable[[], Awaitable[Answer]]) -> Answer:
    """``send()``, and again after a dropped connection, as a browser would, ``attempts`` times
    at most (each time newly stamped)."""
    for attempt in range(attempts):
        try:
            return await send()
        except TransportError as exc:
            run.error(type(exc).__name__)
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
    raise AssertionError("unreachable")


async def _get(client: Client, run: Run, url: str, visitor: Visitor) -> Answer:
    """A GET, sent again when the connection dropped."""
    return await _again(run, 5, lambda: client.get(url, headers=visitor.headers()))


async def _post(client: Client, run: Run, url: str, visitor: Visitor, data: dict) -> Answer:
    """A POST sent again after a dropped connection: the cart sets the same quantities, the
    checkout carries the same idempotency key."""
    return await _again(run, 3, lambda: client.post(url, headers=visitor.headers(), data=data))


async def _visitor(clients: tuple[Client, Client], run, visitor, deadline):
    try:
        await _wait_in_line(clients, run, visitor, deadline)
    except HTTPError as exc:
        visitor.outcome = f"gave_up_{type(exc).__name__}"


async def _wait_in_line(clients, run: Run, visitor: Visitor, deadline: float) -> None:
    client, buyer_client = clients
    await asyncio.sleep(max(visitor.arrive_at - time.time(), 0))
    queue = f"/orders/queue/{run.sale.event_id}/"
    page = await _get(client, run, queue, visitor)
    visitor.remember(page)
    visitor.joined_at = time.time()
    if page.status_code != 200:
        visitor.outcome = f"join_{page.status_code}"
        return
    # The first poll comes one interval after the page (the interval it gives), with the phase
    # of a real page load.
    given = PAGE_INTERVAL.search(page.text)
    await asyncio.sleep(int(given.group(1) if given else POLL_SECONDS) * random.uniform(0.5, 1))
    while time.time() < deadline:
        sent_at = time.time()
        status = await _get(client, run, f"{queue}status/", visitor)
        visitor.polls += 1
        visitor.remember(status)
        body = status.json()
        visitor.poll_log.append((sent_at, body["state"]))
        if body["number"]:
            visitor.number = body["number"]
        if body["state"] == "sold_out":
            visitor.told_sold_out_at = time.time()
            visitor.outcome = "told_sold_out"
            return
        if body["state"] == "admitted":
            visitor.admitted_at = time.time()
            visitor.outcome = await _buy(buyer_client, run, visitor)
            return
        run.intervals.add(body["poll_seconds"])
        await asyncio.sleep(body["poll_seconds"])
    visitor.outcome = "still_waiting"


async def _buy(client: Client, run: Run, visitor: Visitor) -> str:
    started = time.perf_counter()
    page = await _get(client, run, f"/events/{run.sale.slug}/", visitor)
    run.step("event_page", started)
    visitor.remember(page)
    if page.status_code != 200:
        run.error(f"event_page_{page.status_code}")
        return "refused"
    csrf = visitor.cookies.get("csrftoken", "")
    reserve_started = time.perf_counter()
    reserve = await _post(
        client,
        run,
        "/orders/cart/",
        visitor,
        data={
            "csrfmiddlewaretoken": csrf,
            "session": str(run.sale.session_id),
            f"qty_{run.sale.ticket_type_id}": "1",
        },
    )
    run.step("reserve", reserve_started)
    visitor.remember(reserve)
    if "/orders/checkout/" not in reserve.headers.get("location", ""):
        return "sold_out_at_cart"
    run.taken_at.append(time.time())
    checkout_started = time.perf_counter()
    checkout = await _post(
        client,
        run,
        "/orders/checkout/",
        visitor,
        data={
            "csrfmiddlewaretoken": csrf,
            "surname": "Тестов",
            "name": "Покупатель",
            "phone": "+77011234567",
            "email": f"queue{visitor.n}@bench.kz",
            "consent_processing": "on",
            "idempotency_key": uuid.uuid4().hex,
        },
    )
    match = ORDER_PATH.search(checkout.headers.get("location", ""))
    if checkout.status_code != 302 or not match:
        run.error(f"checkout_{checkout.status_code}")
        return "checkout_failed"
    run.step("checkout", checkout_started)
    body, headers = pay_notification(match.group(1), PRICE)
    pay_started = time.perf_counter()
    paid = await client.post("/orders/callbacks/cloudpayments/pay/", data=body, headers=headers)
    run.step("payment", pay_started)
    if paid.status_code != 200:
        run.error("pay_failed")
        return "pay_failed"
    run.purchases.completed += 1
    run.purchases.latencies_ms.append((time.perf_counter() - started) * 1000)
    run.timeline.append(
        (round(visitor.admitted_at - run.opens_at, 2), run.purchases.latencies_ms[-1])
    )
    return "bought"


async def _loop_lag(run: Run, every: float = 0.05) -> None:
    """Note how much later than asked the load generator's loop wakes up, while the crowd runs."""
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(every)
        run.loop_lag.latencies_ms.append((time.perf_counter() - asked - every) * 1000)
        run.loop_lag.completed += 1


async def _pace_trace(run: Run, every: float = 2.0) -> None:
    """Read the room's admission pace from the store as it changes (one read every 2 s)."""
    client = aioredis.from_url(REDIS_URL, decode_responses=True)
    state_key = key(run.sale.event_id, "st")
    try:
        while True:
            state = await client.hgetall(state_key)
            if state.get("rate"):
                run.pace.append(
                    (
                        round(time.time() - run.opens_at, 1),
                        round(float(state["rate"])),
                        round(float(state.get("admitted") or 0)),
                    )
                )
            await asyncio.sleep(every)
    finally:
        await client.aclose()


def kendall_tau(xs: list[float], ys: list[float]) -> float:
    """Kendall's τ-b of two paired sequences (O(n²): a few thousand pairs of visitors)."""
    concordant = discordant = ties_x = ties_y = 0
    n = len(xs)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return round((concordant - discordant) / denominator, 4) if denominator else 1.0


def run_waitroom(
    stack: Stack, *, visitors: int, tickets: int, early_seconds: float, spread_seconds: float
) -> dict:
    """The whole run against ``stack``; ``visitors`` join, a third before the opening."""
    opens_in = early_seconds + 3
    (sale,) = seed_rooms([(PRICE, tickets, opens_in, CAP_PER_MINUTE)])
    opens_at = sale.opens_at  # as the server has it: the seeding took a moment of its own
    run = Run(sale=sale, opens_at=opens_at, quantity=tickets)
    now = time.time()
    early_count = visitors // 3
    gap = spread_seconds / (visitors - early_count)
    crowd = [
        Visitor(n, now + random.uniform(0, max(min(early_seconds, opens_at - 3 - now), 0)), True)
        for n in range(early_count)
    ] + [
        Visitor(n, opens_at + 1 + (n - early_count) * gap, False)
        for n in range(early_count, visitors)
    ]
    deadline = opens_at + spread_seconds + 600
    cpu_before = stack.cpu_seconds()
    started = time.time()

    async def main() -> None:
        # Waiting visitors and buyers use separate connections, so that a buyer's requests
        # never wait behind polls in the load generator's own pool.
        async with (
            Client(stack.queue_url, connections=CONNECTIONS) as waiting,
            Client(stack.base_url, connections=CONNECTIONS) as buying,
        ):
            watch = asyncio.gather(_loop_lag(run), _pace_trace(run))
            await asyncio.gather(*(_visitor((waiting, buying), run, v, deadline) for v in crowd))
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch

    asyncio.run(main())
    elapsed = time.time() - started
    server_cpu = stack.cpu_seconds() - cpu_before
    return _figures(run, crowd, elapsed, server_cpu)


def _figures(run: Run, crowd: list[Visitor], elapsed: float, server_cpu: float) -> dict:
    late = [v for v in crowd if not v.early and v.number]
    tau = kendall_tau([v.joined_at for v in late], [v.number for v in late])
    # The random draw is among those the server had placed before the opening: an early
    # visitor whose join was answered only after it (the server's backlog at the end of the
    # early window) may have been placed after the opening, in arrival order, as a late one.
    drawn = [v for v in crowd if v.early and v.number and v.joined_at < run.opens_at]
    early_numbers = [v.number for v in drawn]
    early_arrival = [v.arrive_at for v in drawn]
    # The last ticket is taken when the last successful reserve answers (the queue was told
    # inside that request). Each visitor still waiting then: did the first poll they sent
    # afterwards say "sold out"? The lag counts their polls until one did.
    last_taken = max(run.taken_at, default=0.0)
    lags = []
    for v in crowd:
        after = [state for sent, state in v.poll_log if last_taken and sent > last_taken]
        if after:
            lags.append(after.index("sold_out") + 1 if "sold_out" in after else len(after) + 1)
    outcomes: dict[str, int] = {}
    for v in crowd:
        outcomes[v.outcome] = outcomes.get(v.outcome, 0) + 1
    polls = sum(v.polls for v in crowd)
    return {
        "visitors": len(crowd),
        "tickets": run.quantity,
        "poll_seconds": [min(run.intervals, default=0), max(run.intervals, default=0)],
        "seconds": round(elapsed, 1),
        "polls": polls,
        "server_cpu_seconds": round(server_cpu, 1),
        "purchase": run.purchases.summary(),
        "checkout": run.checkouts.summary(),
        "load_generator_lag": run.loop_lag.summary(),
        "purchase_steps": {name: result.summary() for name, result in run.steps.items()},
        "purchase_timeline": sorted(run.timeline),
        "pace": run.pace,
        "pace_highest": max((rate for _, rate, _ in run.pace), default=0),
        "pace_cuts": sum(b[1] < a[1] for a, b in zip(run.pace, run.pace[1:], strict=False)),
        "fairness_tau_after_opening": tau,
        "early_arrivals_tau": kendall_tau(early_arrival, early_numbers),
        "early_arrivals_placed_before_opening": len(drawn),
        "early_arrivals": sum(v.early for v in crowd),
        "sold_out_told_within_one_poll_pct": round(
            100 * sum(lag == 1 for lag in lags) / (len(lags) or 1), 1
        ),
        "sold_out_lag_max_polls": max(lags, default=0),
        "told_sold_out": len(lags),
        "outcomes": outcomes,
        "errors": run.errors,
        "check": verify(run.sale.ticket_type_id, run.quantity),
    }


def print_waitroom(report: dict) -> None:
    poll = report["poll"]
    run = report["run"]
    purchase, checkout = run["purchase"], run["checkout"]
    print(
        "\nWaiting room ("
        f"{run['visitors']} visitors, a third before the opening, M={run['tickets']},"
        f" polls every {run['poll_seconds'][0]}–{run['poll_seconds'][1]} s as the server asks)"
    )
    print(
        f"  queue poll: {poll['queue_poll'].get('server_cpu_ms_per_request')} ms server CPU,"
        f" trivial view {poll['trivial'].get('server_cpu_ms_per_request')} ms:"
        f" poll ÷ trivial {poll['cpu_ratio_to_trivial']} (target ≤ 1.5)"
    )
    print(
        f"  admitted buyers' checkout while the queue is full: p50 {checkout['p50_ms']}"
        f" p95 {checkout['p95_ms']} p99 {checkout['p99_ms']} ms (target p99 ≤ 1500); the whole"
        f" purchase (event page + reserve + checkout + payment): p50 {purchase['p50_ms']}"
        f" p95 {purchase['p95_ms']} p99 {purchase['p99_ms']} ms"
        f" ({purchase['completed']} bought; target p99 ≤ 1500)"
    )
    print(
        f"  admission pace: up to {run['pace_highest']} a minute (cap {CAP_PER_MINUTE}),"
        f" cut {run['pace_cuts']} times"
    )
    lag = run["load_generator_lag"]
    print(
        "  the load generator's own lag (in each figure above, not the server's):"
        f" p50 {lag['p50_ms']} p99 {lag['p99_ms']} ms"
    )
    print(
        f"  fairness after the opening, Kendall τ(arrival, place): "
        f"{run['fairness_tau_after_opening']} (target ≥ 0.99); early arrivals (a random draw):"
        f" {run['early_arrivals_tau']} (≈ 0) over the {run['early_arrivals_placed_before_opening']}"
        f" of {run['early_arrivals']} answered before the opening; admission follows the place"
    )
    check = run["check"]
    print(
        f"  sold {check['sold_paid']} of {check['quantity']}, oversold {check['oversold']};"
        f" told sold out at the first poll after the last ticket:"
        f" {run['sold_out_told_within_one_poll_pct']} % of {run['told_sold_out']}"
        f" (worst: poll {run['sold_out_lag_max_polls']});"
        f" {run['polls']} polls in {run['seconds']} s; outcomes {run['outcomes']};"
        f" errors {run['errors']}"
    )


def measure_waitroom(
    *, quick: bool, clients: int, seconds: float, queue_workers: int = QUEUE_WORKERS
) -> dict:
    """Both parts of the waiting-room run on their own server (and a Celery worker);
    ``queue_workers=0`` serves the queue from the same pool as the sale."""
    visitors, tickets = (600, 60) if quick else (5_000, 500)
    with Stack(celery_concurrency=1, queue_workers=queue_workers, extra_env=WAITROOM_ENV) as shop:
        poll = measure_poll_cpu(shop, clients=clients, seconds=seconds)
        run = run_waitroom(
            shop,
            visitors=visitors,
            tickets=tickets,
            early_seconds=5 if quick else 20,
            spread_seconds=15 if quick else 60,
        )
    return {"poll": poll, "run": run}


if __name__ == "__main__":
    import argparse
    import json

    from bench.stack import ensure_services, recreate_database

    parser = argparse.ArgumentParser(description="the waiting-room run alone")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--queue-workers",
        type=int,
        default=QUEUE_WORKERS,
        help="web workers of the queue's own pool (0: the queue shares the sale's workers)",
    )
    args = parser.parse_args()
    ensure_services()
    recreate_database()
    subprocess.run(
        [sys.executable, "-m", "bench.seed", "--events", "100"],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    result = measure_waitroom(
        quick=args.quick,
        clients=16,
        seconds=2.0 if args.quick else 5.0,
        queue_workers=args.queue_workers,
    )
    print(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    print_waitroom(result)
