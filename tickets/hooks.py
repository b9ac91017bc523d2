"""The tickets side of ``events.hooks``: what cancelling an event or blocking seats does to
orders and seat claims. ``hooks_register`` runs once, from ``TicketsConfig.ready``."""

from events.hooks import EventCancelFigures, hook_register
from events.models import Event, Session
from tickets.seating.services import seats_block, seats_unblock
from tickets.selectors import event_cancel_figures
from tickets.services.order_lifecycle import orders_cancel_for_event


def event_cancelled(*, event: Event) -> None:
    """The event is being cancelled: cancel or refund its orders and tell the buyers."""
    orders_cancel_for_event(event=event)


def event_cancel_figures_for(*, event: Event) -> EventCancelFigures:
    """What cancelling ``event`` would do to its orders (a read)."""
    return event_cancel_figures(event_id=event.pk)


def seats_blocked(*, session: Session, seat_ids: list[int]) -> None:
    """The organizer blocks seats: they are claimed as blocked, or ``LayoutError`` says why
    not."""
    if seat_ids:
        seats_block(session_id=session.pk, seat_ids=seat_ids)


def seats_unblocked(*, session: Session, seat_ids: list[int]) -> None:
    """Unblocked seats go back on sale."""
    if seat_ids:
        seats_unblock(session_id=session.pk, seat_ids=seat_ids)


def hooks_register() -> None:
    hook_register("event_cancelled", event_cancelled)
    hook_register("event_cancel_figures", event_cancel_figures_for)
    hook_register("seats_blocked", seats_blocked)
    hook_register("seats_unblocked", seats_unblocked)
