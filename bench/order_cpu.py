"""CPU per order, in one process: ``python -m bench.order_cpu [--orders M] [--profile WHAT]``.

Django's test client against a throwaway database (``test_<name>`` of ``DATABASE_URL``, or
SQLite in memory without it; ``--keepdb`` keeps it between runs) measures this process's CPU
time (``time.process_time``) per request of the trivial view, per event page rendered for a
visitor with a session (a cart), per waiting-room poll (5,000 places in the queue), and per
order as a rush buyer makes it: a free order (reserve, checkout) and a paid one (reserve,
checkout, the signed CloudPayments *Pay* notification). Rounds of each part in blocks
alternate, so a busy neighbour disturbs them alike; only the ratios to the trivial view mean
anything, each the median over rounds of the round's cost ÷ the same round's trivial request.
``--interleave``: the parts take turns a step at a time instead (ten trivial requests, a page,
ten polls, an order of each kind), as requests mix on a server: the rounds spread less, and
the ratios come out lower than in blocks (the trivial request amid the others cost more in
most runs than repeated on its own): the blocks are the stricter yardstick.

Celery runs eagerly here, but what a worker does after an order (the confirmation e-mail, its
PDF, webhooks) is held back while the requests are timed and run afterwards, timed apart: the
*worker* figures, with the PDF's own rendering split out (production renders it in a worker,
never in a request). The database server's CPU is not in these figures (PostgreSQL: another
process); with SQLite it is, so compare runs on the same database kind.

Each kind of order sells a ticket type of exactly M tickets, then one more buyer is turned
away: exactly M sold, none oversold. ``--profile free|paid|event|poll|trivial`` prints the
cProfile of that part (cumulative and own time) instead of the ratios. Writes
``bench/results/order_cpu.json`` (``--output`` elsewhere).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import hashlib
import hmac
import json
import os
import pstats
import random
import re
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

RESULTS = Path(__file__).resolve().parent / "results" / "order_cpu.json"
CP_SECRET = "bench-cloudpayments-secret"
PRICE = Decimal(5000)
QUEUE_AHEAD = 5_000
ORDER_PATH = re.compile(r"/orders/([A-Z0-9]+)/")
# Issue 24: server CPU ÷ the trivial view's, per order or request.
EVENT = "event page (session)"
TARGETS = {"paid order": 25.0, "free order": 18.0, EVENT: 7.0, "queue poll": 1.5}
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "eventum.settings",
    "EVENTUM_BENCH_ENDPOINTS": "1",
    "DEBUG": "false",
    "LOG_LEVEL": "ERROR",
    "TICKETS_PAYMENT_PROVIDERS": "cloudpayments",
    "CLOUDPAYMENTS_PUBLIC_ID": "bench-public-id",
    "CLOUDPAYMENTS_API_SECRET": CP_SECRET,
    "CELERY_BROKER_URL": "",  # eager: the worker's part runs here, timed apart
    "WAITROOM_POLL_SECONDS": "5",
}


@dataclass
class Clock:
    """CPU seconds and count of one measured thing."""

    seconds: float = 0.0
    count: int = 0

    def ms(self) -> float:
        return self.seconds * 1000 / (self.count or 1)


@dataclass
class Sale:
    session_id: int
    ticket_type_id: int
    price: Decimal
    quantity: int
    sold: int = 0
    turned_away: int = 0


@dataclass
class Held:
    """The outbox messages published after commit, held back to run as a worker would."""

    ids: list[int] = field(default_factory=list)
    publish: Callable[..., int] | None = None  # the real ``outbox_publish_many``


def _setup(keepdb: bool) -> Callable[[], None]:
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    os.environ["CELERY_BROKER_URL"] = ""  # REDIS_URL would otherwise be the broker
    scratch = Path(tempfile.mkdtemp(prefix="eventum-order-cpu-"))
    os.environ.setdefault("MEDIA_ROOT", str(scratch / "media"))
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(scratch / "private"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keepdb)

    def teardown() -> None:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keepdb)
        shutil.rmtree(scratch, ignore_errors=True)  # the tickets' PDFs and media of this run

    return teardown


def _sales(quantity: int) -> dict[str, Sale]:
    from bench.seed import bench_event
    from bench.seed_rush import ticket_type_on_sale

    bench_event()
    sales = {}
    for kind, price in (("free", Decimal(0)), ("paid", PRICE)):
        ticket_type = ticket_type_on_sale(
            title="Старт продаж",
            ticket_name="Танцпол",
            price=price,
            quantity=quantity,
            max_per_order=1,
            days_ahead=30,
        )
        sales[kind] = Sale(ticket_type.session_id, ticket_type.pk, price, quantity)
    return sales


def _queue_poll_url() -> tuple[str, str]:
    """A waiting room with ``QUEUE_AHEAD`` places taken and one more visitor; its poll URL."""
    from datetime import timedelta

    from django.utils import timezone

    from bench.seed_rush import ticket_type_on_sale
    from tickets.waitroom import room
    from tickets.waitroom.services import waitroom_mirror, waitroom_save

    ticket_type = ticket_type_on_sale(
        title="Большой концерт",
        ticket_name="Танцпол",
        price=PRICE,
        quantity=10,
        max_per_order=1,
        days_ahead=30,
    )
    event = ticket_type.session.event
    waiting_room = waitroom_save(
        event=event,
        enabled=True,
        opens_at=timezone.now() - timedelta(seconds=60),
        admit_per_minute=1,
        auto_enabled=False,
        auto_threshold_ms=2000,
    )
    waitroom_mirror(waiting_room=waiting_room, reset=True)
    for n in range(QUEUE_AHEAD):
        room.join(event.pk, f"bench-ahead-{n:08d}")
    visitor = "bench-poll-visitor-0001"
    room.join(event.pk, visitor)
    return f"/orders/queue/{event.pk}/status/", visitor


def _address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def _pay_notification(code: str, amount: Decimal) -> tuple[bytes, str]:
    body = urlencode(
        {
            "InvoiceId": code,
            "Amount": f"{amount:.2f}",
            "Currency": "KZT",
            "TransactionId": f"bench-{uuid.uuid4().hex}",
        }
    ).encode()
    signature = base64.b64encode(hmac.new(CP_SECRET.encode(), body, hashlib.sha256).digest())
    return body, signature.decode()


def _form_post(client: Any, path: str, data: dict[str, Any]) -> Any:
    """POST a form as a browser sends one without files (the cart's, and the checkout's when
    the event asks for no attachment): its fields URL-encoded, not as a multipart body."""
    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")


class Buyers:
    """Rush buyers: each order a new visitor (new session and cart, own address)."""

    def __init__(self) -> None:
        # from a random start: with ``--keepdb`` the addresses of earlier runs are not used
        # again (their IP events would flag every buyer as one address's tenth order)
        self.serial = random.randrange(1 << 23)
        self.handler: Any = None

    def _client(self, address: str) -> Any:
        """A new visitor's client (own cookies) on one request handler: a server process
        loads its middleware once, not per visitor."""
        from django.test import Client

        client = Client(REMOTE_ADDR=address)
        if self.handler is None:
            self.handler = client.handler
        client.handler = self.handler
        return client

    def order(self, sale: Sale) -> bool:
        """Reserve one ticket, check out, pay when paid; whether an order was made."""
        self.serial += 1
        client = self._client(_address(self.serial))
        reserve = _form_post(
            client, "/orders/cart/", {"session": sale.session_id, f"qty_{sale.ticket_type_id}": 1}
        )
        assert reserve.status_code == 302, reserve.status_code
        if "/orders/checkout/" not in reserve["Location"]:
            return False  # sent back to the event page: sold out
        checkout = _form_post(
            client,
            "/orders/checkout/",
            {
                "surname": "Тестов",
                "name": "Покупатель",
                "phone": "+77011234567",
                "email": f"rush-{self.serial}@bench.kz",
                "consent_processing": "on",
                "idempotency_key": uuid.uuid4().hex,
            },
        )
        assert checkout.status_code == 302, (checkout.status_code, checkout.content[:2000])
        match = ORDER_PATH.search(checkout["Location"])
        assert match, checkout["Location"]
        code = match.group(1)
        if sale.price:
            body, signature = _pay_notification(code, sale.price)
            paid = client.post(
                "/orders/callbacks/cloudpayments/pay/",
                body,
                content_type="application/x-www-form-urlencoded",
                headers={"Content-HMAC": signature},
            )
            assert paid.status_code == 200 and paid.json().get("code") == 0, paid.content
        return True


def _hold_outbox(held: Held) -> Callable[[], None]:
    """Publishing after commit only notes the messages (see ``_run_worker``)."""
    from eventum import outbox

    publish = held.publish = outbox.outbox_publish_many

    def note(*, message_ids: list[int]) -> int:
        held.ids.extend(message_ids)
        return 0

    outbox.outbox_publish_many = note  # type: ignore[assignment]

    def restore() -> None:
        outbox.outbox_publish_many = publish  # type: ignore[assignment]

    return restore


def _run_worker(held: Held, worker: Clock, pdf: Clock) -> None:
    """Run the held tasks as the worker would; PDF rendering timed on its own."""
    from tickets.delivery import services as delivery

    assert held.publish is not None
    ids, held.ids[:] = list(held.ids), []
    render = delivery.render_tickets_pdf

    def timed_render(*args: Any, **kwargs: Any) -> bytes:
        started = time.process_time()
        try:
            return render(*args, **kwargs)
        finally:
            pdf.seconds += time.process_time() - started
            pdf.count += 1

    delivery.render_tickets_pdf = timed_render  # type: ignore[assignment]
    try:
        started = time.process_time()
        # one message at a time, as a worker takes them (and each may publish more)
        while ids:
            held.publish(message_ids=[ids.pop(0)])
            ids.extend(held.ids)
            held.ids[:] = []
        worker.seconds += time.process_time() - started
    finally:
        delivery.render_tickets_pdf = render  # type: ignore[assignment]


def _get_many(client: Any, url: str, repeat: int, clock: Clock, **extra: Any) -> None:
    started = time.process_time()
    for _ in range(repeat):
        response = client.get(url, **extra)
    clock.seconds += time.process_time() - started
    clock.count += repeat
    assert response.status_code == 200, (url, response.status_code)


def _verify(sale: Sale) -> dict[str, int]:
    from events.models import TicketType
    from tickets.models import Order, OrderItem

    taken = TicketType.objects.get(pk=sale.ticket_type_id).quantity_taken
    sold = OrderItem.objects.filter(
        ticket_type_id=sale.ticket_type_id, order__status=Order.Status.PAID
    ).count()
    return {
        "quantity": sale.quantity,
        "sold": sold,
        "taken": taken,
        "oversold": max(sold - sale.quantity, 0),
        "turned_away": sale.turned_away,
    }


def run(*, orders: int, rounds: int, profile: str | None, interleave: bool = False) -> dict:
    """Rounds: trivial view, event page, queue poll, free orders, paid orders, trivial view
    again, in blocks (or, ``interleave``, a step at a time); the worker's part after each."""
    from django.test import Client

    sales = _sales(orders)
    poll_url, visitor = _queue_poll_url()
    held = Held()
    restore = _hold_outbox(held)
    buyers = Buyers()
    visitor_client = Client(REMOTE_ADDR="10.250.0.1")
    # a visitor with a session: a cart holding a ticket of the bench event
    from events.models import TicketType

    held_type = TicketType.objects.filter(session__event__slug="bench-event").first()
    assert held_type is not None
    _form_post(
        visitor_client, "/orders/cart/", {"session": held_type.session_id, f"qty_{held_type.pk}": 1}
    )
    poll_client = Client(REMOTE_ADDR="10.250.0.2", HTTP_COOKIE=f"eventum_queue={visitor}")
    trivial_client = Client(REMOTE_ADDR="10.250.0.3")
    clocks = {
        name: Clock() for name in ("trivial", EVENT, "queue poll", "free order", "paid order")
    }
    workers = {kind: Clock() for kind in ("free", "paid")}
    pdfs = {kind: Clock() for kind in ("free", "paid")}
    # warm: the first request of each kind loads templates, catalogues and URL resolvers
    _get_many(trivial_client, "/bench/trivial", 3, Clock())
    _get_many(visitor_client, "/events/bench-event/", 3, Clock())
    _get_many(poll_client, poll_url, 3, Clock())
    warm = {kind: _sales(1)[kind] for kind in ("free", "paid")}  # sales of their own, not M's
    for kind in ("free", "paid"):
        buyers.order(warm[kind])
        _run_worker(held, Clock(), Clock())
    per_round = max(orders // rounds, 1)
    profiler = cProfile.Profile(time.process_time) if profile else None

    @contextlib.contextmanager
    def profiled(name: str) -> Iterator[None]:
        """The profiler on for ``--profile``'s part only (an order's requests, not the worker's
        part run after them)."""
        on = profiler is not None and name.startswith(profile or "-")
        if on:
            profiler.enable()
        try:
            yield
        finally:
            if on:
                profiler.disable()

    pending: dict[str, list[int]] = {"free": [], "paid": []}

    def sell(kind: str, count: int) -> None:
        sale, clock = sales[kind], clocks[f"{kind} order"]
        started = time.process_time()
        made = 0
        with profiled(kind):
            for _ in range(count):
                if buyers.order(sale):
                    made += 1
                else:
                    sale.turned_away += 1
        clock.seconds += time.process_time() - started
        clock.count += made
        sale.sold += made
        pending[kind].extend(held.ids)  # for the worker, after the round
        held.ids[:] = []

    def work() -> None:
        """What the worker does after the orders sold since it last ran, kind by kind, timed
        apart: at the end of a round, outside the timed requests in either way of running."""
        for kind in ("free", "paid"):
            held.ids[:], pending[kind] = pending[kind], []
            _run_worker(held, workers[kind], pdfs[kind])

    ratios: dict[str, list[float]] = {name: [] for name in clocks if name != "trivial"}
    for _round in range(rounds):
        before = {name: (clock.seconds, clock.count) for name, clock in clocks.items()}
        # blocks: the trivial view, the event page, the polls, the free orders, the paid
        # orders, the trivial view again (the stricter yardstick: the trivial request repeated
        # on its own is at its cheapest); steps (``--interleave``): each part in turn, a step
        # at a time (ten trivial requests, a page, ten polls, an order of each kind), as
        # requests mix on a server
        steps = per_round if interleave else 1
        each = 1 if interleave else per_round
        for _step in range(steps):
            with profiled("trivial"):
                _get_many(trivial_client, "/bench/trivial", each * 5, clocks["trivial"])
            with profiled("event"):
                _get_many(visitor_client, "/events/bench-event/", each, clocks[EVENT])
            with profiled("poll"):
                _get_many(poll_client, poll_url, each * 10, clocks["queue poll"])
            for kind in ("free", "paid"):
                sell(kind, min(each, sales[kind].quantity - sales[kind].sold))
            _get_many(trivial_client, "/bench/trivial", each * 5, clocks["trivial"])
        work()
        spent = {
            name: (clock.seconds - before[name][0]) / ((clock.count - before[name][1]) or 1)
            for name, clock in clocks.items()
        }
        for name in ratios:
            ratios[name].append(spent[name] / spent["trivial"])
    for kind in ("free", "paid"):
        # what is left, then one buyer too many: turned away
        sell(kind, sales[kind].quantity - sales[kind].sold + 1)
    work()
    restore()
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        # the project's own functions, by cumulative time
        stats.sort_stats("cumulative").print_stats(
            r"/(tickets|events|privacy|organizers|eventum)/", 80
        )
    trivial = clocks["trivial"].ms()
    report: dict = {
        "orders": orders,
        "rounds": rounds,
        "interleaved": interleave,
        "trivial_ms": round(trivial, 3),
    }
    report["figures"] = {
        name: {
            "cpu_ms": round(clock.ms(), 3),
            "count": clock.count,
            # the median over rounds of this round's figure ÷ this round's trivial view
            "to_trivial": round(statistics.median(ratios[name]), 2),
            "to_trivial_by_round": [round(r, 2) for r in ratios[name]],
            "target": TARGETS.get(name),
        }
        for name, clock in clocks.items()
        if name != "trivial"
    }
    report["worker"] = {
        kind: {
            "cpu_ms_per_order": round(workers[kind].seconds * 1000 / (sales[kind].sold or 1), 3),
            "pdf_ms_per_order": round(pdfs[kind].seconds * 1000 / (sales[kind].sold or 1), 3),
            "without_pdf_to_trivial": round(
                (workers[kind].seconds - pdfs[kind].seconds)
                * 1000
                / (sales[kind].sold or 1)
                / trivial,
                2,
            ),
            "pdf_to_trivial": round(
                pdfs[kind].seconds * 1000 / (sales[kind].sold or 1) / trivial, 2
            ),
        }
        for kind in ("free", "paid")
    }
    report["check"] = {kind: _verify(sale) for kind, sale in sales.items()}
    return report


def _print(report: dict) -> None:
    print(
        f"CPU in this process, {report['orders']} orders of each kind, {report['rounds']} rounds"
        f" ({'steps' if report['interleaved'] else 'blocks'});"
        f" trivial view {report['trivial_ms']:.3f} ms"
    )
    print(f"{'':22} {'cpu ms':>8} {'÷ trivial':>10} {'target':>7}")
    for name, row in report["figures"].items():
        target = row["target"]
        mark = "" if target is None or row["to_trivial"] <= target else "  missed"
        print(f"{name:22} {row['cpu_ms']:8.2f} {row['to_trivial']:10.2f} {target:7.1f}{mark}")
    for kind, row in report["worker"].items():
        print(
            f"worker after a {kind} order: {row['cpu_ms_per_order']:.2f} ms, of which PDF "
            f"{row['pdf_ms_per_order']:.2f} ms; without PDF {row['without_pdf_to_trivial']:.2f}×"
            f" trivial, PDF {row['pdf_to_trivial']:.2f}×"
        )
    for kind, check in report["check"].items():
        print(
            f"{kind}: sold {check['sold']} of {check['quantity']}, taken {check['taken']}, "
            f"oversold {check['oversold']}, turned away {check['turned_away']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=60, help="M: orders of each kind")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds")
    parser.add_argument("--keepdb", action="store_true", help="keep the test database")
    parser.add_argument(
        "--profile",
        choices=("free", "paid", "event", "poll", "trivial"),
        help="print cProfile of this part",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument(
        "--interleave", action="store_true", help="the parts take turns a step at a time"
    )
    args = parser.parse_args()
    teardown = _setup(args.keepdb)
    try:
        report = run(
            orders=args.orders,
            rounds=args.rounds,
            profile=args.profile,
            interleave=args.interleave,
        )
    finally:
        teardown()
    if args.profile:
        return
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    _print(report)


if __name__ == "__main__":
    main()
