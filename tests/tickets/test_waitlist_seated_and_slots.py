"""The waiting list for a sold-out seat category (the offer holds the best free seat of the
category) and for a service's slot whose places its ticket types share."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import CapacityPool, TicketType
from tests.events.schedules.test_capacity import _slot_types
from tests.events.seatmap_factories import seat, seated_session
from tests.tickets.factories import new_token
from tests.tickets.flows import place_order
from tests.tickets.test_seating import _checkout, _paid_seats, _pay
from tickets.errors import TicketsError
from tickets.models import SeatClaim, WaitlistEntry
from tickets.seating.selectors import seat_availability
from tickets.seating.services import SeatUnavailable, seats_hold
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor
from tickets.waitlist.services import (
    waitlist_join,
    waitlist_offer_expire,
    waitlist_offer_take,
)

pytestmark = pytest.mark.django_db

S = WaitlistEntry.Status


def _join(ticket_type, email="wait@example.kz") -> WaitlistEntry:
    return waitlist_join(ticket_type_id=ticket_type.pk, email=email, consent_wording="Согласен")


@pytest.fixture
def hall():
    """Two rows of three VIP seats (rows 1–2) and a row of stalls, every VIP seat sold."""
    session, seat_map = seated_session(rows=3, seats_per_row=3)
    orders = [_paid_seats(session, seat_map, (row, n)) for row in (1, 2) for n in (1, 2, 3)]
    vip = TicketType.objects.get(session=session, name_ru="VIP")
    assert vip.quantity_available == 0
    return session, seat_map, vip, orders


def test_a_sold_out_category_offers_the_waiting_list_on_the_seat_map(client, hall):
    session, _map, vip, _orders = hall
    html = client.get(session.event.get_absolute_url()).content.decode()
    assert reverse("tickets:waitlist_join", args=[vip.pk]) in html
    stalls = TicketType.objects.get(session=session, name_ru="Партер")
    assert reverse("tickets:waitlist_join", args=[stalls.pk]) not in html
    with pytest.raises(TicketsError, match="на схеме"):
        _join(stalls)  # seats of it are free: choose one on the map


def test_a_returned_seat_is_held_for_the_offer_and_taken_into_the_checkout(hall):
    session, seat_map, vip, orders = hall
    entry = _join(vip)
    returned = orders[1]  # row 1, seat 2: the middle of the front row
    order_refund(order_id=returned.pk, actor=Actor(label="organizer"))
    entry.refresh_from_db()
    assert entry.status == S.OFFERED
    claim = SeatClaim.objects.get(waitlist_entry=entry)
    assert claim.seat == seat(seat_map, 1, 2) and claim.ticket_type_id == vip.pk
    # on the map the seat is held, and no other buyer can take it
    assert claim.seat_id in seat_availability(session_id=session.pk, cart_token=None).held
    with pytest.raises(SeatUnavailable):
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[claim.seat_id])

    token = new_token()
    waitlist_offer_take(token=entry.offer_token, cart_token=token)
    order = _pay(_checkout(token))
    (item,) = order.items.all()
    assert item.seat == seat(seat_map, 1, 2) and item.ticket_type_id == vip.pk
    assert not SeatClaim.objects.filter(waitlist_entry__isnull=False).exists()


def test_an_unused_seated_offer_frees_its_seat_for_the_next_in_line(hall):
    _session, seat_map, vip, orders = hall
    first, second = _join(vip, "first@example.kz"), _join(vip, "second@example.kz")
    order_refund(order_id=orders[0].pk, actor=Actor(label="organizer"))
    first.refresh_from_db()
    assert first.status == S.OFFERED
    later = timezone.now() + timedelta(hours=3)
    assert waitlist_offer_expire(entry_id=first.pk, now=later)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.EXPIRED, S.OFFERED)
    assert SeatClaim.objects.get(waitlist_entry=second).seat == seat(seat_map, 1, 1)
    assert not SeatClaim.objects.filter(waitlist_entry=first).exists()


def test_a_full_slot_takes_a_waiting_list_and_a_place_given_back_is_offered_across_types(
    client, settings
):
    types, slot = _slot_types(settings, capacity=2)
    adult, child = types["Adult"], types["Child"]
    orders = [place_order({adult: 1}, email=f"a{n}@example.kz") for n in (1, 2)]
    assert CapacityPool.objects.get(session=slot, kind="slot").available == 0
    assert TicketType.objects.get(pk=child.pk).quantity_available > 0  # its own counter is not
    entry = _join(child)  # the slot is full: the child ticket may wait
    event = slot.event
    day = timezone.localtime(slot.starts_at).date().isoformat()
    page = client.get(f"{event.get_absolute_url()}?day={day}&slot={slot.pk}").content.decode()
    assert reverse("tickets:waitlist_join", args=[child.pk]) in page

    from tickets.services.order_lifecycle import order_cancel

    order_cancel(order_id=orders[0].pk, actor=Actor(label="buyer"))  # an adult place comes back
    entry.refresh_from_db()
    assert entry.status == S.OFFERED
    assert CapacityPool.objects.get(session=slot, kind="slot").available == 0  # held for it


def test_a_full_slots_tickets_read_sold_out_and_cannot_be_chosen(client, settings):
    types, slot = _slot_types(settings, capacity=1)
    place_order({types["Adult"]: 1})
    day = timezone.localtime(slot.starts_at).date().isoformat()
    page = client.get(f"{slot.event.get_absolute_url()}?day={day}&slot={slot.pk}").content.decode()
    table = page.split('class="ticket-choice"')[1].split("</table>")[0]
    assert "Есть в наличии" not in table and table.count("Распродано") == 3
    assert table.count(" disabled>") == 3
