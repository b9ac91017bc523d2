"""Writes of the waiting list.

An offer takes its ticket with the same conditional UPDATE as every sale
(``inventory_take``), so offers and ordinary buyers racing for returned tickets can never sell
more than there are. Tickets coming back from a refund, an expired or cancelled order go to the
list at once (``tickets_return`` calls ``waitlist_offer_next``); capacity the organizer adds
is offered right after the organizer's change (``waitlist_capacity_added``, through the outbox);
expired cart holds are offered by the periodic task, which also lets unused offers expire and
passes their tickets on.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import CapacityPool, Event, SessionSeatPrice, TicketType
from eventum.outbox import outbox_enqueue
from privacy.services import consent_record, subject_is_blocked
from tickets.errors import NotOnSale, SoldOut, TicketsError
from tickets.models import Cart, Reservation, SeatClaim
from tickets.seating.selectors import best_available, seat_availability, session_plan
from tickets.seating.services import clear_dead_claims
from tickets.services.cart import reservation_expires_at
from tickets.services.inventory import inventory_return, inventory_take, reservations_release
from tickets.waitlist.emails import waitlist_offer_message
from tickets.waitlist.models import WaitlistEntry

OFFER_EMAIL_TASK = "tickets.waitlist.tasks.waitlist_offer_email_task"
OFFER_TYPES_TASK = "tickets.waitlist.tasks.waitlist_offer_for_types_task"
S = WaitlistEntry.Status


class WaitlistError(TicketsError):
    default_message = _("The waiting list cannot take this request.")


class OfferNotValid(TicketsError):
    default_message = _(
        "This offer is no longer valid: it was used or its time is over. If you are still on the "
        "waiting list, we will write when a ticket comes back."
    )


def _seated(ticket_type: TicketType) -> bool:
    return SessionSeatPrice.objects.filter(ticket_type=ticket_type).exists()


def _free(ticket_type: TicketType) -> int:
    """Tickets of the type a buyer could take now: its own counter, and for a service's slot
    the places it shares with the slot's other types (the slot, a guide, a hall)."""
    pools = CapacityPool.objects.filter(ticket_types=ticket_type)
    shared = [pool.available for pool in pools] if ticket_type.is_pooled else []
    return min([ticket_type.quantity_available, *shared])


def _offer_seat(entry: WaitlistEntry, ticket_type_id: int, now: datetime) -> bool:
    """For a seated category: hold the best free seat of the category for the offer (a claim
    of the entry, see ``SeatClaim``). ``False`` when no seat of it is free."""
    price = SessionSeatPrice.objects.filter(ticket_type_id=ticket_type_id).first()
    if price is None:
        return True  # counted tickets: the counter is the whole hold
    plan = session_plan(session_id=price.session_id)
    if plan is None:
        return False
    availability = seat_availability(session_id=price.session_id, cart_token=None)
    for _attempt in range(3):
        chosen = best_available(
            plan=plan, availability=availability, count=1, category_id=price.category_id
        )
        if not chosen:
            return False
        clear_dead_claims(session_id=price.session_id, seat_ids=chosen, now=now)
        try:
            with transaction.atomic():
                SeatClaim.objects.create(
                    session_id=price.session_id,
                    seat_id=chosen[0],
                    ticket_type_id=ticket_type_id,
                    waitlist_entry=entry,
                )
        except IntegrityError:  # a buyer took the seat this instant: the next best one
            availability.held.append(chosen[0])
            continue
        return True
    return False


