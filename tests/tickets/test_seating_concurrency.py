"""Fifty buyers at once for the same ten seats, on PostgreSQL: no seat is ever sold twice.

Each buyer is a thread with its own connection; a barrier starts them together. Every buyer
wants two neighbouring seats of the same ten, holds them, checks out and pays.
"""

from collections import Counter

import pytest
from django.db import connection

from events.models import TicketType
from tests.events.seatmap_factories import seated_session
from tests.tickets.factories import new_token
from tests.tickets.race import race
from tickets.models import Order, OrderItem, SeatClaim
from tickets.payments.services import payment_complete, payment_start
from tickets.seating.services import SeatUnavailable, seats_hold
from tickets.services.order_creation import BuyerDetails, ConsentInput, order_create
from tickets.services.order_states import Actor

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BUYERS = 50


def _buy(session_id: int, seat_ids: list[int], n: int) -> Order:
    token = new_token()
    seats_hold(cart_token=token, session_id=session_id, seat_ids=seat_ids)
    order = order_create(
        cart_token=token,
        idempotency_key=new_token(),
        buyer=BuyerDetails(
            surname="Покупатель", name=str(n), phone="+77011234567", email=f"b{n}@example.kz"
        ),
        consent=ConsentInput(processing_wording="Согласен"),
    )
    payment = payment_start(order_id=order.pk, provider_name="test")
    payment_complete(payment_id=payment.pk, succeeded=True, actor=Actor(label="test"))
    return order


def test_fifty_buyers_for_ten_seats_each_seat_ends_in_at_most_one_paid_order():
    assert connection.vendor == "postgresql"
    session, seat_map = seated_session(rows=3, seats_per_row=10)
    ten = list(seat_map.seats.filter(row="3").order_by("x").values_list("pk", "label"))
    labels = dict(ten)
    ids = [pk for pk, _label in ten]
    wanted = {n: [ids[n % 9], ids[n % 9 + 1]] for n in range(BUYERS)}
    wins, losses = race(BUYERS, lambda n: _buy(session.pk, wanted[n], n))

    assert wins, "somebody must get seats"
    assert len(wins) + len(losses) == BUYERS
    assert all(isinstance(exc, SeatUnavailable) for _n, exc in losses), Counter(
        type(exc).__name__ for _n, exc in losses
    )
    for n, exc in losses:  # a clear message naming a seat the loser wanted
        message = str(exc.message)
        assert "уже занят" in message
        assert any(labels[pk] in message for pk in wanted[n]), message

    sold = list(
        OrderItem.objects.filter(
            order__status=Order.Status.PAID, status=OrderItem.Status.VALID
        ).values_list("seat_id", flat=True)
    )
    assert len(sold) == len(set(sold)) == 2 * len(wins)
    assert set(sold) <= set(ids)
    assert Order.objects.filter(status=Order.Status.PAID).count() == len(wins)
    assert SeatClaim.objects.filter(order_item__isnull=False).count() == len(sold)
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity_taken == len(sold)
