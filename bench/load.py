"""A small closed-loop HTTP load generator: K clients, each sending its next request when the
previous one has answered. Reports throughput, latency percentiles and errors by kind."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.client import Client, HTTPError


@dataclass
class LoadResult:
    completed: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    server_cpu_seconds: float | None = None

    def add(self, other: LoadResult) -> None:
        self.completed += other.completed
        self.seconds += other.seconds
        self.latencies_ms.extend(other.latencies_ms)
        self.errors.update(other.errors)
        if other.server_cpu_seconds is not None:
            self.server_cpu_seconds = (self.server_cpu_seconds or 0.0) + other.server_cpu_seconds

    @property
    def per_second(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]

    def summary(self) -> dict[str, float | int | dict[str, int]]:
        cpu = {}
        if self.server_cpu_seconds is not None and self.completed:
            cpu["server_cpu_ms_per_request"] = round(
                self.server_cpu_seconds * 1000 / self.completed, 2
            )
        return {
            **cpu,
            "completed": self.completed,
            "per_second": round(self.per_second, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else 0,
            "errors": dict(self.errors),
        }


# A scenario step gets a client and returns "ok", "stop" (no more work) or an error kind.
Scenario = Callable[[Client, int], Awaitable[str]]


async def _client_loop(
    base_url: str, scenario: Scenario, client_id: int, deadline: float, result: LoadResult
) -> None:
    async with Client(base_url, connections=1) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                outcome = await scenario(client, client_id)
            except HTTPError as exc:
                outcome = type(exc).__name__
            elapsed = (time.perf_counter() - started) * 1000
            if outcome == "stop":
                return
            if outcome == "ok":
                result.completed += 1
                result.latencies_ms.append(elapsed)
            else:
                result.errors[outcome] += 1


def run_load(
    base_url: str,
    scenario: Scenario,
    *,
    clients: int,
    seconds: float,
    result: LoadResult | None = None,
) -> LoadResult:
    """Run ``clients`` concurrent loops of ``scenario`` for at most ``seconds``.

    Pass ``result`` to watch the counts grow from another thread while the load runs.
    """
    result = result if result is not None else LoadResult()

    async def main() -> None:
        deadline = time.monotonic() + seconds
        started = time.perf_counter()
        await asyncio.gather(
            *(_client_loop(base_url, scenario, i, deadline, result) for i in range(clients))
        )
        result.seconds = time.perf_counter() - started

    asyncio.run(main())
    return result


@dataclass(frozen=True)
class Target:
    """What one window of an interleaved measurement loads and how its server's CPU is read."""

    base_url: str
    scenario: Scenario
    cpu_seconds: Callable[[], float]
    # A page served from a cache that is rebuilt every N seconds is loaded N seconds at a
    # time at least, so each window pays the one rebuild of N seconds of steady traffic,
    # not one per short window.
    min_window_seconds: float = 0.0


def run_interleaved(
    targets: dict[str, Target],
    *,
    clients: int,
    seconds: float,
    rounds: int = 4,
    warm_seconds: float = 1.0,
) -> dict[str, LoadResult]:
    """Load each target for ``seconds`` in total, in ``rounds`` alternating windows.

    A window lasts ``seconds / rounds``, or the target's ``min_window_seconds`` if longer.

    Alternating (and reversing the order every round) lets a busy neighbour slow every target
    alike, so the ratios between them hold even when the machine is shared.
    """
    totals = {name: LoadResult(server_cpu_seconds=0.0) for name in targets}
    names = list(targets)
    for name in names:  # warm: connections, templates, caches
        target = targets[name]
        run_load(target.base_url, target.scenario, clients=clients, seconds=warm_seconds)
    for round_ in range(rounds):
        for name in names if round_ % 2 == 0 else reversed(names):
            target = targets[name]
            cpu_before = target.cpu_seconds()
            window = max(seconds / rounds, target.min_window_seconds)
            part = run_load(target.base_url, target.scenario, clients=clients, seconds=window)
            part.server_cpu_seconds = target.cpu_seconds() - cpu_before
            totals[name].add(part)
    return totals


def get_page(path: str, *, cookie: str = "") -> Scenario:
    """GET ``path``; ``cookie`` (a ``Cookie`` header) makes the visitor one with a session."""
    headers = {"Cookie": cookie} if cookie else {}

    async def scenario(client: Client, client_id: int) -> str:
        response = await client.get(path, headers=headers)
        return "ok" if response.status_code == 200 else f"http_{response.status_code}"

    return scenario
