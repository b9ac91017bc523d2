"""Held tickets of an order waiting for a bank transfer are never sold twice: buyers rushing
for the last tickets, the accountant's double click, the statement import and the deadline's
expiry all at once, against PostgreSQL with one connection per caller."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from events.models import TicketType
from tests.tickets.banktransfer_helpers import (
    company_order,
    document,
    statement,
    transfer_ticket_type,
)
from tests.tickets.factories import new_token
from tests.tickets.race import race
from tickets.banktransfer.errors import BankTransferError, BankTransferNotWaiting
from tickets.banktransfer.imports import statement_import
from tickets.banktransfer.models import BankTransfer, BankTransferPayment
from tickets.banktransfer.services import (
    bank_transfer_mark_paid,
    bank_transfers_tick,
    start_bank_transfer,
)
from tickets.errors import SoldOut
from tickets.models import Order, OrderItem, Payment, Reservation
from tickets.services.cart import cart_set_quantities

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BUYERS = 30


def _held_by_others(ticket_type) -> int:
    live = Reservation.objects.filter(
        released_at__isnull=True, order__isnull=True, expires_at__gt=timezone.now()
    )
    return live.filter(ticket_type=ticket_type).aggregate(n=Sum("quantity"))["n"] or 0


def _sold_to_orders(ticket_type) -> int:
    return OrderItem.objects.filter(
        ticket_type=ticket_type,
        status=OrderItem.Status.VALID,
        order__status__in=[Order.Status.PENDING, Order.Status.PAID],
    ).count()


def _waiting(quantity: int, held: int):
    ticket_type = transfer_ticket_type(price="10000", quantity=quantity)
    order = company_order(ticket_type, count=held)
    start_bank_transfer(order)
    return ticket_type, Order.objects.get(pk=order.pk)


def test_buyers_get_only_the_tickets_not_held_while_the_order_is_paid_once():
    assert connection.vendor == "postgresql"
    ticket_type, order = _waiting(quantity=5, held=3)
    raw = statement(document(number="154", amount="30000.00", purpose=f"Заказ {order.code}"))

    def attempt(n: int) -> str:
        if n % 10 == 0:
            bank_transfer_mark_paid(
                order_id=order.pk, paid_on=date(2026, 12, 8), document_number="154", user=None
            )
            return "paid"
        if n % 10 == 1:
            statement_import(organizer=order.event.organizer, file_name="s.txt", raw=raw, user=None)
            return "imported"
        cart_set_quantities(cart_token=new_token(), quantities={ticket_type.pk: 1})
        return "held"

    wins, losses = race(BUYERS, attempt)
    outcomes = Counter(wins)
    assert outcomes["held"] == 2, outcomes
    assert all(isinstance(exc, (SoldOut, BankTransferNotWaiting)) for _n, exc in losses), losses
    assert outcomes["imported"] == BUYERS // 10
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).count() == 1
    assert BankTransferPayment.objects.filter(order=order).count() == 1
    ticket_type = TicketType.objects.get(pk=ticket_type.pk)
    assert ticket_type.quantity_taken == 5
    assert _sold_to_orders(ticket_type) == 3
    assert _held_by_others(ticket_type) == 2


def test_expiry_racing_the_payment_and_buyers_never_oversells():
    ticket_type, order = _waiting(quantity=4, held=4)
    past = timezone.now() - timedelta(minutes=1)
    Order.objects.filter(pk=order.pk).update(payment_due_at=past)
    BankTransfer.objects.filter(order=order).update(deadline=past)

    def attempt(n: int) -> str:
        if n % 10 == 0:
            bank_transfers_tick()
            return "tick"
        if n % 10 == 1:
            bank_transfer_mark_paid(
                order_id=order.pk, paid_on=date(2026, 12, 8), document_number="154", user=None
            )
            return "paid"
        cart_set_quantities(cart_token=new_token(), quantities={ticket_type.pk: 1})
        return "held"

    wins, losses = race(BUYERS, attempt)
    refused = (SoldOut, BankTransferError, BankTransferNotWaiting)
    odd = [exc for _n, exc in losses if not isinstance(exc, refused)]
    assert not odd, [(type(e), e) for e in odd]
    order.refresh_from_db()
    ticket_type = TicketType.objects.get(pk=ticket_type.pk)
    holders = _sold_to_orders(ticket_type) + _held_by_others(ticket_type)
    assert ticket_type.quantity_taken == holders <= 4
    if order.status == Order.Status.PAID:
        # paid (in time, or late with its tickets still free): nobody else got them
        assert Counter(wins)["held"] == 0 and _sold_to_orders(ticket_type) == 4
        assert Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).count() == 1
    else:
        assert order.status == Order.Status.EXPIRED
        assert not Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED).exists()
        assert Counter(wins)["held"] == _held_by_others(ticket_type) <= 4