@transaction.atomic
def waitlist_join(
    *, ticket_type_id: int, email: str, consent_wording: str, ip_address: str | None = None
) -> WaitlistEntry:
    """Put ``email`` on the waiting list of a sold-out ticket type (once; joining again while
    waiting returns the same entry) and record the consent given with it."""
    ticket_type = TicketType.objects.select_related("session__event").get(pk=ticket_type_id)
    event = ticket_type.session.event
    session = ticket_type.session
    started = not session.is_open_dated and session.starts_at <= timezone.now()
    if event.status != Event.Status.PUBLISHED or started:
        raise NotOnSale()
    if _free(ticket_type) > 0:
        if _seated(ticket_type):
            raise WaitlistError(_("Seats of this category are on sale: choose one on the map."))
        raise WaitlistError(_("Tickets of this type are on sale: you can buy them now."))
    email = email.strip().lower()
    if subject_is_blocked(email=email):
        raise WaitlistError(
            _("This e-mail is blocked at its owner's request, so it cannot join the list.")
        )
    live = WaitlistEntry.objects.filter(
        ticket_type=ticket_type, email=email, status__in=[S.WAITING, S.OFFERED]
    ).first()
    if live is not None:
        return live
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                ticket_type=ticket_type,
                email=email,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
    except IntegrityError:  # the same person joined twice at once
        return WaitlistEntry.objects.get(
            ticket_type=ticket_type, email=email, status__in=[S.WAITING, S.OFFERED]
        )
    consent_record(
        purpose="processing_and_transfer",
        action="given",
        wording=consent_wording,
        channel="site",
        email=email,
        ip_address=ip_address,
        source=f"waitlist:{entry.pk}",
    )
    return entry


def _offer_hours() -> int:
    return int(settings.TICKETS_WAITLIST_OFFER_HOURS)


