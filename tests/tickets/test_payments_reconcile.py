"""Reconciliation: payments stuck in "created" are settled by asking their provider, so a lost
notification never leaves a paid buyer without tickets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketTypeFactory
from tests.tickets.fake_providers import FakeHalyk
from tests.tickets.flows import place_order
from tickets.models import Order, Payment, PaymentNotification
from tickets.payments.tasks import payments_reconcile_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def halyk(settings):
    fake = FakeHalyk()
    with fake.running() as base:
        settings.TICKETS_PAYMENT_PROVIDERS = ["halyk"]
        settings.HALYK_EPAY_CLIENT_ID = FakeHalyk.CLIENT_ID
        settings.HALYK_EPAY_CLIENT_SECRET = FakeHalyk.CLIENT_SECRET
        settings.HALYK_EPAY_TERMINAL_ID = FakeHalyk.TERMINAL
        settings.HALYK_EPAY_OAUTH_URL = f"{base}/oauth2/token"
        settings.HALYK_EPAY_API_URL = base
        yield fake


def _started(client, minutes_ago: int) -> Payment:
    order = place_order({TicketTypeFactory(price=Decimal("5000"), quantity=10): 2})
    client.post(
        reverse("tickets:order_pay", args=[order.code]), {"provider": "halyk", "s": order.secret}
    )
    payment = Payment.objects.get(order=order)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    payment.refresh_from_db()
    return payment


def test_a_paid_payment_whose_notification_was_lost_is_settled(client, halyk):
    payment = _started(client, minutes_ago=20)
    halyk.buyer_pays(payment.provider_reference)  # ... and the postLink never arrives
    assert payments_reconcile_task() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.order.status == Order.Status.PAID
    note = PaymentNotification.objects.get()
    assert (note.kind, note.order, note.outcome) == ("status", payment.order, "status: paid")
    assert payments_reconcile_task() == 0  # nothing left to ask about


def test_a_declined_payment_is_recorded_failed(client, halyk):
    payment = _started(client, minutes_ago=20)
    halyk.buyer_pays(payment.provider_reference, status="REJECT")
    assert payments_reconcile_task() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED


def test_a_fresh_payment_is_left_to_its_notification(client, halyk):
    payment = _started(client, minutes_ago=2)
    halyk.buyer_pays(payment.provider_reference)
    asked = len(halyk.requests)
    assert payments_reconcile_task() == 0
    assert len(halyk.requests) == asked
    assert Payment.objects.get().status == Payment.Status.CREATED


def test_a_payment_never_made_is_failed_after_a_day_only(client, halyk):
    recent = _started(client, minutes_ago=60)
    old = _started(client, minutes_ago=25 * 60)
    assert payments_reconcile_task() == 1
    recent.refresh_from_db()
    old.refresh_from_db()
    assert (recent.status, old.status) == (Payment.Status.CREATED, Payment.Status.FAILED)


def test_a_provider_that_does_not_answer_is_asked_again_later(client, halyk, settings):
    payment = _started(client, minutes_ago=20)
    settings.HALYK_EPAY_OAUTH_URL = "http://127.0.0.1:9/oauth2/token"  # nothing listens
    assert payments_reconcile_task() == 0
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CREATED
