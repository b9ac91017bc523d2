"""Scanners at the same door at the same moment: one ticket is let in exactly once."""

import pytest
from django.db import connection

from tests.tickets.delivery_helpers import paid_order
from tests.tickets.race import race
from tickets.checkin.services import CheckInResult, checkin_scan
from tickets.models import CheckIn, OrderItem
from tickets.qr import qr_payload

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SCANNERS = 24


def test_same_ticket_at_many_scanners_is_valid_exactly_once():
    assert connection.vendor == "postgresql"
    order = paid_order(quantity=1)
    item = order.items.get()
    code = qr_payload(item)

    def scan(_n: int) -> str:
        return checkin_scan(organizer=order.event.organizer, event=order.event, code=code).result

    results, losses = race(SCANNERS, scan, timeout=60)
    errors = [exc for _n, exc in losses]

    assert not errors
    assert results.count(CheckInResult.VALID) == 1
    assert results.count(CheckInResult.USED) == SCANNERS - 1
    assert CheckIn.objects.filter(item=item).count() == 1
    assert OrderItem.objects.get(pk=item.pk).checked_in_at is not None