@transaction.atomic
def waitlist_offer_next(*, ticket_type_id: int, now: datetime | None = None) -> int:
    """Offer the free tickets of the type to the people waiting longest, one each, each offer
    holding its ticket for ``TICKETS_WAITLIST_OFFER_HOURS``. Returns how many offers went out.
    Safe to call from any transaction that just returned tickets to sale."""
    now = now or timezone.now()
    sent = 0
    while True:
        entry = (
            WaitlistEntry.objects.select_for_update(skip_locked=True)
            .filter(ticket_type_id=ticket_type_id, status=S.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if entry is None:
            return sent
        try:
            with transaction.atomic():
                inventory_take(ticket_type_id=ticket_type_id, quantity=1)
        except SoldOut:
            return sent
        if not _offer_seat(entry, ticket_type_id, now):
            inventory_return(ticket_type_id=ticket_type_id, quantity=1)
            return sent
        entry.status = S.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = now + timedelta(hours=_offer_hours())
        entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
        outbox_enqueue(OFFER_EMAIL_TASK, entry.pk)
        sent += 1


def waitlist_offer_for_types(*, ticket_type_ids: list[int]) -> int:
    """``waitlist_offer_next`` for each type that has people waiting (one query when none).
    A service's type shares places with the slot's other types: a place one of them gives
    back is offered to those waiting for any of them."""
    sharing = TicketType.objects.filter(
        is_pooled=True, capacity_pools__ticket_types__in=ticket_type_ids
    ).values_list("pk", flat=True)
    waiting = (
        WaitlistEntry.objects.filter(
            Q(ticket_type_id__in=ticket_type_ids) | Q(ticket_type_id__in=sharing),
            status=S.WAITING,
        )
        .values_list("ticket_type_id", flat=True)
        .distinct()
    )
    return sum(waitlist_offer_next(ticket_type_id=pk) for pk in sorted(set(waiting)))


def waitlist_capacity_added(*, ticket_type_ids: list[int]) -> None:
    """The organizer added tickets (inside that transaction): if anyone waits for these types,
    a worker makes the offers right after the commit (through the outbox), without waiting
    for the periodic task and without holding up the organizer's page."""
    if WaitlistEntry.objects.filter(ticket_type_id__in=ticket_type_ids, status=S.WAITING).exists():
        outbox_enqueue(OFFER_TYPES_TASK, sorted(ticket_type_ids))


@transaction.atomic
def waitlist_offer_expire(*, entry_id: int, now: datetime | None = None) -> bool:
    """An unused offer past its time: its ticket goes back and on to the next person."""
    now = now or timezone.now()
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry_id)
    if entry.status != S.OFFERED or entry.offer_expires_at is None or entry.offer_expires_at > now:
        return False
    entry.status = S.EXPIRED
    entry.save(update_fields=["status"])
    SeatClaim.objects.filter(waitlist_entry=entry).delete()  # the offer's seat, if seated
    inventory_return(ticket_type_id=entry.ticket_type_id, quantity=1)
    waitlist_offer_for_types(ticket_type_ids=[entry.ticket_type_id])
    return True


def waitlist_tick(*, now: datetime | None = None) -> int:
    """The periodic duty: expire unused offers, then offer whatever is free to those waiting
    (capacity added, cart holds expired). Each step in its own transaction."""
    now = now or timezone.now()
    due = WaitlistEntry.objects.filter(status=S.OFFERED, offer_expires_at__lte=now)
    for entry_id in list(due.values_list("pk", flat=True)):
        waitlist_offer_expire(entry_id=entry_id, now=now)
    types = WaitlistEntry.objects.filter(status=S.WAITING).values_list("ticket_type_id", flat=True)
    return sum(
        waitlist_offer_next(ticket_type_id=pk, now=now) for pk in sorted(set(types.distinct()))
    )


@transaction.atomic
def waitlist_offer_take(*, token: str, cart_token: str, now: datetime | None = None) -> Cart:
    """Use an offer (once): its ticket becomes an ordinary cart hold of ``cart_token`` for the
    checkout, without being taken again. Raises ``OfferNotValid``."""
    now = now or timezone.now()
    entry = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("ticket_type__session")
        .filter(offer_token=token)
        .first()
    )
    if entry is None or entry.status != S.OFFERED or (entry.offer_expires_at or now) <= now:
        raise OfferNotValid()
    cart, _created = Cart.objects.get_or_create(token=cart_token)
    cart = Cart.objects.select_for_update().get(pk=cart.pk)
    # A cart holds one event: whatever else it held goes back on sale first.
    reservations_release(cart_id=cart.pk, only_expired=False, now=now)
    cart.event_id = entry.ticket_type.session.event_id
    cart.promo_code = None
    cart.save(update_fields=["event", "promo_code", "updated_at"])
    hold = Reservation.objects.create(
        cart=cart,
        ticket_type=entry.ticket_type,
        quantity=1,
        expires_at=max(reservation_expires_at(now), entry.offer_expires_at or now),
    )
    # A seated offer's seat becomes the cart's hold of that seat, like one chosen on the map.
    SeatClaim.objects.filter(waitlist_entry=entry).update(reservation=hold, waitlist_entry=None)
    entry.status = S.USED
    entry.save(update_fields=["status"])
    return cart


@transaction.atomic
def waitlist_leave(*, token: str) -> bool:
    """The person leaves the list (from the link in their e-mail); an offer's ticket goes on."""
    entry = WaitlistEntry.objects.select_for_update().filter(offer_token=token).first()
    if entry is None or entry.status not in (S.WAITING, S.OFFERED):
        return False
    offered = entry.status == S.OFFERED
    entry.status = S.LEFT
    entry.save(update_fields=["status"])
    if offered:
        SeatClaim.objects.filter(waitlist_entry=entry).delete()
        inventory_return(ticket_type_id=entry.ticket_type_id, quantity=1)
        waitlist_offer_for_types(ticket_type_ids=[entry.ticket_type_id])
    return True


def waitlist_offer_email_send(*, entry_id: int) -> bool:
    """E-mail the offer with its one-use link (once per offer)."""
    claimed = WaitlistEntry.objects.filter(
        pk=entry_id, status=S.OFFERED, offer_emailed_at__isnull=True
    ).update(offer_emailed_at=timezone.now())
    if not claimed:
        return False
    entry = WaitlistEntry.objects.select_related("ticket_type__session__event__venue").get(
        pk=entry_id
    )
    with get_connection() as connection:
        connection.send_messages([waitlist_offer_message(entry)])
    return True
