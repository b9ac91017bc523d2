"""Writes of reserved seating: seat maps and how a session sells them.

A seated session has one ticket type per price category of its map; its ``quantity`` is the
number of seats of that category not blocked, so counters, reports and “sold out” agree with
the map. Seats themselves are held and sold by ``tickets.seating.services``.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from events.hooks import hook_call
from events.models import (
    Seat,
    SeatCategory,
    SeatMap,
    Session,
    SessionSeatBlock,
    SessionSeating,
    SessionSeatPrice,
    TicketType,
    Venue,
)
from events.seating.layouts import Layout, LayoutError, SeatSpec, layout_validate
from organizers.models import Organizer


def _session_locked(session: Session) -> Session:
    # NO KEY UPDATE: organizers' edits of one session wait for each other, but a buyer's
    # commit (whose foreign-key checks take KEY SHARE on the session row) never waits for an
    # edit that itself waits for that buyer's ticket type row, which would be a deadlock.
    return Session.objects.select_for_update(no_key=True).get(pk=session.pk)


def _map_in_use(seat_map: SeatMap) -> bool:
    return SessionSeating.objects.filter(seat_map=seat_map).exists()


def _categories_for(seat_map: SeatMap, layout: Layout) -> dict[str, SeatCategory]:
    # A layout names categories in Russian (the source language); kk/en names are added on
    # the map's page (``seat_category_names_save``).
    existing = {c.name_ru or c.name: c for c in seat_map.categories.all()}
    for position, name in enumerate(layout.category_names, start=len(existing)):
        if name not in existing:
            existing[name] = SeatCategory.objects.create(
                seat_map=seat_map, name_ru=name, color=layout.colors[name], position=position
            )
    return existing


@transaction.atomic
def seat_category_names_save(*, seat_map: SeatMap, names: dict[int, dict[str, str]]) -> None:
    """Name the map's categories in ru/kk/en (a blank Kazakh or English name shows the
    Russian one). Two categories of a map cannot share a name in one language."""
    categories = {c.pk: c for c in seat_map.categories.select_for_update()}
    for code in ("ru", "kk", "en"):
        named = [n[code] for pk, n in names.items() if pk in categories and n.get(code)]
        if len(named) != len(set(named)):
            raise LayoutError(_("Two categories of one map cannot have the same name."))
    for pk, typed in names.items():
        category = categories.get(pk)
        if category is None or not typed.get("ru"):
            continue
        category.name_ru = typed["ru"]
        category.name_kk = typed.get("kk") or None
        category.name_en = typed.get("en") or None
        category.save(update_fields=["name_ru", "name_kk", "name_en"])
        # The sessions sell the category as a ticket type of the same name.
        TicketType.objects.filter(seat_price__category=category).update(
            name_ru=category.name_ru, name_kk=category.name_kk, name_en=category.name_en
        )


def _seats_add(seat_map: SeatMap, layout: Layout) -> int:
    taken = set(seat_map.seats.values_list("section", "row", "number"))
    for spec in layout.seats:
        if (spec.section, spec.row, spec.number) in taken:
            raise LayoutError(
                _("The seat “%(label)s” is already on the map.") % {"label": spec.full_label()}
            )
    categories = _categories_for(seat_map, layout)
    Seat.objects.bulk_create(
        Seat(
            seat_map=seat_map,
            category=categories[spec.category],
            section=spec.section,
            row=spec.row,
            number=spec.number,
            label=spec.full_label(),
            x=spec.x,
            y=spec.y,
        )
        for spec in layout.seats
    )
    return len(layout.seats)


@transaction.atomic
def seat_map_create(*, organizer: Organizer, venue: Venue, name: str, layout: Layout) -> SeatMap:
    """A new seat map of the organizer's venue from a validated layout."""
    layout_validate(layout)
    seat_map = SeatMap.objects.create(organizer=organizer, venue=venue, name=name.strip()[:120])
    _seats_add(seat_map, layout)
    return seat_map


@transaction.atomic
def seat_map_add_seats(*, seat_map: SeatMap, seats: list[SeatSpec]) -> int:
    """Add generated seats to a map not yet used by a session; raises ``LayoutError``."""
    seat_map = SeatMap.objects.select_for_update().get(pk=seat_map.pk)
    if _map_in_use(seat_map):
        raise LayoutError(_("The map is used by a session and can no longer change."))
    if seat_map.seats.count() + len(seats) > 5000:
        raise LayoutError(_("A seat map may have at most %(max)d seats.") % {"max": 5000})
    return _seats_add(seat_map, layout_validate(Layout(seats=seats)))


@transaction.atomic
def seat_map_delete(*, seat_map: SeatMap) -> None:
    """Delete a map no session uses."""
    if _map_in_use(seat_map):
        raise LayoutError(_("The map is used by a session and cannot be deleted."))
    seat_map.seats.all().delete()
    seat_map.delete()


def _seats_per_category(session: Session, seat_map: SeatMap) -> dict[int, int]:
    blocked = SessionSeatBlock.objects.filter(session=session).values("seat_id")
    return dict(
        SeatCategory.objects.filter(seat_map=seat_map)
        .annotate(n=Count("seats", filter=~Q(seats__in=blocked)))
        .values_list("pk", "n")
    )


