"""Offers and ordinary buyers racing for returned tickets on PostgreSQL: never more tickets
held, offered or sold than there are."""

import pytest
from django.db import connection

from events.models import TicketType
from tests.factories import TicketTypeFactory
from tests.tickets.factories import new_token
from tests.tickets.race import race
from tickets.errors import SoldOut
from tickets.models import Reservation, WaitlistEntry
from tickets.services.cart import cart_set_quantities
from tickets.waitlist.services import waitlist_offer_next

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

RACERS = 40


def test_offers_and_buyers_never_oversell():
    assert connection.vendor == "postgresql"
    tt = TicketTypeFactory(quantity=100, quantity_taken=95)  # 5 come back
    for n in range(20):
        WaitlistEntry.objects.create(ticket_type=tt, email=f"w{n}@example.kz")

    def attempt(n: int) -> object:
        if n % 2:
            return waitlist_offer_next(ticket_type_id=tt.pk)
        return cart_set_quantities(cart_token=new_token(), quantities={tt.pk: 1})

    _wins, losses = race(RACERS, attempt)

    assert all(isinstance(exc, SoldOut) for _n, exc in losses), losses
    offered = WaitlistEntry.objects.filter(ticket_type=tt, status="offered").count()
    held = Reservation.objects.filter(
        ticket_type=tt, released_at__isnull=True, order__isnull=True
    ).count()
    assert offered + held == 5
    assert TicketType.objects.get(pk=tt.pk).quantity_taken == 100
    assert len(set(WaitlistEntry.objects.filter(status="offered").values_list("email"))) == offered
