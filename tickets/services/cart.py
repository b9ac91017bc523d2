"""The cart: choosing tickets holds them for ``TICKETS_RESERVATION_MINUTES``.

Every function takes the cart token rather than a request, because a cart may live in a
session cookie (the portal) or travel in a signed URL (an embedded widget without cookies).
Operations on one cart are serialised by a row lock on the cart, which is what makes the
per-order limit hold under concurrent clicks.
"""

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import CapacityPool, Event, TicketType
from eventum.rows import instances_insert
from tickets.errors import NotOnSale, OrderLimitExceeded, PromoCodeInvalid, SoldOut
from tickets.models import Cart, PromoCode, Reservation
from tickets.pricing import promo_find
from tickets.selectors import TICKET_TYPES_TO_HOLD
from tickets.services.inventory import (
    inventory_return,
    inventory_take_or_release_expired,
    reservations_release,
)


def cart_token_new() -> str:
    """A fresh unguessable cart token (192 bits)."""
    return secrets.token_urlsafe(24)


def reservation_expires_at(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(minutes=settings.TICKETS_RESERVATION_MINUTES)


def _cart_locked(
    *, cart_token: str, user: User | None, event_id: int | None = None, is_new: bool = False
) -> Cart:
    """The cart row, locked (read with ``FOR UPDATE``, or inserted by this transaction); a new
    cart is made for ``event_id`` at once. ``is_new``: the token was made for this call, so no
    row holds it and the row is inserted without looking first."""
    signed_in = user if user is not None and user.is_authenticated else None
    if is_new:
        cart = instances_insert([Cart(token=cart_token, event_id=event_id, user=signed_in)])[0]
        created = True
    else:
        cart, created = Cart.objects.select_for_update().get_or_create(
            token=cart_token, defaults={"event_id": event_id, "user": signed_in}
        )
    if created:  # a row this transaction inserted is locked already
        cart.is_new = True
    if signed_in is not None and cart.user_id is None:
        cart.user = signed_in
        cart.save(update_fields=["user", "updated_at"])
    return cart


def _live_holds_locked(*, cart: Cart, now: datetime) -> dict[int, Reservation]:
    """Release the cart's expired holds, lock the live ones and extend them from ``now``."""
    if cart.is_new:
        return {}  # it has never held anything
    reservations_release(cart_id=cart.pk, only_expired=True, now=now)
    live = list(
        Reservation.objects.select_for_update()
        .filter(cart=cart, released_at__isnull=True, order__isnull=True)
        .order_by("ticket_type_id")
    )
    if live:
        Reservation.objects.filter(pk__in=[r.pk for r in live]).update(
            expires_at=reservation_expires_at(now)
        )
    return {r.ticket_type_id: r for r in live}


def _check_can_sell(ticket_type: TicketType, quantity: int, now: datetime) -> None:
    if quantity == 0:
        return
    session = ticket_type.session
    # ``_ticket_types`` reads the event's status with the type; others read the event with it
    status = getattr(ticket_type, "event_status", None) or session.event.status
    if status != Event.Status.PUBLISHED or (session.starts_at <= now and not session.is_open_dated):
        raise NotOnSale()
    if not ticket_type.is_on_sale(now):
        raise NotOnSale(_("Tickets “%(name)s” are not on sale now.") % {"name": ticket_type.name})
    if quantity > ticket_type.max_per_order:
        raise OrderLimitExceeded(
            ngettext(
                "At most %(count)d ticket “%(name)s” per order.",
                "At most %(count)d tickets “%(name)s” per order.",
                ticket_type.max_per_order,
            )
            % {"count": ticket_type.max_per_order, "name": ticket_type.name}
        )


def _sold_out(ticket_type: TicketType) -> SoldOut:
    left = TicketType.objects.get(pk=ticket_type.pk).quantity_available
    if ticket_type.is_pooled:  # a service's slot: its shared places may run out first
        pools = CapacityPool.objects.filter(ticket_types=ticket_type.pk)
        left = min([left, *(pool.available for pool in pools)])
    if left == 0:
        return SoldOut(_("Tickets “%(name)s” are sold out.") % {"name": ticket_type.name})
    return SoldOut(
        ngettext(
            "Only %(count)d ticket “%(name)s” is left.",
            "Only %(count)d tickets “%(name)s” are left.",
            left,
        )
        % {"count": left, "name": ticket_type.name}
    )


def _hold_set(
    *,
    cart: Cart,
    ticket_type: TicketType,
    quantity: int,
    live: dict[int, Reservation],
    now: datetime,
) -> None:
    current = live.get(ticket_type.pk)
    old = current.quantity if current else 0
    delta = quantity - old
    if delta > 0:
        _check_can_sell(ticket_type, quantity, now)
        try:
            inventory_take_or_release_expired(
                ticket_type_id=ticket_type.pk, quantity=delta, now=now
            )
        except SoldOut as exc:
            raise _sold_out(ticket_type) from exc
    elif delta < 0:
        inventory_return(ticket_type_id=ticket_type.pk, quantity=-delta)
    if current is None:
        if quantity:
            live[ticket_type.pk] = instances_insert(
                [
                    Reservation(
                        cart=cart,
                        ticket_type=ticket_type,
                        quantity=quantity,
                        expires_at=reservation_expires_at(now),
                    )
                ]
            )[0]
    elif quantity == 0:
        current.released_at = now
        current.save(update_fields=["released_at"])
        del live[ticket_type.pk]
    elif delta:
        current.quantity = quantity
        current.save(update_fields=["quantity"])


def _ticket_types(ids: Iterable[int], read: Sequence[TicketType] | None) -> list[TicketType]:
    """The ticket types ``ids`` in the order of their ids, from ``read`` when it has them all."""
    wanted = set(ids)
    known = sorted((tt for tt in read or () if tt.pk in wanted), key=lambda tt: tt.pk)
    if len(known) == len(wanted):
        return known
    return TICKET_TYPES_TO_HOLD.all(sorted(wanted))


def _refuse_seated(ticket_types: list[TicketType], quantities: dict[int, int]) -> None:
    """Seats are chosen on the map (``tickets.seating.services``), never as a bare count."""
    if any(tt.seated and quantities[tt.pk] for tt in ticket_types):  # type: ignore[attr-defined]
        raise NotOnSale(_("Choose your seats on the hall map."))


def _switch_event(*, cart: Cart, event_id: int, now: datetime) -> None:
    """A cart holds tickets of one event; choosing another event releases the old holds."""
    if cart.event_id != event_id:
        if not cart.is_new:
            reservations_release(cart_id=cart.pk, only_expired=False, now=now)
        cart.event_id = event_id
        cart.promo_code = None
        cart.save(update_fields=["event", "promo_code", "updated_at"])


@transaction.atomic
def cart_set_quantities(
    *,
    cart_token: str,
    quantities: dict[int, int],
    user: User | None = None,
    cart_is_new: bool = False,
    read: Sequence[TicketType] | None = None,
) -> Cart:
    """Hold exactly ``quantities[ticket_type_id]`` tickets of each given type (0 releases).

    All ticket types must belong to one event. Raises ``SoldOut``, ``OrderLimitExceeded`` or
    ``NotOnSale``; then nothing changes (the whole call is one transaction). ``cart_is_new``:
    the caller has just made ``cart_token`` (``cart_token_new``), so no cart has it yet.
    ``read``: ticket types the caller read as ``TICKET_TYPES_TO_HOLD`` does (a session's, with
    its choice): those of ``quantities`` among them are not read again.
    """
    now = timezone.now()
    ticket_types = _ticket_types(quantities, read)
    _refuse_seated(ticket_types, quantities)
    if len(ticket_types) != len(quantities) or any(q < 0 for q in quantities.values()):
        raise NotOnSale()
    events = {tt.session.event_id for tt in ticket_types}
    if len(events) != 1:
        raise NotOnSale()
    event_id = events.pop()
    cart = _cart_locked(cart_token=cart_token, user=user, event_id=event_id, is_new=cart_is_new)
    _switch_event(cart=cart, event_id=event_id, now=now)
    live = _live_holds_locked(cart=cart, now=now)
    for ticket_type in ticket_types:
        _hold_set(
            cart=cart,
            ticket_type=ticket_type,
            quantity=quantities[ticket_type.pk],
            live=live,
            now=now,
        )
    return cart


@transaction.atomic
def cart_clear(*, cart_token: str) -> None:
    """Release every hold of the cart."""
    cart = Cart.objects.select_for_update().filter(token=cart_token).first()
    if cart is not None:
        reservations_release(cart_id=cart.pk, only_expired=False)


@transaction.atomic
def cart_promo_apply(*, cart_token: str, code: str) -> PromoCode | None:
    """Attach a promo code to the cart (an empty code removes it). Raises ``PromoCodeInvalid``."""
    cart = Cart.objects.select_for_update().filter(token=cart_token).first()
    if cart is None or cart.event is None:
        raise PromoCodeInvalid()
    code = (code or "").strip()
    promo = promo_find(code=code, event=cart.event) if code else None
    cart.promo_code = promo
    cart.save(update_fields=["promo_code", "updated_at"])
    return promo
