"""A late payment through the built-in test provider: the buyer is told the truth."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import TicketType
from tests.factories import TicketTypeFactory
from tests.tickets.flows import place_order
from tickets.models import Order, Payment, Refund
from tickets.payments.services import payment_start
from tickets.services.order_lifecycle import order_expire

pytestmark = pytest.mark.django_db


def _expire(order) -> None:
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(seconds=1))
    assert order_expire(order_id=order.pk)


def test_approving_after_expiry_when_sold_out_refunds_and_says_so(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    ticket_type = TicketTypeFactory(price=Decimal("4000"), quantity=1)
    order = place_order({ticket_type: 1}, email="late@example.kz")
    payment = payment_start(order_id=order.pk, provider_name="test")
    _expire(order)
    place_order({ticket_type: 1}, email="quicker@example.kz")
    url = reverse("tickets:test_payment", args=[payment.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve"}, follow=True)
    assert "Деньги возвращаются на вашу карту" in response.content.decode()
    assert "Ваш заказ оплачен" not in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    refund = Refund.objects.get(order=order)
    assert refund.amount == Decimal("4000.00")
    assert refund.provider_refund_id.startswith("test-refund-")
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 1
    assert [m.to for m in mailoutbox] == [["late@example.kz"]]
    assert "возвращён" in mailoutbox[0].subject
    status = "Статус заказа: Оплачен слишком поздно, деньги возвращены."
    assert status in mailoutbox[0].body
    assert (
        "<strong>Оплачен слишком поздно, деньги возвращены</strong>"
        in (mailoutbox[0].alternatives[0][0])
    )
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'data-status="late_refunded"' in page and "Не оплачен вовремя" not in page


def test_approving_after_expiry_with_tickets_free_pays_the_order(client):
    ticket_type = TicketTypeFactory(price=Decimal("4000"), quantity=1)
    order = place_order({ticket_type: 1})
    payment = payment_start(order_id=order.pk, provider_name="test")
    _expire(order)
    url = reverse("tickets:test_payment", args=[payment.public_id])
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "Ваш заказ оплачен" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert not Refund.objects.exists()
    assert TicketType.objects.get(pk=ticket_type.pk).quantity_taken == 1
