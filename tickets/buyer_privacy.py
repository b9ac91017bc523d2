"""What of a buyer's personal data reaches someone other than the buyer, and the record of it.

Every tickets path that shows or hands over buyers' data to the organizer's team, staff, a
scanner or a partner goes through here: ``orders_shown_to_others`` asks privacy's guard once for
the rows (restricted buyers — blocked from the moment of their request, or having withdrawn
consent — come out masked), and ``buyers_disclosed`` writes the disclosure row for what was
shown unmasked.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.models import User

from privacy.services import (
    Subject,
    SubjectDisplay,
    SubjectGuard,
    disclosure_record,
    subjects_guard,
)
from tickets.models import MessageDelivery, Order
from tickets.order_search import OrderRow

T = TypeVar("T", bound=Order | OrderRow)


def orders_guard(orders: Iterable[Order | OrderRow]) -> SubjectGuard:
    """Privacy's guard for the buyers of these orders (a few queries for any number)."""
    return subjects_guard(Subject(email=o.email, phone=o.phone, user_id=o.user_id) for o in orders)


def order_shown(order: Order | OrderRow, guard: SubjectGuard) -> SubjectDisplay:
    return guard.display(
        name=order.full_name, email=order.email, phone=order.phone, user_id=order.user_id
    )


def orders_shown_to_others(orders: Iterable[T]) -> list[T]:
    """Set ``order.shown`` (name, e-mail, phone, ``masked``) as others may see each buyer."""
    orders = list(orders)
    guard = orders_guard(orders)
    for order in orders:
        order.shown = order_shown(order, guard)
    return orders


def deliveries_shown_to_others(deliveries: Iterable[MessageDelivery]) -> list[MessageDelivery]:
    """Set ``delivery.shown`` on message deliveries (known by e-mail only)."""
    deliveries = list(deliveries)
    guard = subjects_guard(Subject(email=d.email) for d in deliveries)
    for delivery in deliveries:
        delivery.shown = guard.display(email=delivery.email)
    return deliveries


def order_shown_to_buyer(order: T) -> T:
    """The buyer sees their own data as it is."""
    order.shown = SubjectDisplay(
        name=order.full_name, email=order.email, phone=order.phone, masked=False
    )
    return order


def buyers_disclosed(
    *,
    actor: User | str | None,
    recipient: str,
    orders: Iterable[Order | OrderRow | MessageDelivery],
    purpose: str,
    channel: str,
    fields: tuple[str, ...] | list[str] = ("name", "email"),
) -> None:
    """Record that these buyers' data (the unmasked ones among ``orders`` — orders or message
    deliveries, which carry ``email`` and ``shown``) reached ``recipient``."""
    subjects = [o.email for o in orders if not o.shown.masked]
    if subjects:
        disclosure_record(
            actor=actor,
            recipient=recipient,
            subjects=subjects,
            fields=list(fields),
            purpose=purpose,
            channel=channel,
        )


def organizer_recipient(organizer) -> str:
    return organizer.legal_name or organizer.public_name
