"""The tickets side of ``events.hooks``: what cancelling an event or blocking seats does to
orders and seat claims. ``hooks_register`` runs once, from ``TicketsConfig.ready``."""

from datetime import datetime

from events.hooks import EventCancelFigures, hook_register
from events.models import Event, Session
from tickets.delivery.services import tickets_email_queue_session_moved
from tickets.refunds.services import session_move_record
from tickets.seating.services import seats_block, seats_unblock
from tickets.selectors import event_cancel_figures
from tickets.services.order_lifecycle import orders_cancel_for_event
from tickets.soldout.services import sold_out_close
from tickets.waitlist.services import waitlist_capacity_added
from tickets.waitroom.gate import sale_gate
from tickets.wallet.services import wallet_passes_changed


def event_cancelled(*, event: Event) -> None:
    """The event is being cancelled: cancel or refund its orders and tell the buyers."""
    orders_cancel_for_event(event=event)


def event_cancel_figures_for(*, event: Event) -> EventCancelFigures:
    """What cancelling ``event`` would do to its orders (a read)."""
    return event_cancel_figures(event_id=event.pk)


def session_moved(*, session: Session, old_starts_at: datetime) -> None:
    """The organizer moved the session: its ticket holders get their tickets again with the
    new time and a calendar entry that replaces the old one, and the passes in their phones'
    wallets change; for a while they may return them for the full price."""
    session_move_record(session=session, old_starts_at=old_starts_at)
    wallet_passes_changed(session_id=session.pk)
    tickets_email_queue_session_moved(session_id=session.pk)


def seats_blocked(*, session: Session, seat_ids: list[int]) -> None:
    """The organizer blocks seats: they are claimed as blocked, or ``LayoutError`` says why
    not."""
    if seat_ids:
        seats_block(session_id=session.pk, seat_ids=seat_ids)


def capacity_added(*, ticket_type_ids: list[int]) -> None:
    """The organizer put more tickets on sale: offers go to the waiting list at once, and a
    sell-out of their sessions is over."""
    sold_out_close(ticket_type_ids=ticket_type_ids)
    waitlist_capacity_added(ticket_type_ids=ticket_type_ids)


def seats_unblocked(*, session: Session, seat_ids: list[int]) -> None:
    """Unblocked seats go back on sale."""
    if seat_ids:
        seats_unblock(session_id=session.pk, seat_ids=seat_ids)


def hooks_register() -> None:
    hook_register("event_cancelled", event_cancelled)
    hook_register("event_cancel_figures", event_cancel_figures_for)
    hook_register("session_moved", session_moved)
    hook_register("seats_blocked", seats_blocked)
    hook_register("seats_unblocked", seats_unblocked)
    hook_register("capacity_added", capacity_added)
    hook_register("sale_gate", sale_gate)
