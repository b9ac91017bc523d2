"""`make bench` shares the machine's PostgreSQL: it restarts it only when it must."""

import subprocess

import psycopg
import pytest

from bench import stack
from bench.targets import judge


class _Server:
    """Stands in for the PostgreSQL admin connection: answers SHOW and records ALTER SYSTEM."""

    def __init__(self, max_connections: int) -> None:
        self.max_connections = max_connections
        self.statements: list[str] = []

    def __call__(self, *args, **kwargs):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql: str, *params):
        self.statements.append(sql)
        server = self

        class _Result:
            def fetchone(self):
                return (str(server.max_connections),)

        return _Result()


@pytest.fixture
def commands(monkeypatch):
    ran: list[list[str]] = []

    def fake_run(command, *args, **kwargs):
        ran.append(list(command))
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(stack.subprocess, "run", fake_run)
    monkeypatch.setattr(stack, "_pg_cluster_version", lambda: "15")
    return ran


def test_a_server_that_allows_enough_connections_is_not_restarted(monkeypatch, commands):
    server = _Server(max_connections=300)
    monkeypatch.setattr(psycopg, "connect", server)

    stack.ensure_postgres_connections(300)

    assert server.statements == ["SHOW max_connections"]
    assert commands == []


def test_a_low_limit_is_raised_and_the_server_restarted(monkeypatch, commands):
    server = _Server(max_connections=100)
    monkeypatch.setattr(psycopg, "connect", server)

    stack.ensure_postgres_connections(300)

    assert "ALTER SYSTEM SET max_connections = 300" in server.statements
    restarts = [c for c in commands if c[:1] == ["pg_ctlcluster"]]
    assert restarts == [["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]]


def _report(*, oversold: int, pdf_ratio: float) -> dict:
    check = {"quantity": 10, "sold_paid": 10 + oversold, "oversold": oversold}
    check["orders_without_tickets"] = 0
    run = {"ratio_to_raw_updates": 0.5, "per_second": 10.0, "check": check}
    page = {"ratio_to_trivial": 0.6, "cpu_ratio_to_trivial": 0.6}
    return {
        "rush": {
            **{f"{kind}-{k}": run for kind in ("free", "paid") for k in (8, 32, 128)},
            "free-scaling_128_vs_8": 1.0,
            "paid-scaling_128_vs_8": 1.0,
        },
        "pages": {
            "by_events": {"10000": {"event": page}},
            "cost_10000_vs_100": {"event": {"cpu": 1.0, "requests": 1.0}},
        },
        "pdf": {
            "render": {"one_ticket_vs_hello": pdf_ratio, "per_ticket_of_ten_vs_hello": 0.5},
            "celery": {"tickets": 1000, "all_valid": True},
        },
        "iplog": {"event_overhead_from_middleware_pct": 1.0},
        "soak": {"errors": {}, "check": {"oversold": 0}},
    }


def test_targets_report_an_oversell_and_a_slow_pdf_as_missed():
    good = {t["name"]: t["met"] for t in judge(_report(oversold=0, pdf_ratio=1.2))}
    bad = {t["name"]: t["met"] for t in judge(_report(oversold=1, pdf_ratio=2.0))}

    assert all(good.values())
    assert not bad["rush: exactly M sold, no oversell, no orphan"]
    assert not bad["PDF one ticket ÷ hello page"]
    assert bad["PDF per ticket of ten ÷ hello page"]


def test_a_cached_page_is_loaded_at_least_one_cache_period_per_window(monkeypatch):
    from bench import load

    windows: list[tuple[str, float]] = []

    def fake_run_load(base_url, scenario, *, clients, seconds, result=None):
        windows.append((base_url, seconds))
        return load.LoadResult(completed=1, seconds=seconds)

    monkeypatch.setattr(load, "run_load", fake_run_load)
    targets = {
        "plain": load.Target("http://plain", None, lambda: 0.0),
        "cached": load.Target("http://cached", None, lambda: 0.0, min_window_seconds=5.0),
    }
    totals = load.run_interleaved(targets, clients=4, seconds=2.0, rounds=4, warm_seconds=1.0)

    measured = windows[2:]  # after one warm-up window each
    assert sorted({s for url, s in measured if url == "http://plain"}) == [0.5]
    assert sorted({s for url, s in measured if url == "http://cached"}) == [5.0]
    assert totals["cached"].seconds == 20.0 and totals["plain"].seconds == 2.0


def _waitroom(*, tau: float, oversold: int) -> dict:
    return {
        "poll": {"cpu_ratio_to_trivial": 1.2},
        "run": {
            "purchase": {"p99_ms": 900.0},
            "checkout": {"p99_ms": 400.0},
            "fairness_tau_after_opening": tau,
            "sold_out_told_within_one_poll_pct": 100.0,
            "check": {"oversold": oversold},
        },
    }


def test_the_waiting_room_run_is_judged_on_fairness_and_oversell():
    good = _report(oversold=0, pdf_ratio=1.2) | {"waitroom": _waitroom(tau=1.0, oversold=0)}
    bad = _report(oversold=0, pdf_ratio=1.2) | {"waitroom": _waitroom(tau=0.9, oversold=2)}
    good_targets = {t["name"]: t["met"] for t in judge(good)}
    bad_targets = {t["name"]: t["met"] for t in judge(bad)}
    assert all(good_targets.values())
    assert not bad_targets["waiting room: fairness τ after the opening"]
    assert not bad_targets["waiting room: oversold"]
    assert bad_targets["waiting room: queue poll ÷ trivial view (CPU)"]


def test_kendall_tau_of_the_fairness_figure():
    from bench.waitroom import kendall_tau

    assert kendall_tau([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert kendall_tau([1, 2, 3, 4], [40, 30, 20, 10]) == -1.0
    assert kendall_tau([1, 2, 3, 4], [10, 30, 20, 40]) == round(4 / 6, 4)


def test_the_early_arrivals_draw_is_judged_among_those_placed_before_the_opening(monkeypatch):
    from bench import waitroom
    from bench.waitroom import RoomSale, Run, Visitor, _figures

    # the sale's count is read from the bench database, which this test does not touch
    monkeypatch.setattr(waitroom, "verify", lambda ticket_type_id, quantity: {"oversold": 0})

    opens_at = 1000.0
    run = Run(sale=RoomSale(1, 2, 3, "concert", opens_at), opens_at=opens_at, quantity=10)
    # five early visitors answered before the opening, in a drawn order against arrival...
    drawn = [(900.0, 3), (910.0, 1), (920.0, 5), (930.0, 2), (940.0, 4)]
    crowd = [
        Visitor(n, arrive_at, True, joined_at=arrive_at + 1, number=number)
        for n, (arrive_at, number) in enumerate(drawn)
    ]
    # ...one whose join was answered only after the opening, placed after them as a late one
    crowd.append(Visitor(5, 990.0, True, joined_at=opens_at + 2, number=6))
    crowd += [
        Visitor(6 + n, opens_at + n, False, joined_at=opens_at + 5 + n, number=7 + n)
        for n in range(3)
    ]
    run.checkouts.completed, run.checkouts.latencies_ms = 3, [300.0, 400.0, 500.0]
    run.purchases.completed, run.purchases.latencies_ms = 3, [900.0, 1150.0, 1400.0]
    figures = _figures(run, crowd, elapsed=10.0, server_cpu=1.0)
    assert figures["checkout"]["completed"] == 3 and figures["checkout"]["p50_ms"] == 400.0
    assert figures["purchase"]["p50_ms"] == 1150.0
    assert figures["early_arrivals"] == 6
    assert figures["early_arrivals_placed_before_opening"] == 5
    assert figures["early_arrivals_tau"] == _tau_of(drawn)
    assert figures["fairness_tau_after_opening"] == 1.0


def _tau_of(pairs: list[tuple[float, int]]) -> float:
    from bench.waitroom import kendall_tau

    return kendall_tau([a for a, _ in pairs], [float(n) for _, n in pairs])


def test_the_load_generator_keeps_every_cookie_an_answer_sets():
    from multidict import CIMultiDict, CIMultiDictProxy

    from bench.client import Answer, cookie_header

    headers = CIMultiDict()
    headers.add("Set-Cookie", "csrftoken=abc; Path=/; Secure; SameSite=Lax")
    headers.add("Set-Cookie", 'sessionid="x y"; HttpOnly; Path=/; Secure')
    headers.add("Content-Type", "text/html")
    answer = Answer(302, CIMultiDictProxy(headers), b"{}")
    cookies = {"eventum_queue": "v1", **answer.cookies()}
    assert cookies == {"eventum_queue": "v1", "csrftoken": "abc", "sessionid": "x y"}
    assert cookie_header(cookies) == "eventum_queue=v1; csrftoken=abc; sessionid=x y"
    assert answer.json() == {} and answer.text == "{}"


def test_the_queue_pool_has_its_own_port_only_when_asked_for():
    assert stack.Stack(port=9000).queue_url == "http://127.0.0.1:9000"
    assert stack.Stack(port=9000, queue_workers=2).queue_url == "http://127.0.0.1:9001"
