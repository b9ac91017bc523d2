"""An organizer blocks a seat while buyers grab it, on PostgreSQL: exactly one of them wins.

Each party is a thread with its own connection; a barrier starts them together. Blocking
claims the seat through the same unique (session, seat) row a hold inserts, so either the
block stands and no cart holds the seat, or one cart holds it and the block is refused.
"""

from collections import Counter

import pytest
from django.db import connection

from events.models import SessionSeatBlock, TicketType
from events.seating.layouts import LayoutError
from events.seating.services import session_seats_block
from tests.events.seatmap_factories import seat, seated_session
from tests.tickets.factories import new_token
from tests.tickets.race import race
from tickets.models import Reservation, SeatClaim
from tickets.seating.services import SeatUnavailable, seats_hold

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BUYERS = 11
ROUNDS = 4


def _race(session, seat_id: int, neighbour_id: int) -> tuple[list[str], list[Exception]]:
    """One block of ``seat_id`` against buyers of it (and one buyer of its neighbour)."""
    parties = ["block", "neighbour"] + [f"buyer{n}" for n in range(BUYERS)]

    def act(n: int) -> str:
        who = parties[n]
        if who == "block":
            session_seats_block(session=session, seat_ids=[seat_id], reason="guests")
        elif who == "neighbour":
            seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[neighbour_id])
        else:
            seats_hold(cart_token=new_token(), session_id=session.pk, seat_ids=[seat_id])
        return who

    wins, losses = race(len(parties), act)
    return wins, [exc for _n, exc in losses]


def test_a_block_racing_many_holds_of_the_same_seat_leaves_exactly_one_winner():
    assert connection.vendor == "postgresql"
    session, seat_map = seated_session(rows=3, seats_per_row=2 * ROUNDS)
    stalls = TicketType.objects.get(session=session, name_ru="Партер")
    winners = Counter()
    for n in range(ROUNDS):
        target, neighbour = seat(seat_map, 3, 2 * n + 1), seat(seat_map, 3, 2 * n + 2)
        wins, losses = _race(session, target.pk, neighbour.pk)

        assert "neighbour" in wins  # another seat of the same category is never in the way
        seat_winners = [w for w in wins if w != "neighbour"]
        assert len(seat_winners) == 1, (wins, losses)
        assert len(losses) == BUYERS
        assert all(isinstance(exc, SeatUnavailable | LayoutError) for exc in losses), Counter(
            type(exc).__name__ for exc in losses
        )
        claim = SeatClaim.objects.get(session=session, seat=target)
        blocked = SessionSeatBlock.objects.filter(session=session, seat=target).exists()
        if seat_winners == ["block"]:
            assert claim.blocked and blocked
            assert claim.reservation is None
            assert all(isinstance(exc, SeatUnavailable) for exc in losses)
            winners["block"] += 1
        else:
            assert not claim.blocked and not blocked
            assert claim.reservation is not None and claim.reservation.quantity == 1
            assert sum(isinstance(exc, LayoutError) for exc in losses) == 1
            block_refusal = next(exc for exc in losses if isinstance(exc, LayoutError))
            assert target.label in block_refusal.message
            winners["buyer"] += 1

    # The counters agree with the claims: each live hold is one taken ticket, each block one
    # seat fewer on sale.
    stalls.refresh_from_db()
    held = SeatClaim.objects.filter(session=session, blocked=False, seat__category__name="Партер")
    assert stalls.quantity_taken == held.count()
    assert stalls.quantity_taken == sum(
        Reservation.objects.filter(ticket_type=stalls).values_list("quantity", flat=True)
    )
    assert stalls.quantity == 2 * ROUNDS - winners["block"]
    assert SessionSeatBlock.objects.filter(session=session).count() == winners["block"]
