"""The ticket counter: ``TicketType.quantity_taken`` moves only through these functions.

Taking uses a conditional UPDATE (``quantity_taken + n <= quantity``), so two buyers can never
take the same last ticket: the database re-checks the condition under the row lock and one of
them updates zero rows. A check constraint backs it.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from events.models import CapacityPool, TicketType
from eventum.rows import Statement, statements_run
from tickets.errors import SoldOut
from tickets.models import Cart, Reservation
from tickets.soldout.services import sold_out_close


def _counter_move(*, ticket_type_id: int, quantity: int) -> tuple[bool, bool] | None:
    """Add ``quantity`` (negative: return) to the type's counter if it stays within
    0..quantity; ``None`` when it would not, else whether the type shares places of its slot
    (``CapacityPool``) and whether it was full before. One statement, as before pools existed:
    the flags come back with it."""
    table = connection.ops.quote_name(TicketType._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET quantity_taken = quantity_taken + %s "
            "WHERE id = %s AND quantity_taken + %s <= quantity AND quantity_taken + %s >= 0 "
            "RETURNING is_pooled, quantity_taken - %s >= quantity",
            [quantity, ticket_type_id, quantity, quantity, quantity],
        )
        row = cursor.fetchone()
    return None if row is None else (bool(row[0]), bool(row[1]))


def _pools_take(*, ticket_type_id: int, quantity: int) -> bool:
    """Take from every shared pool of the type, all or none: the pools are locked in id order
    (so buyers of different types of one slot never deadlock), checked, then moved."""
    pools = list(
        CapacityPool.objects.select_for_update()
        .filter(ticket_types=ticket_type_id)
        .order_by("pk")
        .values_list("pk", "capacity", "taken")
    )
    if any(taken + quantity > capacity for _pk, capacity, taken in pools):
        return False
    CapacityPool.objects.filter(pk__in=[pk for pk, _c, _t in pools]).update(
        taken=F("taken") + quantity
    )
    return True


def inventory_take(*, ticket_type_id: int, quantity: int) -> None:
    """Take ``quantity`` tickets off sale or raise ``SoldOut``; call inside a transaction.

    A type of a service's slot also takes from the places it shares with the slot's other
    types (``CapacityPool``); if those are gone its own counter is put back and ``SoldOut``
    raised, so nothing is half taken."""
    if quantity <= 0:
        return
    moved = _counter_move(ticket_type_id=ticket_type_id, quantity=quantity)
    if moved is None:
        raise SoldOut()
    pooled, _was_full = moved
    if pooled and not _pools_take(ticket_type_id=ticket_type_id, quantity=quantity):
        _counter_move(ticket_type_id=ticket_type_id, quantity=-quantity)
        raise SoldOut()


def _sharing_types(ticket_type_id: int) -> list[int]:
    """The type and those sharing a pool with it (their expired holds free the same places)."""
    shared = TicketType.objects.filter(capacity_pools__ticket_types=ticket_type_id).values_list(
        "pk", flat=True
    )
    return sorted({ticket_type_id, *shared})


def inventory_take_or_release_expired(
    *, ticket_type_id: int, quantity: int, now: datetime | None = None
) -> None:
    """``inventory_take``; when too few tickets are free, the type's expired cart holds go back
    on sale first and it is tried once more. Pages never release holds (a GET writes
    nothing), so the purchase that needs the tickets does it, besides the periodic task."""
    try:
        inventory_take(ticket_type_id=ticket_type_id, quantity=quantity)
    except SoldOut:
        if not reservations_release(
            ticket_type_ids=_sharing_types(ticket_type_id), only_expired=True, now=now
        ):
            raise
        inventory_take(ticket_type_id=ticket_type_id, quantity=quantity)


def inventory_return(*, ticket_type_id: int, quantity: int) -> None:
    """Put ``quantity`` tickets back on sale (never below zero)."""
    if quantity <= 0:
        return
    moved = _counter_move(ticket_type_id=ticket_type_id, quantity=-quantity)
    if moved is None:
        return
    pooled, was_full = moved
    if pooled:
        CapacityPool.objects.filter(ticket_types=ticket_type_id, taken__gte=quantity).update(
            taken=F("taken") - quantity
        )
    if was_full or pooled:  # its session may have been sold out: that sell-out is over
        sold_out_close(ticket_type_ids=[ticket_type_id])


def released_holds_return(batch: uuid.UUID) -> int:
    """Return to sale what one release batch flagged, per ticket type (inside the transaction
    that flagged it): how many tickets."""
    released = 0
    per_type = (
        Reservation.objects.filter(release_batch=batch)
        .values("ticket_type_id")
        .annotate(total=Sum("quantity"))
        .order_by("ticket_type_id")
    )
    for row in per_type:
        inventory_return(ticket_type_id=row["ticket_type_id"], quantity=row["total"])
        released += row["total"]
    return released


@transaction.atomic(savepoint=False)
def reservations_release(
    *,
    ticket_type_ids: Iterable[int] | None = None,
    cart_id: int | None = None,
    cart_token: str | None = None,
    only_expired: bool = True,
    now: datetime | None = None,
) -> int:
    """Release live holds (by default only expired ones) and return their tickets to sale.

    The hold rows are flagged with a fresh batch id by one conditional UPDATE; only what this
    call flagged is returned, so concurrent releases never return the same hold twice. It is
    called on every step of a purchase, so when nothing has expired it costs that one UPDATE
    (no savepoint: a failure here fails the caller's transaction anyway).
    Returns the number of tickets put back on sale.
    """
    types = None if ticket_type_ids is None else list(ticket_type_ids)
    if types is not None and not types:
        return 0  # no type: nothing to release (and no statement)
    batch = uuid.uuid4()
    flag = _release_flag_statement(
        batch=batch,
        now=now or timezone.now(),
        ticket_type_ids=types,
        cart_id=cart_id,
        cart_token=cart_token,
        only_expired=only_expired,
    )
    if not statements_run(connection.alias, [flag])[0]:
        return 0
    return released_holds_return(batch)


def _release_flag_statement(
    *,
    batch: uuid.UUID,
    now: datetime,
    ticket_type_ids: list[int] | None,
    cart_id: int | None,
    cart_token: str | None,
    only_expired: bool,
) -> Statement:
    """The UPDATE flagging the live holds chosen with ``batch`` as released at ``now``; it
    returns their ids. Written in SQL: the ORM took longer to build it than the database to
    run it, and it runs on every checkout."""
    at = Reservation._meta.get_field("released_at").get_db_prep_save(now, connection)
    where = ["released_at IS NULL", "order_id IS NULL"]
    params: list[Any] = [
        at,
        Reservation._meta.get_field("release_batch").get_db_prep_save(batch, connection),
    ]
    if ticket_type_ids is not None:
        where.append(f"ticket_type_id IN ({', '.join(['%s'] * len(ticket_type_ids))})")
        params.extend(ticket_type_ids)
    if cart_id is not None:
        where.append("cart_id = %s")
        params.append(cart_id)
    if cart_token is not None:
        carts = connection.ops.quote_name(Cart._meta.db_table)
        where.append(f"cart_id IN (SELECT id FROM {carts} WHERE token = %s)")
        params.append(cart_token)
    if only_expired:
        where.append("expires_at <= %s")
        params.append(at)
    table = connection.ops.quote_name(Reservation._meta.db_table)
    return (
        f"UPDATE {table} SET released_at = %s, release_batch = %s"
        f" WHERE {' AND '.join(where)} RETURNING id",
        params,
    )


def expired_holds_release_statement(*, cart_id: int, now: datetime) -> tuple[Statement, uuid.UUID]:
    """The statement flagging the cart's holds expired at ``now`` as released, with its batch,
    to send with others (``statements_run``) inside the caller's transaction; when its rows
    say it flagged some, ``released_holds_return(batch)`` puts their tickets back on sale."""
    batch = uuid.uuid4()
    statement = _release_flag_statement(
        batch=batch,
        now=now,
        ticket_type_ids=None,
        cart_id=cart_id,
        cart_token=None,
        only_expired=True,
    )
    return statement, batch
