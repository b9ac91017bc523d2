"""When a session is sold out, for the organizer's ``event.sold_out`` webhook.

A session is sold out when every ticket of every type of it is *sold*: each type is out (its
counter full, or a place it shares in a service's slot, ``CapacityPool``, gone) and none of
it is merely held (a cart hold, an order awaiting payment, a waiting-list
offer). So it can only become sold out when an order is paid (``order_transition``) or a paid
order is moved into it (``order_move_to_slot``): those call ``sold_out_open_for_order``. Each
sell-out opens one ``SoldOutEpisode`` and sends one webhook; when tickets come back on sale
(``inventory_return``: refunds, cancellations, expiries; the ``capacity_added`` hook: more put
on sale) ``sold_out_close`` closes it, and the next sell-out is told again.

Two last orders paid at once: the opening locks the session row, so the second one waits for
the first to commit and then sees both paid (the first saw the second still awaiting payment
and opened nothing): one episode, one webhook. The session's ticket types are then read ``FOR
SHARE``, so a return of tickets under way is waited for instead of missed, and a return that
comes after waits for the commit and sees the episode to close.
"""

from typing import Any

from django.db import connection
from django.db.models import F
from django.utils import timezone

from events.models import CapacityPool, Session, TicketType
from eventum.rows import Statement, statements_run
from tickets.models import Order, OrderItem, Reservation
from tickets.soldout.models import SoldOutEpisode
from tickets.waitlist.models import WaitlistEntry
from tickets.webhooks import webhook_session_sold_out


def _types_share_locked(session_id: int) -> list[tuple[int, int, int]]:
    """The session's ticket types (id, quantity, taken), read under a share lock (PostgreSQL):
    a counter being changed is waited for, and no counter changes until the commit."""
    table = connection.ops.quote_name(TicketType._meta.db_table)
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, quantity, quantity_taken FROM {table} WHERE session_id = %s "
            f"ORDER BY id{lock}",
            [session_id],
        )
        return [(int(pk), int(quantity), int(taken)) for pk, quantity, taken in cursor.fetchall()]


def _only_sold(type_ids: list[int]) -> bool:
    """None of these types' taken tickets is merely held: no live cart hold, no ticket of an
    order awaiting payment, no waiting-list offer."""
    held = Reservation.objects.filter(
        ticket_type_id__in=type_ids, released_at__isnull=True, order__isnull=True
    )
    unpaid = OrderItem.objects.filter(
        ticket_type_id__in=type_ids,
        status=OrderItem.Status.VALID,
        order__status=Order.Status.PENDING,
    )
    offered = WaitlistEntry.objects.filter(
        ticket_type_id__in=type_ids, status=WaitlistEntry.Status.OFFERED
    )
    return not (held.exists() or unpaid.exists() or offered.exists())


def _all_out(types: list[tuple[int, int, int]]) -> bool:
    """Every one of these types (id, quantity, taken) is out: its counter is full or a shared
    place of it is gone."""
    if not types:
        return False
    left = [pk for pk, quantity, taken in types if taken < quantity]
    if not left:
        return True
    pooled_out = set(
        CapacityPool.objects.filter(ticket_types__in=left, taken__gte=F("capacity")).values_list(
            "ticket_types", flat=True
        )
    )
    return pooled_out >= set(left)


def _episode_open(session_id: int) -> None:
    # The session row first, then its types, as the seating's edits lock them. NO KEY UPDATE
    # (as there): openers of one session wait for each other, a buyer's foreign-key checks on
    # the row do not.
    session = (
        Session.objects.select_for_update(of=("self",), no_key=True)
        .select_related("event")
        .get(pk=session_id)
    )
    types = _types_share_locked(session_id)
    if not _all_out(types) or not _only_sold([pk for pk, _quantity, _taken in types]):
        return
    if SoldOutEpisode.objects.filter(session_id=session_id, closed_at__isnull=True).exists():
        return
    SoldOutEpisode.objects.create(session=session)
    webhook_session_sold_out(session)


def sold_out_of_order_statement(order_id: int) -> Statement:
    """The sessions of the order's valid tickets in which no type has a ticket left (its
    counter full or a place it shares gone), in id order. One statement written out: it runs
    for every paid order, and the ORM's subqueries cost more to build than to run. Sent alone
    or with the caller's statements (``statements_run``); its rows go to
    ``sold_out_open_for_order``."""
    quote = connection.ops.quote_name
    item, ticket_type = OrderItem._meta.db_table, TicketType._meta.db_table
    pool = CapacityPool._meta.db_table
    through = CapacityPool.ticket_types.through._meta
    pool_types = through.db_table
    of_pool = through.get_field("capacitypool").column
    of_type = through.get_field("tickettype").column
    return (
        f"SELECT DISTINCT ot.session_id FROM {quote(item)} oi "
        f"JOIN {quote(ticket_type)} ot ON ot.id = oi.ticket_type_id "
        "WHERE oi.order_id = %s AND oi.status = %s AND NOT EXISTS ("
        f"SELECT 1 FROM {quote(ticket_type)} t WHERE t.session_id = ot.session_id "
        "AND t.quantity_taken < t.quantity AND NOT EXISTS ("
        f"SELECT 1 FROM {quote(pool_types)} pt JOIN {quote(pool)} p ON p.id = pt.{of_pool} "
        f"WHERE pt.{of_type} = t.id AND p.taken >= p.capacity)) "
        "ORDER BY ot.session_id",
        [order_id, OrderItem.Status.VALID],
    )


def sold_out_open_for_order(*, order: Order, found: list[tuple[Any, ...]] | None = None) -> None:
    """The order was just paid, or its tickets moved to another time: each session of its
    tickets whose last ticket is now sold opens a sell-out episode and tells the webhooks
    (``event.sold_out``), once an episode. Inside the caller's transaction; when a type of
    the session still has tickets (nearly always) it costs one query, or none when the caller
    sent ``sold_out_of_order_statement`` with its own and passes its rows as ``found``."""
    if found is None:
        (found,) = statements_run(connection.alias, [sold_out_of_order_statement(order.pk)])
    # in id order: two orders lock shared sessions alike
    for (session_id,) in found:
        _episode_open(int(session_id))


def sold_out_close(*, ticket_type_ids: list[int]) -> int:
    """Tickets of these types are on sale again: the sell-out of their sessions is over (the
    next one is told again). Returns the number of episodes closed."""
    return SoldOutEpisode.objects.filter(
        session__ticket_types__in=ticket_type_ids, closed_at__isnull=True
    ).update(closed_at=timezone.now())
