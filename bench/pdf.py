"""PDF tickets: the ticket service against a bare WeasyPrint page, then a batch through Celery.

``measure_pdf()`` (called by ``bench.run``) drives three steps, each a subprocess with the bench
settings (``python -m bench.pdf <step>``):

* ``seed``: paid orders on the bench database, paid by a signed CloudPayments notification as
  in the rush: one of 1 ticket, one of 10, two to warm the workers up, and the batch.
* ``render``: in one process, a WeasyPrint "hello" page and ``render_order_pdf()`` for the
  1-ticket and the 10-ticket order, interleaved, best of N and median of each.
* ``batch``: with a Celery worker of 2 processes running, queue ``order_pdf_task`` for every
  batch order, wait for the stored files, then open each with pypdf and count its pages.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from decimal import Decimal

from bench.rush import RUSH_ENV, pay_notification
from bench.stack import ROOT, Stack, bench_env, flush_broker

PRICE = Decimal(5000)
BATCH_ORDER_SIZE = 10
HELLO = "<p>hello</p>"


def _step(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.pdf", *args],
        cwd=ROOT,
        env=bench_env(**RUSH_ENV),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure_pdf(*, batch_tickets: int, repeats: int) -> dict:
    """Ratios to the bare page, then ``batch_tickets`` tickets through 2 Celery processes."""
    flush_broker()
    orders = _step("seed", "--batch-orders", str(batch_tickets // BATCH_ORDER_SIZE))
    flush_broker()  # the payments queued PDFs and e-mails; the batch step queues its own
    render = _step(
        "render",
        "--one",
        str(orders["one"]),
        "--ten",
        str(orders["ten"]),
        "--repeats",
        str(repeats),
    )
    with Stack(web=False, celery_concurrency=2, extra_env=RUSH_ENV) as stack:
        batch = _step(
            "batch",
            "--warm",
            ",".join(map(str, orders["warm"])),
            "--orders",
            ",".join(map(str, orders["batch"])),
        )
        batch["memory"] = stack.rss_mb()
    flush_broker()
    return {"render": render, "celery": batch}


# --- the steps, run inside Django -------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eventum.settings")
    import django

    django.setup()


def _paid_order(ticket_type_id: int, tickets: int, n: int) -> int:
    from tickets.payments.callbacks import cloudpayments_notification_handle
    from tickets.services.cart import cart_set_quantities
    from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create

    token = uuid.uuid4().hex
    cart_set_quantities(cart_token=token, quantities={ticket_type_id: tickets})
    order = order_create(
        cart_token=token,
        idempotency_key=uuid.uuid4().hex,
        buyer=BuyerDetails(
            surname="Тестова", name="Әлия", phone="+77011234567", email=f"pdf{n}@bench.kz"
        ),
        consent=ConsentInput(processing_wording="Согласна", ip_address="10.0.0.1"),
    )
    body, headers = pay_notification(order.code, order.total)
    result = cloudpayments_notification_handle(
        kind="pay",
        body=body,
        content_type="application/x-www-form-urlencoded",
        headers=headers,
        ip=None,
    )
    if result.code != 0:
        raise RuntimeError(f"order {order.code} was not paid: {result.outcome}")
    return order.pk


def seed(batch_orders: int) -> dict:
    _setup()
    from bench.seed_rush import ticket_type_on_sale

    ticket_type = ticket_type_on_sale(
        title="Концерт «Әуен» — қазақ әндері",
        ticket_name="Партер",
        price=PRICE,
        quantity=100 + BATCH_ORDER_SIZE * (batch_orders + 4),
        max_per_order=BATCH_ORDER_SIZE,
        days_ahead=20,
    )
    serial = iter(range(10**6))
    return {
        "one": _paid_order(ticket_type.pk, 1, next(serial)),
        "ten": _paid_order(ticket_type.pk, 10, next(serial)),
        "warm": [_paid_order(ticket_type.pk, 1, next(serial)) for _ in range(2)],
        "batch": [
            _paid_order(ticket_type.pk, BATCH_ORDER_SIZE, next(serial)) for _ in range(batch_orders)
        ],
    }


def render(one: int, ten: int, repeats: int) -> dict:
    """Best and median seconds of each render, interleaved so that both see the same load."""
    _setup()
    from weasyprint import HTML
    from weasyprint.text.ffi import harfbuzz_subset

    from tickets.delivery.services import render_order_pdf
    from tickets.models import Order

    orders = {"one": Order.objects.get(pk=one), "ten": Order.objects.get(pk=ten)}
    renders = {
        "hello": lambda: HTML(string=HELLO).write_pdf(),
        "one_ticket": lambda: render_order_pdf(orders["one"]),
        "ten_tickets": lambda: render_order_pdf(orders["ten"]),
    }
    times: dict[str, list[float]] = {name: [] for name in renders}
    for function in renders.values():
        function()  # warm: fonts, stylesheet, templates
    for _ in range(repeats):
        for name, function in renders.items():
            started = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - started)
    best = {name: min(values) for name, values in times.items()}
    median = {name: statistics.median(values) for name, values in times.items()}

    def ratios(figures: dict[str, float]) -> dict[str, float]:
        return {
            "one_ticket_vs_hello": round(figures["one_ticket"] / figures["hello"], 2),
            "per_ticket_of_ten_vs_hello": round(figures["ten_tickets"] / 10 / figures["hello"], 2),
        }

    return {
        "harfbuzz_subset_loaded": harfbuzz_subset is not None,
        "repeats": repeats,
        "best_ms": {name: round(value * 1000, 1) for name, value in best.items()},
        "median_ms": {name: round(value * 1000, 1) for name, value in median.items()},
        "pdfs_per_second_one_ticket": round(1 / best["one_ticket"], 1),
        "tickets_per_second_ten_ticket_order": round(10 / best["ten_tickets"], 1),
        **ratios(best),
        "median": ratios(median),
    }


def _wait_for_pdfs(order_ids: list[int], timeout: float) -> float:
    from tickets.models import TicketPdf

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if TicketPdf.objects.filter(order_id__in=order_ids).count() == len(order_ids):
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def batch(warm: list[int], order_ids: list[int]) -> dict:
    """Queue the PDFs of ``order_ids`` at once; every file must exist and be a full PDF."""
    _setup()
    import io

    from pypdf import PdfReader

    from tickets.models import OrderItem, TicketPdf
    from tickets.tasks import order_pdf_task

    # Both worker processes load fonts and templates on a first order, not on the clock.
    for order_id in warm:
        order_pdf_task.delay(order_id)
    _wait_for_pdfs(warm, timeout=120)
    for order_id in order_ids:
        order_pdf_task.delay(order_id)
    seconds = _wait_for_pdfs(order_ids, timeout=900)

    problems: dict[str, int] = {"missing_row": 0, "missing_file": 0, "unreadable": 0}
    problems["wrong_page_count"] = 0
    tickets = 0
    stored = {pdf.order_id: pdf for pdf in TicketPdf.objects.filter(order_id__in=order_ids)}
    for order_id in order_ids:
        pdf = stored.get(order_id)
        if pdf is None:
            problems["missing_row"] += 1
            continue
        if not pdf.file.storage.exists(pdf.file.name):
            problems["missing_file"] += 1
            continue
        with pdf.file.open("rb") as handle:
            data = handle.read()
        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
        except Exception:  # any parse failure means a broken file
            problems["unreadable"] += 1
            continue
        expected = OrderItem.objects.filter(
            order_id=order_id, status=OrderItem.Status.VALID
        ).count()
        if pages != expected:
            problems["wrong_page_count"] += 1
        tickets += pages
    return {
        "orders": len(order_ids),
        "tickets": tickets,
        "seconds": round(seconds, 1),
        "tickets_per_second": round(tickets / seconds, 1) if seconds else 0.0,
        "problems": problems,
        "all_valid": not any(problems.values()) and len(stored) == len(order_ids),
    }


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)
    seed_args = steps.add_parser("seed")
    seed_args.add_argument("--batch-orders", type=int, required=True)
    render_args = steps.add_parser("render")
    render_args.add_argument("--one", type=int, required=True)
    render_args.add_argument("--ten", type=int, required=True)
    render_args.add_argument("--repeats", type=int, default=15)
    batch_args = steps.add_parser("batch")
    batch_args.add_argument("--warm", type=_ids, required=True)
    batch_args.add_argument("--orders", type=_ids, required=True)
    args = parser.parse_args()
    if args.step == "seed":
        result = seed(args.batch_orders)
    elif args.step == "render":
        result = render(args.one, args.ten, args.repeats)
    else:
        result = batch(args.warm, args.orders)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
