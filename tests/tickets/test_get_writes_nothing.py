"""A GET never writes: the cart and checkout pages only read, even with expired holds.

Expired holds go back on sale at the next write (a purchase of the same ticket type, the
checkout itself) and from the periodic task, never from a page view.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import TicketType
from tests.factories import TicketTypeFactory
from tests.queries import writes
from tests.tickets.helpers import choose
from tickets.models import Reservation

pytestmark = pytest.mark.django_db

HOST = "https://tickets.partner.kz"


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, writes(queries)


def test_the_checkout_page_reads_the_cart_without_writing(client):
    stalls = TicketTypeFactory(quantity=10, name_ru="Партер")
    balcony = TicketTypeFactory(session=stalls.session, quantity=10, name_ru="Балкон")
    assert choose(client, stalls.session, {stalls: 2, balcony: 1}).status_code == 302
    Reservation.objects.filter(ticket_type=balcony).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    page, written = _get(client, reverse("tickets:checkout"))
    assert page.status_code == 200
    assert written == []
    lines = page.context["cart"].quote.lines
    assert [line.ticket_type.pk for line in lines] == [stalls.pk]  # the expired hold is not shown
    expired = Reservation.objects.get(ticket_type=balcony)
    assert expired.released_at is None  # ... and not released by the page
    assert TicketType.objects.get(pk=balcony.pk).quantity_taken == 1


def test_a_fully_expired_cart_says_so_without_writing(client):
    tickets = TicketTypeFactory(quantity=10)
    choose(client, tickets.session, {tickets: 2})
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page, written = _get(client, reverse("tickets:checkout"))
    assert written == []
    assert page.status_code == 302
    assert page["Location"] == tickets.session.event.get_absolute_url()
    assert Reservation.objects.get().released_at is None
    # The next purchase of the type (a write) gives the expired tickets back first.
    other = Client()
    assert choose(other, tickets.session, {tickets: 9}).status_code == 302
    assert Reservation.objects.get(quantity=2).released_at is not None
    assert TicketType.objects.get(pk=tickets.pk).quantity_taken == 9


def test_the_widget_checkout_page_writes_nothing():
    ticket_type = TicketTypeFactory(quantity=10)
    organizer = ticket_type.session.event.organizer
    organizer.widget_origins = HOST
    organizer.save()
    start = Client().get(
        reverse("widget:start"), {"event": ticket_type.session.event.slug, "origin": HOST}
    )
    event_url = start["Location"]
    token = event_url.split("w=", 1)[1]
    response = Client().post(
        event_url, {"w": token, "session": ticket_type.session_id, f"qty_{ticket_type.pk}": 2}
    )
    checkout_url = response["Location"]
    page, written = _get(Client(), checkout_url)
    assert page.status_code == 200
    assert written == []
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page, written = _get(Client(), checkout_url)
    assert page.status_code == 409  # the hold expired: said so, and nothing is written
    assert written == []
    assert Reservation.objects.get().released_at is None
