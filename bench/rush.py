"""The on-sale rush: K buyers (real HTTP clients) each reserve one ticket and check out until
M tickets are gone; paid orders are confirmed by a signed CloudPayments "Pay" notification,
as the provider would send it. Afterwards the database is checked for oversell and orphans."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

import psycopg

from bench.client import Client, TransportError, cookie_header
from bench.load import LoadResult, run_load
from bench.stack import ROOT, Stack, bench_env, database_url

CP_SECRET = "bench-cloudpayments-secret"
RUSH_ENV = {
    "TICKETS_PAYMENT_PROVIDERS": "cloudpayments",
    "CLOUDPAYMENTS_PUBLIC_ID": "bench-public-id",
    "CLOUDPAYMENTS_API_SECRET": CP_SECRET,
    # As behind nginx: the client address comes from X-Forwarded-For, so that the per-IP
    # checkout limit sees many buyers rather than one bench machine.
    "TRUSTED_PROXY_COUNT": "1",
}
ORDER_PATH = re.compile(r"/orders/([A-Z0-9]+)/")
CHECKOUT_ATTEMPTS = 3


@dataclass
class Buyer:
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


@dataclass(frozen=True)
class OnSale:
    """A ticket type put on sale for one rush."""

    session_id: int
    ticket_type_id: int
    slug: str
    price: Decimal
    quantity: int


def seed_ticket_types(sales: list[tuple[Decimal, int]]) -> list[OnSale]:
    """One fresh event and ticket type for each (price, quantity), made in one process."""
    args = []
    for price, quantity in sales:
        args += ["--price", str(price), "--quantity", str(quantity)]
    lines = subprocess.run(
        [sys.executable, "-m", "bench.seed_rush", *args],
        cwd=ROOT,
        env=bench_env(**RUSH_ENV),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    made = []
    for line, (price, quantity) in zip(lines, sales, strict=True):
        session_id, ticket_type_id, slug = line.split()
        made.append(OnSale(int(session_id), int(ticket_type_id), slug, price, quantity))
    return made


def pay_notification(order_code: str, amount: Decimal) -> tuple[bytes, dict[str, str]]:
    """The body and headers of the CloudPayments "Pay" notification for a paid order."""
    body = urlencode(
        {
            "InvoiceId": order_code,
            "Amount": f"{amount:.2f}",
            "Currency": "KZT",
            "TransactionId": f"bench-{uuid.uuid4().hex}",
        }
    ).encode()
    signature = base64.b64encode(hmac.new(CP_SECRET.encode(), body, hashlib.sha256).digest())
    return body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-HMAC": signature.decode(),
    }


def _buyer_address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def rush_scenario(
    *,
    session_id: int,
    ticket_type_id: int,
    slug: str,
    price: Decimal,
    retried: Counter[str] | None = None,
):
    """One order per call; ``retried`` counts checkouts sent again after a dropped connection."""
    retried = retried if retried is not None else Counter()
    buyers: dict[int, Buyer] = {}
    serial = itertools.count()

    async def scenario(client: Client, client_id: int) -> str:
        buyer = buyers.setdefault(client_id, Buyer())
        if not buyer.csrf:
            page = await client.get(f"/events/{slug}/")
            if page.status_code != 200:
                return f"event_page_{page.status_code}"
            buyer.cookies.update(page.cookies())
        # Every order is a new buyer: a new session (so a new cart) from a new address, as in
        # a real rush; the CSRF cookie is kept to spare a page view per order.
        n = next(serial)
        buyer.cookies.pop("sessionid", None)
        forwarded = {"X-Forwarded-For": _buyer_address(n)}
        headers = {"Cookie": cookie_header(buyer.cookies), **forwarded}
        reserve = await client.post(
            "/orders/cart/",
            data={
                "csrfmiddlewaretoken": buyer.csrf,
                "session": str(session_id),
                f"qty_{ticket_type_id}": "1",
            },
            headers=headers,
        )
        buyer.cookies.update(reserve.cookies())
        if reserve.status_code != 302:
            return f"reserve_{reserve.status_code}"
        if "/orders/checkout/" not in reserve.headers.get("location", ""):
            return "stop"  # sent back to the event page: sold out
        checkout_form = {
            "csrfmiddlewaretoken": buyer.csrf,
            "surname": "Тестов",
            "name": "Покупатель",
            "phone": "+77011234567",
            "email": f"rush{client_id}-{n}@bench.kz",
            "consent_processing": "on",
            "idempotency_key": uuid.uuid4().hex,
        }
        checkout_headers = {"Cookie": cookie_header(buyer.cookies), **forwarded}
        for attempt in range(CHECKOUT_ATTEMPTS):
            # A dropped connection: the buyer presses "Pay" again; the same idempotency key
            # gets the order the first press may have made, never a second one.
            try:
                checkout = await client.post(
                    "/orders/checkout/", data=checkout_form, headers=checkout_headers
                )
                break
            except TransportError as exc:
                retried[type(exc).__name__] += 1
                if attempt == CHECKOUT_ATTEMPTS - 1:
                    raise
        match = ORDER_PATH.search(checkout.headers.get("location", ""))
        if checkout.status_code != 302 or not match:
            return "stop" if "распрод" in checkout.text else f"checkout_{checkout.status_code}"
        if price == 0:
            return "ok"
        body, pay_headers = pay_notification(match.group(1), price)
        paid = await client.post(
            "/orders/callbacks/cloudpayments/pay/", data=body, headers=pay_headers
        )
        return "ok" if paid.status_code == 200 and paid.json().get("code") == 0 else "pay_failed"

    return scenario


def buy_from(sale: OnSale, *, retried: Counter[str] | None = None):
    """``rush_scenario`` for the ticket type of ``sale``."""
    return rush_scenario(
        session_id=sale.session_id,
        ticket_type_id=sale.ticket_type_id,
        slug=sale.slug,
        price=sale.price,
        retried=retried,
    )


def verify(ticket_type_id: int, quantity: int) -> dict[str, int]:
    """Exactly M tickets sold, no order without tickets, no ticket counted twice."""
    dsn = database_url().replace("postgres://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        taken = conn.execute(
            "SELECT quantity_taken FROM events_tickettype WHERE id = %s", (ticket_type_id,)
        ).fetchone()[0]
        sold = conn.execute(
            "SELECT count(*) FROM tickets_orderitem i JOIN tickets_order o ON o.id = i.order_id "
            "WHERE i.ticket_type_id = %s AND o.status = 'paid'",
            (ticket_type_id,),
        ).fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM tickets_order o WHERE NOT EXISTS "
            "(SELECT 1 FROM tickets_orderitem i WHERE i.order_id = o.id)"
        ).fetchone()[0]
    return {
        "quantity": quantity,
        "taken": taken,
        "sold_paid": sold,
        "oversold": max(sold - quantity, 0),
        # taken but not sold: holds of buyers whose requests failed (released after 15 min)
        "held_unsold": max(taken - sold, 0),
        "orders_without_tickets": orphans,
    }


def run_rush(
    stack: Stack, sale: OnSale, *, clients: int, seconds: float, result: LoadResult | None = None
) -> dict:
    """``clients`` buyers against ``sale`` until it is sold out (or ``seconds`` pass).

    Server CPU per order counts gunicorn, the Celery worker and the database backends.
    """
    cpu_before = stack.cpu_seconds_by_part()
    retried: Counter[str] = Counter()
    result = run_load(
        stack.base_url,
        buy_from(sale, retried=retried),
        clients=clients,
        seconds=seconds,
        result=result,
    )
    cpu_used = {
        part: seconds - cpu_before.get(part, 0.0)
        for part, seconds in stack.cpu_seconds_by_part().items()
    }
    result.server_cpu_seconds = sum(cpu_used.values())
    return {
        "clients": clients,
        "kind": "free" if sale.price == 0 else "paid",
        **result.summary(),
        "checkouts_sent_again": dict(retried),
        "server_cpu_ms_per_order_by_part": {
            part: round(seconds * 1000 / (result.completed or 1), 2)
            for part, seconds in cpu_used.items()
        },
        "check": verify(sale.ticket_type_id, sale.quantity),
    }
