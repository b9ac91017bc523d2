"""The organizer's blocks meet buyers' holds at the same seat claim row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import SessionSeatBlock, TicketType
from events.seating.layouts import LayoutError
from events.seating.services import session_seating_set, session_seats_block
from tests.events.seatmap_factories import seat, seated_session
from tests.tickets.factories import new_token
from tests.tickets.test_seating import _checkout, _pay
from tickets.models import Reservation, SeatClaim
from tickets.seating.services import SeatUnavailable, seats_hold

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return seated_session(rows=3, seats_per_row=5)


def test_blocking_claims_the_seat_so_a_hold_is_told_it_is_not_on_sale(hall):
    session, seat_map = hall
    a = seat(seat_map, 3, 2)
    assert session_seats_block(session=session, seat_ids=[a.pk], reason="guests") == 1
    claim = SeatClaim.objects.get()
    assert (claim.seat, claim.blocked, claim.reservation, claim.order_item) == (a, True, None, None)
    with pytest.raises(SeatUnavailable) as refused:
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk])
    assert "Партер, ряд 3, место 2" in str(refused.value.message)
    assert "не продаётся" in str(refused.value.message)
    assert SeatClaim.objects.get().blocked
    assert not Reservation.objects.exists()


def test_blocking_twice_keeps_one_claim_and_unblocking_puts_the_seat_back_on_sale(hall):
    session, seat_map = hall
    a = seat(seat_map, 3, 2)
    session_seats_block(session=session, seat_ids=[a.pk], reason="guests")
    assert session_seats_block(session=session, seat_ids=[a.pk], reason="technical") == 0
    assert SeatClaim.objects.count() == 1
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity == 4
    session_seats_block(session=session, seat_ids=[a.pk], reason="guests", block=False)
    assert not SeatClaim.objects.exists()
    assert not SessionSeatBlock.objects.exists()
    assert TicketType.objects.get(session=session, name_ru="Партер").quantity == 5
    token = new_token()
    assert seats_hold(cart_token=token, session_id=session.pk, seat_ids=[a.pk]) == [a.pk]
    assert SeatClaim.objects.get().reservation.cart.token == token


def test_a_held_seat_is_refused_with_its_label_and_when_the_hold_ends(hall):
    session, seat_map = hall
    held, free = seat(seat_map, 3, 1), seat(seat_map, 3, 5)
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[held.pk])
    until = timezone.localtime(Reservation.objects.get().expires_at).strftime("%H:%M")
    with pytest.raises(LayoutError) as refused:
        session_seats_block(session=session, seat_ids=[held.pk, free.pk], reason="guests")
    message = refused.value.message
    assert "Партер, ряд 3, место 1" in message
    assert "место 5" not in message
    assert "в корзине" in message and until in message
    assert not SessionSeatBlock.objects.exists()
    assert list(SeatClaim.objects.values_list("seat", "blocked")) == [(held.pk, False)]


def test_a_sold_seat_is_refused_and_its_ticket_keeps_it(hall):
    session, seat_map = hall
    sold = seat(seat_map, 1, 1)
    token = new_token()
    seats_hold(cart_token=token, session_id=session.pk, seat_ids=[sold.pk])
    order = _pay(_checkout(token))
    with pytest.raises(LayoutError) as refused:
        session_seats_block(session=session, seat_ids=[sold.pk], reason="guests")
    assert "продано" in refused.value.message
    assert "VIP" not in refused.value.message  # it names the seat, not the category
    assert "Партер, ряд 1, место 1" in refused.value.message
    claim = SeatClaim.objects.get()
    assert claim.order_item == order.items.get() and not claim.blocked
    assert not SessionSeatBlock.objects.exists()


def test_an_expired_hold_does_not_stop_a_block(hall):
    session, seat_map = hall
    a = seat(seat_map, 2, 3)
    seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk])
    Reservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert session_seats_block(session=session, seat_ids=[a.pk], reason="technical") == 1
    assert SeatClaim.objects.get().blocked
    assert Reservation.objects.get().released_at is not None
    assert TicketType.objects.get(session=session, name_ru="VIP").quantity_taken == 0


def test_a_buyer_cannot_clear_a_block_as_a_dead_hold(hall):
    """Holding a neighbour clears dead claims of the chosen seats only, never a block."""
    session, seat_map = hall
    a, b = seat(seat_map, 3, 3), seat(seat_map, 3, 4)
    session_seats_block(session=session, seat_ids=[a.pk], reason="guests")
    with pytest.raises(SeatUnavailable):
        seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[a.pk, b.pk])
    assert list(SeatClaim.objects.values_list("seat", "blocked")) == [(a.pk, True)]


def test_changing_the_map_drops_the_blocks_of_the_old_one(hall):
    session, seat_map = hall
    session_seats_block(session=session, seat_ids=[seat(seat_map, 3, 3).pk], reason="guests")
    _other_session, other_map = seated_session(rows=2, seats_per_row=4)
    session_seating_set(session=session, seat_map=other_map, prices={})
    assert not SeatClaim.objects.filter(session=session).exists()
    assert not SessionSeatBlock.objects.filter(session=session).exists()


def test_a_duplicated_event_blocks_the_same_seats_through_claims(hall):
    from events import services

    session, seat_map = hall
    guest = seat(seat_map, 3, 1)
    session_seats_block(session=session, seat_ids=[guest.pk], reason="guests")
    copy = services.event_duplicate(event=session.event).sessions.get()
    claim = SeatClaim.objects.get(session=copy)
    assert claim.seat == guest and claim.blocked
    with pytest.raises(SeatUnavailable):
        seats_hold(cart_token=new_token(), session_id=copy.pk, seat_ids=[guest.pk])
