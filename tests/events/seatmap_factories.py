"""Seated sessions for tests: a hall made by the generators and priced per category."""

from decimal import Decimal

from events.models import Seat, SeatMap, Session
from events.seating.layouts import Layout, generate_block
from events.seating.services import seat_map_create, session_seating_set
from tests.factories import SessionFactory


def seated_session(
    *, rows: int = 5, seats_per_row: int = 10, session: Session | None = None, **session_kwargs
) -> tuple[Session, SeatMap]:
    """A session sold by a hall of two categories: the first two rows VIP, the rest stalls."""
    session = session or SessionFactory(**session_kwargs)
    event = session.event
    seats = generate_block(
        section="Партер", category="VIP", rows=min(2, rows), seats_per_row=seats_per_row
    ) + generate_block(
        section="Партер",
        category="Партер",
        rows=max(rows - 2, 0),
        seats_per_row=seats_per_row,
        first_row=3,
        origin_y=2 * 34,
    )
    seat_map = seat_map_create(
        organizer=event.organizer, venue=event.venue, name="Большой зал", layout=Layout(seats=seats)
    )
    prices = {}
    for category in seat_map.categories.all():
        prices[category.pk] = Decimal("20000") if category.name == "VIP" else Decimal("8000")
    session_seating_set(session=session, seat_map=seat_map, prices=prices)
    return session, seat_map


def seat(seat_map: SeatMap, row: int | str, number: int | str) -> Seat:
    return Seat.objects.get(seat_map=seat_map, row=str(row), number=str(number))
