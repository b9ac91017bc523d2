"""Reads of refunds: the rules in force for an event, what a return would give back now, and
the organizer's approval queue."""

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, QuerySet

from events.models import Event
from organizers.models import Organizer
from tickets.banktransfer.provider import BANK_TRANSFER
from tickets.models import Order, OrderItem, Payment
from tickets.refunds.models import RefundPolicy, RefundRequest, SessionMove
from tickets.refunds.rules import RefundQuote, RefundRules, refund_quote, rules_from_policy


def refund_rules_for_event(event: Event) -> RefundRules:
    """The event's own rules, or its category's default (one query)."""
    policy = RefundPolicy.objects.filter(event_id=event.pk).first()
    slug = event.category.slug if policy is None else ""
    return rules_from_policy(policy, category_slug=slug)


def refund_policy_of(event: Event) -> RefundPolicy | None:
    return RefundPolicy.objects.filter(event_id=event.pk).first()


def sessions_moved_at(session_ids: list[int]) -> dict[int, datetime]:
    """Session id → when it was last moved, for the sessions that were."""
    rows = (
        SessionMove.objects.filter(session_id__in=session_ids)
        .values("session_id")
        .annotate(last=Max("moved_at"))
        .order_by()
    )
    return {row["session_id"]: row["last"] for row in rows}


def order_refund_quote(
    *, order: Order, item_ids: list[int] | None = None, now: datetime | None = None
) -> RefundQuote:
    """What returning the order's valid tickets (or the chosen ones) gives back now under the
    event's rules. Tickets of an order that is not paid are not offered."""
    rules = refund_rules_for_event(order.event)
    if order.status != Order.Status.PAID:
        return RefundQuote(rules=rules)
    items = order.items.filter(status=OrderItem.Status.VALID)
    if item_ids is not None:
        items = items.filter(pk__in=item_ids)
    items_list = list(items.select_related("ticket_type__session").order_by("id"))
    moved = sessions_moved_at(sorted({i.ticket_type.session_id for i in items_list}))
    return refund_quote(rules=rules, items=items_list, moved_at=moved, now=now)


def refund_request_pending(*, order: Order) -> RefundRequest | None:
    return order.refund_requests.filter(status=RefundRequest.Status.PENDING).first()


def refund_requests_of_organizer(
    *, organizer: Organizer, status: str = RefundRequest.Status.PENDING
) -> QuerySet[RefundRequest]:
    """The organizer's refund requests with their orders, events and tickets (bounded
    queries for any number); ``by_transfer``: the order was paid by bank transfer."""
    paid_by_transfer = Payment.objects.filter(
        order=OuterRef("order"), provider=BANK_TRANSFER, status=Payment.Status.SUCCEEDED
    )
    return (
        RefundRequest.objects.filter(order__event__organizer=organizer, status=status)
        .annotate(by_transfer=Exists(paid_by_transfer))
        .select_related("order__event")
        .prefetch_related("items__ticket_type__session")
        .order_by("created_at", "id")
    )
