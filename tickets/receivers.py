"""Signal receivers connected in ``TicketsConfig.ready``."""

from typing import Any

from tickets.services.inventory import reservations_release


def release_expired_on_availability_read(
    sender: Any, ticket_type_ids: list[int] | None = None, **kwargs: Any
) -> None:
    """Before a page shows availability, expired cart holds of those types go back on sale."""
    if ticket_type_ids:
        reservations_release(ticket_type_ids=ticket_type_ids, only_expired=True)


def cancel_orders_on_event_cancelled(sender: Any, event: Any = None, **kwargs: Any) -> None:
    """An event was cancelled: cancel or refund its orders and tell the buyers."""
    from tickets.services.orders import orders_cancel_for_event

    if event is not None:
        orders_cancel_for_event(event=event)
