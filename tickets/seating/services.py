"""Holding, releasing and selling seats of seated sessions.

Holding a seat inserts one ``SeatClaim`` row; its unique constraint on (session, seat) is what
makes a seat go to exactly one buyer: a concurrent insert of the same seat waits for the first
transaction and then fails with ``IntegrityError``, which becomes ``SeatUnavailable`` with the
seat's label. Alongside, the seat's ticket type is held through the cart's ``Reservation`` and
``inventory_take`` like counted tickets, so the timer, expiry, counters and reports all work
the same way.

The organizer's block of a seat inserts the same row (``blocked=True``, see ``seats_block``),
so a block and a hold of one seat at the same instant meet at that unique constraint too: the
hot path of a hold stays a single INSERT and nothing else needs a lock.
"""

from collections import defaultdict
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Seat, SessionSeating, SessionSeatPrice, TicketType
from events.seating.layouts import LayoutError
from tickets.errors import (
    CartEmpty,
    NotOnSale,
    OrderLimitExceeded,
    ReservationExpired,
    SoldOut,
    TicketsError,
)
from tickets.models import Cart, Order, OrderItem, Reservation, SeatClaim
from tickets.services.cart import (
    _cart_locked,
    _hold_set,
    _live_holds_locked,
    _switch_event,
)
from tickets.services.inventory import reservations_release

MAX_SEATS_PER_ORDER = 10


class SeatUnavailable(TicketsError):
    default_message = _("This seat has just been taken by someone else. Choose another one.")


def seat_unavailable(labels: list[str]) -> SeatUnavailable:
    return SeatUnavailable(
        ngettext(
            "The seat %(labels)s has already been taken by another buyer. Choose another one.",
            "The seats %(labels)s have already been taken by other buyers. Choose others.",
            len(labels),
        )
        % {"labels": "; ".join(labels)}
    )


def seats_not_on_sale(labels: list[str]) -> SeatUnavailable:
    return SeatUnavailable(
        ngettext(
            "The seat %(labels)s is not on sale. Choose another one.",
            "The seats %(labels)s are not on sale. Choose others.",
            len(labels),
        )
        % {"labels": "; ".join(labels)}
    )


def clear_dead_claims(*, session_id: int, seat_ids: list[int], now: datetime) -> None:
    """Return expired holds on these seats to sale and delete the claims that died.

    Expired holds are released first (row-locked by the UPDATE, so a cart extending its hold
    at this moment wins); only claims whose hold is released or gone are deleted.
    """
    unsold = SeatClaim.objects.filter(
        session_id=session_id,
        seat_id__in=seat_ids,
        order_item__isnull=True,
        blocked=False,
        waitlist_entry__isnull=True,  # an offer's seat lives as long as the offer
    )
    expired_carts = set(
        unsold.filter(
            reservation__released_at__isnull=True,
            reservation__order__isnull=True,
            reservation__expires_at__lte=now,
        )
        .values_list("reservation__cart_id", flat=True)
        .distinct()
    )
    for cart_id in sorted(expired_carts):
        reservations_release(cart_id=cart_id, only_expired=True, now=now)
    unsold.filter(
        Q(reservation__isnull=True)
        | Q(reservation__released_at__isnull=False)
        | Q(reservation__order__isnull=False)
    ).delete()


def _seating(session_id: int) -> SessionSeating:
    seating = (
        SessionSeating.objects.select_related("session__event", "seat_map")
        .filter(session_id=session_id)
        .first()
    )
    if seating is None:
        raise NotOnSale()
    return seating


def _ticket_types_by_category(session_id: int) -> dict[int, TicketType]:
    return {
        p.category_id: p.ticket_type
        for p in SessionSeatPrice.objects.filter(session_id=session_id).select_related(
            "ticket_type__session__event"
        )
    }


def _my_claims(cart: Cart, session_id: int, live: dict[int, Reservation]) -> QuerySet[SeatClaim]:
    return SeatClaim.objects.filter(
        session_id=session_id,
        order_item__isnull=True,
        reservation_id__in=[r.pk for r in live.values()],
    )


