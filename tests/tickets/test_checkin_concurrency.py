"""Scanners at the same door at the same moment: one ticket is let in exactly once."""

import threading

import pytest
from django.db import connection

from tests.tickets.delivery_helpers import paid_order
from tickets.models import CheckIn, OrderItem
from tickets.services.checkin import CheckInResult, checkin_scan, qr_payload

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SCANNERS = 24


def test_same_ticket_at_many_scanners_is_valid_exactly_once():
    assert connection.vendor == "postgresql"
    order = paid_order(quantity=1)
    item = order.items.get()
    code = qr_payload(item)
    barrier = threading.Barrier(SCANNERS)
    results: list[str] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def scan() -> None:
        try:
            barrier.wait()
            answer = checkin_scan(organizer=order.event.organizer, event=order.event, code=code)
            with lock:
                results.append(answer.result)
        except Exception as exc:  # asserted below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _n in range(SCANNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert results.count(CheckInResult.VALID) == 1
    assert results.count(CheckInResult.USED) == SCANNERS - 1
    assert CheckIn.objects.filter(item=item).count() == 1
    assert OrderItem.objects.get(pk=item.pk).checked_in_at is not None
