"""Reads of reserved seating: the plan of a session, who has which seat, and best seats.

Each function makes a fixed number of queries whatever the size of the hall.
"""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.db.models import Q
from django.utils import timezone

from events.models import SeatCategory, SessionSeatBlock, SessionSeating, SessionSeatPrice
from events.seating.svg import SeatDot
from tickets.models import Cart, SeatClaim


@dataclass
class CategoryOffer:
    category: SeatCategory
    ticket_type_id: int | None
    price: object
    name: str
    sold_out: bool = False  # every seat of the category held or sold: the waiting list is open


@dataclass
class SessionPlan:
    seating: SessionSeating
    seats: list[SeatDot]
    offers: list[CategoryOffer]
    colors: dict[int, str] = field(default_factory=dict)


def seated_session_ids(*, event_id: int) -> set[int]:
    """The event's sessions sold by seats (one query)."""
    return set(
        SessionSeating.objects.filter(session__event_id=event_id).values_list(
            "session_id", flat=True
        )
    )


def session_plan(*, session_id: int) -> SessionPlan | None:
    """The seat map of a seated session with its categories and prices (4 queries)."""
    seating = (
        SessionSeating.objects.select_related("seat_map").filter(session_id=session_id).first()
    )
    if seating is None:
        return None
    categories = list(SeatCategory.objects.filter(seat_map_id=seating.seat_map_id))
    prices = {
        p.category_id: p.ticket_type
        for p in SessionSeatPrice.objects.filter(session_id=session_id).select_related(
            "ticket_type"
        )
    }
    offers = [
        CategoryOffer(
            category=c,
            ticket_type_id=prices[c.pk].pk if c.pk in prices else None,
            price=prices[c.pk].price if c.pk in prices else None,
            name=prices[c.pk].name if c.pk in prices else c.name,
            sold_out=c.pk in prices and prices[c.pk].quantity_available == 0,
        )
        for c in categories
    ]
    seats = [
        SeatDot(*row)
        for row in seating.seat_map.seats.order_by("y", "x", "id").values_list(
            "pk", "x", "y", "label", "section", "row", "category_id"
        )
    ]
    return SessionPlan(
        seating=seating, seats=seats, offers=offers, colors={c.pk: c.color for c in categories}
    )


@dataclass
class Availability:
    taken: list[int]
    held: list[int]
    blocked: list[int]
    mine: list[int]
    expires_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        left = (
            max(int((self.expires_at - timezone.now()).total_seconds()), 0)
            if self.expires_at
            else None
        )
        return {
            "taken": self.taken,
            "held": self.held,
            "blocked": self.blocked,
            "mine": self.mine,
            "seconds_left": left,
        }


def seat_availability(*, session_id: int, cart_token: str | None) -> Availability:
    """Every seat not free in the session, and which of them the visitor's cart holds."""
    now = timezone.now()
    cart_id = (
        Cart.objects.filter(token=cart_token).values_list("pk", flat=True).first()
        if cart_token
        else None
    )
    live = (
        Q(order_item__isnull=False)
        | Q(
            reservation__released_at__isnull=True,
            reservation__order__isnull=True,
            reservation__expires_at__gt=now,
        )
        | Q(waitlist_entry__isnull=False)  # held for a waiting-list offer
    )
    taken: list[int] = []
    held: list[int] = []
    mine: list[int] = []
    expires_at = None
    rows = SeatClaim.objects.filter(live, session_id=session_id).values_list(
        "seat_id", "order_item_id", "reservation__cart_id", "reservation__expires_at"
    )
    for seat_id, item_id, claim_cart_id, hold_until in rows:
        if item_id is not None:
            taken.append(seat_id)
        elif cart_id is not None and claim_cart_id == cart_id:
            mine.append(seat_id)
            expires_at = min(expires_at or hold_until, hold_until)
        else:
            held.append(seat_id)
    blocked = list(
        SessionSeatBlock.objects.filter(session_id=session_id).values_list("seat_id", flat=True)
    )
    return Availability(
        taken=sorted(taken),
        held=sorted(held),
        blocked=sorted(blocked),
        mine=sorted(mine),
        expires_at=expires_at,
    )


def best_available(
    *, plan: SessionPlan, availability: Availability, count: int, category_id: int | None = None
) -> list[int]:
    """``count`` free seats side by side in one row, nearest the stage and the middle.

    Neighbours are seats of one row in x order with no wider gap than the row's usual step;
    an empty list means no row has that many free seats together.
    """
    unavailable = set(availability.taken) | set(availability.held) | set(availability.blocked)
    unavailable |= set(availability.mine)
    on_sale = {o.category.pk for o in plan.offers if o.ticket_type_id is not None}
    rows: dict[tuple[str, str], list[SeatDot]] = {}
    for seat in plan.seats:
        rows.setdefault((seat.section, seat.row), []).append(seat)
    if not plan.seats or count < 1:
        return []
    middle = (min(s.x for s in plan.seats) + max(s.x for s in plan.seats)) / 2
    front = min(s.y for s in plan.seats)
    best: tuple[float, list[int]] | None = None
    for row_seats in rows.values():
        row_seats.sort(key=lambda s: s.x)
        gaps = [b.x - a.x for a, b in pairwise(row_seats)]
        step = min(gaps) if gaps else 0
        run: list[SeatDot] = []
        for seat in row_seats:
            free = (
                seat.pk not in unavailable
                and seat.category_id in on_sale
                and (category_id is None or seat.category_id == category_id)
            )
            adjacent = run and seat.x - run[-1].x <= step * 1.5
            if not free:
                run = []
                continue
            run = [*run, seat] if adjacent else [seat]
            if len(run) >= count:
                window = run[-count:]
                centre = (window[0].x + window[-1].x) / 2
                score = (seat.y - front) + abs(centre - middle) * 0.5
                if best is None or score < best[0]:
                    best = (score, [s.pk for s in window])
    return best[1] if best else []