def _insert_claims(claims: list[SeatClaim], seats: dict[int, Seat]) -> None:
    try:
        with transaction.atomic():
            SeatClaim.objects.bulk_create(sorted(claims, key=lambda c: c.seat_id))
    except IntegrityError as exc:
        ids = [c.seat_id for c in claims]
        taken = dict(
            SeatClaim.objects.filter(session_id=claims[0].session_id, seat_id__in=ids).values_list(
                "seat_id", "blocked"
            )
        )
        blocked = [seats[i].label for i in sorted(taken) if taken[i]]
        if blocked:
            raise seats_not_on_sale(blocked) from exc
        labels = [seats[i].label for i in sorted(taken)]
        raise seat_unavailable(labels or [seats[i].label for i in ids]) from exc


@transaction.atomic
def seats_hold(
    *,
    cart_token: str,
    session_id: int,
    seat_ids: list[int],
    user: User | None = None,
) -> list[int]:
    """Hold the given seats for the cart (adding to what it holds); returns the cart's seats.

    Raises ``SeatUnavailable`` naming the seats another buyer holds or bought (or that the
    organizer blocked), ``OrderLimitExceeded``, ``NotOnSale`` or ``SoldOut``; then nothing
    changes.
    """
    now = timezone.now()
    seat_ids = sorted(set(seat_ids))
    if not seat_ids:
        raise CartEmpty()
    seating = _seating(session_id)
    seats = {s.pk: s for s in Seat.objects.filter(seat_map_id=seating.seat_map_id, pk__in=seat_ids)}
    if len(seats) != len(seat_ids):
        raise NotOnSale(_("There is no such seat on this map."))
    by_category = _ticket_types_by_category(session_id)
    event_id = seating.session.event_id
    cart = _cart_locked(cart_token=cart_token, user=user, event_id=event_id)
    _switch_event(cart=cart, event_id=event_id, now=now)
    live = _live_holds_locked(cart=cart, now=now)
    mine = set(_my_claims(cart, session_id, live).values_list("seat_id", flat=True))
    new = [seats[i] for i in seat_ids if i not in mine]
    if len(mine) + len(new) > MAX_SEATS_PER_ORDER:
        raise OrderLimitExceeded(
            _("At most %(count)d seats per order.") % {"count": MAX_SEATS_PER_ORDER}
        )
    if any(seat.category_id not in by_category for seat in new):
        raise NotOnSale(_("These seats are not on sale in this session."))
    if new:
        clear_dead_claims(session_id=session_id, seat_ids=[s.pk for s in new], now=now)
        claims = [
            SeatClaim(session_id=session_id, seat=s, ticket_type=by_category[s.category_id])
            for s in new
        ]
        _insert_claims(claims, seats)
        per_type: dict[int, list[SeatClaim]] = defaultdict(list)
        for claim in claims:
            per_type[by_category[claim.seat.category_id].pk].append(claim)
        for ticket_type_id in sorted(per_type):
            ticket_type = by_category[per_type[ticket_type_id][0].seat.category_id]
            held = live[ticket_type_id].quantity if ticket_type_id in live else 0
            try:
                _hold_set(
                    cart=cart,
                    ticket_type=ticket_type,
                    quantity=held + len(per_type[ticket_type_id]),
                    live=live,
                    now=now,
                )
            except OrderLimitExceeded as exc:
                raise OrderLimitExceeded(
                    _("At most %(count)d seats “%(name)s” per order.")
                    % {"count": ticket_type.max_per_order, "name": ticket_type.name}
                ) from exc
            SeatClaim.objects.filter(pk__in=[c.pk for c in per_type[ticket_type_id]]).update(
                reservation=live[ticket_type_id]
            )
    return sorted(mine | {s.pk for s in new})