def seated_quantities_sync(*, session: Session) -> None:
    """Each seated ticket type is on sale for as many seats as its category has unblocked."""
    seating = SessionSeating.objects.filter(session=session).select_related("seat_map").first()
    if seating is None:
        return
    counts = _seats_per_category(session, seating.seat_map)
    prices = SessionSeatPrice.objects.filter(session=session).order_by("ticket_type_id")
    was = dict(
        TicketType.objects.filter(pk__in=prices.values("ticket_type_id")).values_list(
            "pk", "quantity"
        )
    )
    grown = []
    for price in prices:  # ticket types locked in id order, like holds lock them
        wanted = counts.get(price.category_id, 0)
        updated = TicketType.objects.filter(
            pk=price.ticket_type_id, quantity_taken__lte=wanted
        ).update(quantity=wanted)
        if not updated:
            raise LayoutError(_("Some of these seats are already held or sold."))
        if wanted > was.get(price.ticket_type_id, 0):
            grown.append(price.ticket_type_id)
    if grown:  # seats back on sale: those waiting for their category hear first
        hook_call("capacity_added", ticket_type_ids=grown)


@transaction.atomic
def session_seating_set(
    *, session: Session, seat_map: SeatMap, prices: dict[int, Decimal]
) -> SessionSeating:
    """Sell the session by the seats of ``seat_map``: one ticket type per category and price.

    ``prices`` maps category id → price in KZT. Changing the map of a session that already
    holds or sold seats is refused; prices can always change.
    """
    session = _session_locked(session)
    seating = SessionSeating.objects.filter(session=session).first()
    if seating is not None and seating.seat_map_id != seat_map.pk:
        _blocks_remove(session, list(session.seat_blocks.values_list("seat_id", flat=True)))
        if session.seat_claims.exists():
            raise LayoutError(_("Seats of this session are already held or sold."))
        SessionSeatPrice.objects.filter(session=session).delete()
        seating.seat_map = seat_map
        seating.save(update_fields=["seat_map"])
    elif seating is None:
        seating = SessionSeating.objects.create(session=session, seat_map=seat_map)
    existing = {
        p.category_id: p
        for p in SessionSeatPrice.objects.filter(session=session).select_related("ticket_type")
    }
    for position, category in enumerate(seat_map.categories.all()):
        price = prices.get(category.pk, Decimal("0"))
        if category.pk in existing:
            ticket_type = existing[category.pk].ticket_type
            ticket_type.price = price
            ticket_type.save(update_fields=["price"])
            continue
        ticket_type = TicketType.objects.create(
            session=session,
            name_ru=category.name_ru,
            name_kk=category.name_kk,
            name_en=category.name_en,
            price=price,
            quantity=0,
            position=position,
        )
        SessionSeatPrice.objects.create(session=session, category=category, ticket_type=ticket_type)
    seated_quantities_sync(session=session)
    return seating


def _blocks_remove(session: Session, seat_ids: list[int]) -> int:
    done = SessionSeatBlock.objects.filter(session=session, seat_id__in=seat_ids).delete()[0]
    hook_call("seats_unblocked", session=session, seat_ids=seat_ids)
    return done


@transaction.atomic
def session_seats_block(
    *, session: Session, seat_ids: list[int], reason: str, block: bool = True
) -> int:
    """Block (or unblock) seats of a seated session; returns how many seats changed.

    A seat held in a cart or sold cannot be blocked: ``LayoutError`` names those seats and
    nothing changes. Blocking claims each seat through the same unique (session, seat) row a
    buyer's hold inserts (the ``seats_blocked`` hook), so of a block and a hold at the same instant
    exactly one wins. Unblocking puts the seats back on sale.
    """
    session = _session_locked(session)
    seating = SessionSeating.objects.filter(session=session).first()
    if seating is None:
        raise LayoutError(_("This session is not sold by seats."))
    seats = list(Seat.objects.filter(seat_map_id=seating.seat_map_id, pk__in=seat_ids))
    if not block:
        done = _blocks_remove(session, [seat.pk for seat in seats])
        seated_quantities_sync(session=session)
        return done
    already = set(
        SessionSeatBlock.objects.filter(session=session, seat__in=seats).values_list(
            "seat_id", flat=True
        )
    )
    new = sorted(seat.pk for seat in seats if seat.pk not in already)
    hook_call("seats_blocked", session=session, seat_ids=new)
    SessionSeatBlock.objects.bulk_create(
        SessionSeatBlock(session=session, seat_id=seat_id, reason=reason) for seat_id in new
    )
    seated_quantities_sync(session=session)
    return len(new)


def session_seating_copy(
    *, source_session_id: int, target: Session, copies: dict[int, TicketType]
) -> None:
    """A duplicated session is sold by the same map, prices and blocks as its source.

    ``copies`` maps each source ticket type id to its copy (inside ``event_duplicate``).
    """
    seating = SessionSeating.objects.filter(session_id=source_session_id).first()
    if seating is None:
        return
    SessionSeating.objects.create(session=target, seat_map_id=seating.seat_map_id)
    SessionSeatPrice.objects.bulk_create(
        SessionSeatPrice(
            session=target, category_id=price.category_id, ticket_type=copies[price.ticket_type_id]
        )
        for price in SessionSeatPrice.objects.filter(session_id=source_session_id)
        if price.ticket_type_id in copies
    )
    blocks = SessionSeatBlock.objects.bulk_create(
        SessionSeatBlock(session=target, seat_id=block.seat_id, reason=block.reason)
        for block in SessionSeatBlock.objects.filter(session_id=source_session_id)
    )
    hook_call("seats_blocked", session=target, seat_ids=sorted(b.seat_id for b in blocks))
