"""Orders after checkout: paid, expired, cancelled (with their event), claimed by an account.

Every move is one transaction on the locked order row and leaves an ``OrderLog`` entry; the
state machine is ``order_states``, refunds are ``order_refunds``.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import router, transaction
from django.utils import timezone

from events.models import Event
from eventum.rows import Statement, statements_run
from tickets.delivery.emails import email_event_cancelled
from tickets.errors import InvalidTransition, RefundError
from tickets.models import Order, OrderItem
from tickets.seating.services import seats_reclaim_for_order
from tickets.services.inventory import inventory_take_or_release_expired
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import (
    Actor,
    S,
    order_change_notify,
    order_lock,
    order_lock_to_pay,
    order_paid_deliver,
    order_transition,
    promo_give_back,
    tickets_return,
)


def order_mark_paid(
    *,
    order_id: int,
    actor: Actor,
    note: str = "",
    written_with: Callable[[Order], Sequence[Statement]] | None = None,
) -> Order:
    """Record that the order is paid. Paying a paid order again changes nothing.

    A late payment of an expired order takes its tickets again if they are still free;
    otherwise ``SoldOut`` is raised and the caller must refund the money. Either error
    (``SoldOut``, or ``InvalidTransition`` for a cancelled order) leaves nothing written, so a
    caller's transaction (a payment's completion) goes on without a savepoint around this:
    only the taking again has one. Called outside a transaction, it makes its own.

    ``written_with``: the caller's writes for the paid order (given the order as locked), sent
    with the move's; alone when the order was paid already, never when an error is raised.
    """
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return order_mark_paid(
                order_id=order_id, actor=actor, note=note, written_with=written_with
            )
    order, counted = order_lock_to_pay(order_id)
    also = written_with(order) if written_with is not None else ()
    if order.status == S.PAID:
        if also:
            statements_run(router.db_for_write(Order), also)
        return order
    if order.status == S.EXPIRED:
        _tickets_take_again(order)  # the same tickets, valid still: counted as read
    # checks the move before writing
    order_transition(order, S.PAID, actor=actor, note=note, counted=counted, written_with=also)
    order_paid_deliver(order)
    return order


@transaction.atomic  # a savepoint: a type sold out gives back the types taken before it
def _tickets_take_again(order: Order) -> None:
    """The valid tickets of an expired order taken again, type by type, and its seats;
    ``SoldOut`` when a type has not enough left."""
    items = list(order.items.filter(status=OrderItem.Status.VALID))
    per_type: dict[int, int] = {}
    for item in items:
        per_type[item.ticket_type_id] = per_type.get(item.ticket_type_id, 0) + 1
    for ticket_type_id in sorted(per_type):
        inventory_take_or_release_expired(
            ticket_type_id=ticket_type_id, quantity=per_type[ticket_type_id]
        )
    seats_reclaim_for_order(order=order)


@transaction.atomic
def order_expire(*, order_id: int, now: datetime | None = None) -> bool:
    """Expire an unpaid order whose payment time is over; its tickets go back on sale."""
    order = order_lock(order_id)
    now = now or timezone.now()
    if order.status != S.PENDING or order.payment_due_at is None or order.payment_due_at > now:
        return False
    order_transition(order, S.EXPIRED, actor=Actor(label="system"), note="payment time is over")
    tickets_return(order.items.filter(status=OrderItem.Status.VALID))
    promo_give_back(order)
    return True


def orders_expire_overdue() -> int:
    """Expire every pending order past its payment time (each in its own transaction)."""
    due = Order.objects.filter(status=S.PENDING, payment_due_at__lte=timezone.now())
    return sum(order_expire(order_id=pk) for pk in due.values_list("pk", flat=True))


@transaction.atomic
def order_cancel(
    *, order_id: int, actor: Actor, reason: str = "", notify_buyer: bool = False
) -> Order:
    """Cancel an order: an unpaid or free one is cancelled, a paid one is refunded in full.

    ``notify_buyer`` e-mails the buyer (after commit) what happened to the order.
    """
    order = order_lock(order_id)
    if order.status == S.PENDING or (order.status == S.PAID and order.total == 0):
        valid = list(order.items.filter(status=OrderItem.Status.VALID))
        OrderItem.objects.filter(pk__in=[i.pk for i in valid]).update(
            status=OrderItem.Status.CANCELLED
        )
        tickets_return(valid)
        if order.status == S.PENDING:
            promo_give_back(order)
        order_transition(order, S.CANCELLED, actor=actor, note=reason)
        if notify_buyer:
            order_change_notify(order)
        return order
    if order.status == S.PAID:
        return order_refund(
            order_id=order.pk, actor=actor, reason=reason, notify_buyer=notify_buyer
        )
    raise InvalidTransition()


def orders_cancel_for_event(*, event: Event) -> int:
    """Cancel (or refund) every live order of a cancelled event and e-mail its buyers.

    Runs inside the event-cancel transaction. A refund the provider refuses leaves that order
    paid and flagged for review instead of undoing the cancellation.
    """
    done = 0
    orders = Order.objects.filter(event=event, status__in=[S.PENDING, S.PAID]).order_by("pk")
    actor = Actor(label="event cancelled")
    for order_id in list(orders.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                order = order_cancel(order_id=order_id, actor=actor, reason="event cancelled")
        except (RefundError, InvalidTransition) as exc:
            Order.objects.filter(pk=order_id).update(
                needs_review=True, review_reason=f"event cancelled, refund failed: {exc}"[:300]
            )
            continue
        email_event_cancelled(order)
        done += 1
    return done


@transaction.atomic
def orders_claim_for_user(*, user: User, email: str) -> int:
    """Attach guest orders placed with ``email`` to the user who just verified that address."""
    email = (email or "").strip().lower()
    if not email:
        return 0
    return Order.objects.filter(user__isnull=True, email=email).update(user=user)