@transaction.atomic
def seats_release(*, cart_token: str, session_id: int, seat_ids: list[int]) -> list[int]:
    """Give back seats the cart holds; returns the seats it still holds in the session."""
    now = timezone.now()
    cart = Cart.objects.filter(token=cart_token).first()
    if cart is None:
        return []
    cart = _cart_locked(cart_token=cart_token, user=None)
    live = _live_holds_locked(cart=cart, now=now)
    mine = _my_claims(cart, session_id, live)
    going = list(mine.filter(seat_id__in=seat_ids).select_related("ticket_type"))
    per_type: dict[int, int] = defaultdict(int)
    for claim in going:
        if claim.ticket_type_id is not None:  # a buyer's claim always names its ticket type
            per_type[claim.ticket_type_id] += 1
    SeatClaim.objects.filter(pk__in=[c.pk for c in going]).delete()
    for ticket_type_id in sorted(per_type):
        held = live[ticket_type_id]
        _hold_set(
            cart=cart,
            ticket_type=held.ticket_type,
            quantity=max(held.quantity - per_type[ticket_type_id], 0),
            live=live,
            now=now,
        )
    return sorted(_my_claims(cart, session_id, live).values_list("seat_id", flat=True))


def _refuse_claimed(*, session_id: int, seat_ids: list[int]) -> None:
    """``LayoutError`` naming the seats a buyer holds or bought, if any."""
    claims = (
        SeatClaim.objects.filter(session_id=session_id, seat_id__in=seat_ids, blocked=False)
        .select_related("seat", "reservation")
        .order_by("seat__section", "seat__y", "seat__x")
    )
    sold = [c.seat.label for c in claims if c.order_item_id is not None]
    held = [c for c in claims if c.order_item_id is None]
    reasons = []
    if sold:
        reasons.append(
            ngettext(
                "The seat %(labels)s is sold and cannot be blocked; refund its ticket first.",
                "The seats %(labels)s are sold and cannot be blocked; refund their tickets first.",
                len(sold),
            )
            % {"labels": "; ".join(sold)}
        )
    if held:
        ends = max(
            (c.reservation.expires_at for c in held if c.reservation is not None),
            default=timezone.now(),
        )
        reasons.append(
            ngettext(
                "The seat %(labels)s is held in a buyer's cart until %(time)s; "
                "block it after that if it is not bought.",
                "The seats %(labels)s are held in buyers' carts until %(time)s; "
                "block them after that if they are not bought.",
                len(held),
            )
            % {
                "labels": "; ".join(c.seat.label for c in held),
                "time": timezone.localtime(ends).strftime("%H:%M"),
            }
        )
    if reasons:
        raise LayoutError(" ".join(reasons))


@transaction.atomic
def seats_block(*, session_id: int, seat_ids: list[int]) -> None:
    """Claim seats for the organizer's block (inside ``session_seats_block``).

    Expired holds on them are cleared first. A seat a buyer holds or bought is refused with
    ``LayoutError`` naming it; a buyer holding the seat at this very instant meets the block
    at the unique (session, seat) row, and whichever commits first keeps the seat.
    """
    seat_ids = sorted(set(seat_ids))
    clear_dead_claims(session_id=session_id, seat_ids=seat_ids, now=timezone.now())
    _refuse_claimed(session_id=session_id, seat_ids=seat_ids)
    already = set(
        SeatClaim.objects.filter(
            session_id=session_id, seat_id__in=seat_ids, blocked=True
        ).values_list("seat_id", flat=True)
    )
    try:
        with transaction.atomic():
            SeatClaim.objects.bulk_create(
                SeatClaim(session_id=session_id, seat_id=seat_id, blocked=True)
                for seat_id in seat_ids
                if seat_id not in already
            )
    except IntegrityError as exc:  # a buyer's hold committed between the check and the insert
        _refuse_claimed(session_id=session_id, seat_ids=seat_ids)
        raise LayoutError(_("Some of these seats are already held or sold.")) from exc


@transaction.atomic
def seats_unblock(*, session_id: int, seat_ids: list[int]) -> int:
    """Release the block claims of these seats: they are on sale again."""
    return SeatClaim.objects.filter(
        session_id=session_id, seat_id__in=seat_ids, blocked=True
    ).delete()[0]


def _column(model: type[Model], field: str) -> str:
    column = model._meta.get_field(field).column  # type: ignore[union-attr]
    return f'"{model._meta.db_table}"."{column}"'


