"""The sales path's concurrency guarantee on each provider's notification path: the same
"paid" notification arriving many times at once (providers retry; proxies duplicate) pays the
order exactly once, against PostgreSQL with one connection per request."""

import base64
import hashlib
import hmac
import json
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import TicketTypeFactory
from tests.tickets.fake_providers import FakeFreedomPay, FakeHalyk
from tests.tickets.flows import place_order
from tests.tickets.race import race
from tickets.models import Order, OrderLog, Payment
from tickets.payments.services import payment_start

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DELIVERIES = 20
PAYLOADS = Path(__file__).parent / "payloads"


def _order():
    ticket_type = TicketTypeFactory(price=Decimal("5000"), quantity=10)
    order = place_order({ticket_type: 2})
    return order, ticket_type


def _assert_paid_once(order, ticket_type, statuses):
    assert connection.vendor == "postgresql"
    assert set(statuses) == {200}, statuses
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).count() == 1
    assert OrderLog.objects.filter(order=order, to_status=Order.Status.PAID).count() == 1
    ticket_type.refresh_from_db()
    assert ticket_type.quantity_taken == 2


def _storm(url: str, body: bytes, content_type: str, **headers) -> list[int]:
    wins, losses = race(
        DELIVERIES,
        lambda n: Client().post(url, data=body, content_type=content_type, **headers).status_code,
    )
    assert not losses, losses
    return wins


def test_cloudpayments_pay_notifications_at_once_pay_once(settings):
    settings.CLOUDPAYMENTS_API_SECRET = "secret-c"
    order, ticket_type = _order()
    Order.objects.filter(pk=order.pk).update(code="K7QX2M9A", total=Decimal("10000.00"))
    body = (PAYLOADS / "pay.txt").read_bytes()
    sign = base64.b64encode(hmac.new(b"secret-c", body, hashlib.sha256).digest()).decode()
    url = reverse("tickets:payment_notification", args=["cloudpayments", "pay"])
    statuses = _storm(url, body, "application/x-www-form-urlencoded", HTTP_CONTENT_HMAC=sign)
    _assert_paid_once(order, ticket_type, statuses)


def test_halyk_post_links_at_once_pay_once(settings):
    fake = FakeHalyk()
    with fake.running() as base:
        settings.TICKETS_PAYMENT_PROVIDERS = ["halyk"]
        settings.HALYK_EPAY_CLIENT_ID = FakeHalyk.CLIENT_ID
        settings.HALYK_EPAY_CLIENT_SECRET = FakeHalyk.CLIENT_SECRET
        settings.HALYK_EPAY_TERMINAL_ID = FakeHalyk.TERMINAL
        settings.HALYK_EPAY_OAUTH_URL = f"{base}/oauth2/token"
        settings.HALYK_EPAY_API_URL = base
        order, ticket_type = _order()
        payment = payment_start(order_id=order.pk, provider_name="halyk")
        body = json.dumps(fake.buyer_pays(payment.provider_reference)).encode()
        url = reverse("tickets:payment_notification", args=["halyk", "post"])
        statuses = _storm(url, body, "application/json")
    _assert_paid_once(order, ticket_type, statuses)


def test_freedompay_results_at_once_pay_once(settings):
    fake = FakeFreedomPay()
    with fake.running() as base:
        settings.TICKETS_PAYMENT_PROVIDERS = ["freedompay"]
        settings.FREEDOMPAY_MERCHANT_ID = FakeFreedomPay.MERCHANT_ID
        settings.FREEDOMPAY_SECRET_KEY = FakeFreedomPay.SECRET
        settings.FREEDOMPAY_API_URL = base
        order, ticket_type = _order()
        payment_start(order_id=order.pk, provider_name="freedompay")
        fields = fake.result_notification("1000000001", script="result")
        url = reverse("tickets:payment_notification", args=["freedompay", "result"])
        statuses = _storm(url, urlencode(fields).encode(), "application/x-www-form-urlencoded")
    _assert_paid_once(order, ticket_type, statuses)
