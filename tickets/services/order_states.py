"""The order's state machine and what every move of an order shares.

pending → paid → refunded (or cancelled when nothing was paid), pending → cancelled,
pending → expired. Every move is one service call in one transaction, on a locked order row
(``order_lock``), and leaves an ``OrderLog`` entry (who, when, from → to): ``order_transition``.
The moves themselves are in ``order_creation`` (checkout), ``order_lifecycle`` (paid, expired,
cancelled, claimed) and ``order_refunds``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import router
from django.db.models import F
from django.utils import timezone

from eventum.rows import (
    RowQuery,
    Statement,
    instance_update,
    instance_update_statement,
    instances_insert_statements,
    instances_inserted,
    statements_run,
)
from privacy.services import ip_event_record_assessed
from tickets.companies.acts import closing_act_after_paid
from tickets.delivery.emails import email_order_changed
from tickets.delivery.services import tickets_deliver_after_paid
from tickets.errors import InvalidTransition
from tickets.models import Order, OrderItem, OrderLog, PromoCode
from tickets.reports.services.sales_summary import (
    sales_per_type_of,
    sales_per_type_statement,
    sales_summary_transition_statements,
)
from tickets.seating.services import seats_release_for_items
from tickets.services.inventory import inventory_return
from tickets.soldout.services import sold_out_of_order_statement, sold_out_open_for_order
from tickets.waitlist.services import waitlist_offer_for_types
from tickets.webhooks import webhook_order_moved

S = Order.Status
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.PAID, S.CANCELLED, S.EXPIRED},
    S.PAID: {S.REFUNDED, S.CANCELLED},
    S.EXPIRED: {S.PAID},  # a late payment for tickets that could be taken again
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}


@dataclass
class Actor:
    """Who does something to an order: a user, or a label such as ``system``."""

    user: User | None = None
    label: str = "system"
    extra: dict[str, Any] = field(default_factory=dict)


def order_transition(
    order: Order,
    to: str,
    *,
    actor: Actor,
    note: str = "",
    items: list[OrderItem] | None = None,
    counted: list[dict[str, Any]] | None = None,
    written_with: Sequence[Statement] = (),
) -> None:
    """Move a locked order to ``to`` and log it; raises ``InvalidTransition``.

    ``items``: every ticket of the order, when the caller holds them (a new order paid at
    once); ``counted``: its valid tickets per type, read with its lock (``order_lock_to_pay``).
    Either way the sales summary does not read them again. ``written_with``: the caller's
    writes, sent with the move's (what they return is not kept)."""
    if to not in TRANSITIONS[order.status]:
        raise InvalidTransition()
    previous = order.status
    order.status = to
    update = ["status", "updated_at"]
    if to == S.PAID:
        order.paid_at = timezone.now()
        update.append("paid_at")
    log = OrderLog(
        order=order,
        from_status=previous,
        to_status=to,
        actor=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        actor_label=actor.label,
        note=note[:300],
    )
    # the move, what it changes in the sales summary and its log: written together (one round
    # trip where the database takes several statements at once); a paid order also asks
    # whether it sold the last ticket of a session
    using = router.db_for_write(Order)
    paid = to == S.PAID
    *written, last = statements_run(
        using,
        [
            *written_with,
            instance_update_statement(order, update, using=using),
            *sales_summary_transition_statements(
                order, previous=previous, to=to, items=items, counted=counted
            ),
            *instances_insert_statements([log], using=using),
            *([sold_out_of_order_statement(order.pk)] if paid else []),
        ],
    )
    instances_inserted([log], written[-1] if paid else last, using=using)
    webhook_order_moved(order)  # order.paid / order.cancelled to the organizer's webhooks
    if paid:  # perhaps the last ticket of a session sold: event.sold_out, once
        sold_out_open_for_order(order=order, found=last)


# every move of an order reads it this way: built once, not by the ORM on each move; with its
# event and the event's organizer (whose settings a paid order's act of services depends on)
_ORDER_LOCKED = RowQuery(
    Order,
    related={"event": None, "event__organizer": None},
    where='{table}."id" = %s',
    lock=True,
)


def order_lock(order_id: int) -> Order:
    """The order row, locked for this transaction, with its event and organizer."""
    order = _ORDER_LOCKED.first(order_id)
    if order is None:
        raise Order.DoesNotExist(f"no order {order_id}")
    return order


def order_lock_to_pay(order_id: int) -> tuple[Order, list[dict[str, Any]]]:
    """``order_lock``, and the order's valid tickets counted per type for the sales summary
    (``order_transition``'s ``counted``), read with the lock: one round trip where the
    database takes several statements at once (every payment asks both)."""
    using = router.db_for_write(Order)
    locked, counted = statements_run(
        using,
        [
            _ORDER_LOCKED.statement(order_id, using=using),
            sales_per_type_statement(order_id, OrderItem.Status.VALID, using=using),
        ],
    )
    orders = _ORDER_LOCKED.built(locked, using=using)
    if not orders:
        raise Order.DoesNotExist(f"no order {order_id}")
    return orders[0], sales_per_type_of(counted)


def promo_give_back(order: Order) -> None:
    """The order no longer uses its promo code: one use goes back to the code."""
    if order.promo_code_id:
        PromoCode.objects.filter(pk=order.promo_code_id, times_used__gt=0).update(
            times_used=F("times_used") - 1
        )


def tickets_return(items: Iterable[OrderItem]) -> None:
    """Put the tickets of ``items`` (and their seats) back on sale; people on a waiting list
    for them get offers first."""
    items = list(items)
    seats_release_for_items(item_ids=[item.pk for item in items])
    per_type: dict[int, int] = {}
    for item in items:
        per_type[item.ticket_type_id] = per_type.get(item.ticket_type_id, 0) + 1
    for ticket_type_id in sorted(per_type):
        inventory_return(ticket_type_id=ticket_type_id, quantity=per_type[ticket_type_id])
    waitlist_offer_for_types(ticket_type_ids=sorted(per_type))


def order_risk_check(
    order: Order, *, event_kind: str, written_first: Sequence[Statement] = ()
) -> None:
    """Tell privacy about this order-flow event from the buyer's IP; flag the order if risky.

    ``written_first``: the caller's writes, sent first in the same round trip (alone when the
    order has no IP address)."""
    if not order.ip_address:
        if written_first:
            statements_run(router.db_for_write(Order), written_first)
        return
    risk = ip_event_record_assessed(
        ip=order.ip_address, kind=event_kind, reference=order.code, written_first=written_first
    )
    if risk.flagged and not order.needs_review:
        order.needs_review = True
        order.review_reason = "; ".join(risk.reasons)[:300]
        instance_update(order, ["needs_review", "review_reason", "updated_at"])


def order_paid_deliver(order: Order) -> None:
    """After commit: make the PDF tickets and e-mail the confirmation with them attached; a
    company order's act of services rendered when its organizer issues acts on payment."""
    tickets_deliver_after_paid(order)
    closing_act_after_paid(order)


def order_change_notify(order: Order, amount: Decimal | None = None) -> None:
    """E-mail the buyer (after commit) what happened to the order."""
    email_order_changed(order, refunded=amount)