def reservation_seat_flags() -> dict[str, RawSQL]:
    """Annotations for a query of holds: ``seated`` (its ticket type is sold by seat) and
    ``seat_held`` (it holds a seat not sold yet). Holds read with them let
    ``seats_attach_to_order`` skip its two reads when no hold has anything to do with seats.

    Written as SQL: two ``Exists`` of querysets cost a checkout more to compile than the two
    reads they save."""
    price, claim = SessionSeatPrice._meta.db_table, SeatClaim._meta.db_table
    seated = (
        f'EXISTS (SELECT 1 FROM "{price}" WHERE {_column(SessionSeatPrice, "ticket_type")}'
        f" = {_column(Reservation, 'ticket_type')})"
    )
    seat_held = (
        f'EXISTS (SELECT 1 FROM "{claim}" WHERE {_column(SeatClaim, "reservation")}'
        f" = {_column(Reservation, 'id')} AND {_column(SeatClaim, 'order_item')} IS NULL)"
    )
    return {
        "seated": RawSQL(seated, (), output_field=BooleanField()),
        "seat_held": RawSQL(seat_held, (), output_field=BooleanField()),
    }


def _seatless(reservations: list[Reservation]) -> bool:
    """Read with ``reservation_seat_flags``, no hold is of a seated type or holds a seat."""
    return all(
        hasattr(r, "seated") and not r.seated and hasattr(r, "seat_held") and not r.seat_held
        for r in reservations
    )


def seats_attach_to_order(*, items: list[OrderItem], reservations: list[Reservation]) -> None:
    """At checkout: each held seat goes to one new ticket of its type (inside ``order_create``).

    ``reservations`` are the holds the items were made of; read with
    ``reservation_seat_flags``, holds of counted tickets cost no query here."""
    if reservations and _seatless(reservations):
        return
    claims = list(
        SeatClaim.objects.filter(
            reservation__in=reservations, order_item__isnull=True
        ).select_related("seat")
    )
    seated = set(
        SessionSeatPrice.objects.filter(
            ticket_type_id__in={i.ticket_type_id for i in items}
        ).values_list("ticket_type_id", flat=True)
    )
    per_type: dict[int | None, int] = defaultdict(int)
    for claim in claims:
        per_type[claim.ticket_type_id] += 1
    if any(per_type[t] != sum(i.ticket_type_id == t for i in items) for t in seated):
        raise ReservationExpired()  # a seat was lost with an expired hold: choose again
    if not claims:
        return
    free_items: dict[int | None, list[OrderItem]] = defaultdict(list)
    for item in items:
        free_items[item.ticket_type_id].append(item)
    claims.sort(key=lambda c: (c.seat.section, c.seat.y, c.seat.x))
    for claim in claims:
        if not free_items[claim.ticket_type_id]:
            continue
        item = free_items[claim.ticket_type_id].pop(0)
        claim.order_item = item
        item.seat = claim.seat
        item.seat_label = claim.seat.label
    SeatClaim.objects.bulk_update(claims, ["order_item"])
    OrderItem.objects.bulk_update([i for i in items if i.seat_id], ["seat", "seat_label"])


def seats_release_for_items(*, item_ids: list[int]) -> int:
    """Cancelled, refunded or expired tickets give their seats back (inside the order's tx)."""
    return SeatClaim.objects.filter(order_item_id__in=item_ids).delete()[0]


def seats_reclaim_for_order(*, order: Order) -> None:
    """A late payment of an expired order takes its seats again, or raises ``SoldOut``."""
    items = [
        i
        for i in order.items.filter(status=OrderItem.Status.VALID, seat__isnull=False)
        .select_related("ticket_type")
        .order_by("seat_id")
        if not SeatClaim.objects.filter(order_item=i).exists()
    ]
    seat_ids = [i.seat_id for i in items if i.seat_id is not None]  # every one: seat__isnull=False
    if not items:
        return
    session_id = items[0].ticket_type.session_id
    clear_dead_claims(session_id=session_id, seat_ids=seat_ids, now=timezone.now())
    try:
        with transaction.atomic():
            SeatClaim.objects.bulk_create(
                SeatClaim(
                    session_id=i.ticket_type.session_id,
                    seat_id=seat_id,
                    ticket_type_id=i.ticket_type_id,
                    order_item=i,
                )
                for i, seat_id in zip(items, seat_ids, strict=True)
            )
    except IntegrityError as exc:
        raise SoldOut(_("The seats of this order have been sold to someone else.")) from exc
