"""Signals the catalogue sends so that other apps can act without events importing them.

``availability_read`` is sent with ``ticket_type_ids`` just before a page reads availability;
the tickets app listens and returns expired cart holds to sale first, so shown availability
never depends on the periodic clean-up task alone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.dispatch import Signal

availability_read = Signal()

# Sent inside the transaction that cancels an event, with ``event``: the tickets app cancels
# the event's orders, returns their tickets to sale and tells the buyers.
event_cancelled = Signal()

# Sent inside the transaction that blocks seats of a seated session, with ``session`` and
# ``seat_ids`` (seats not yet blocked): the tickets app claims them for the block, so a buyer
# holding the same seat at the same instant cannot also win; it raises ``LayoutError`` naming
# seats that are already held or sold.
seats_blocked = Signal()

# Sent inside the transaction that unblocks seats, with ``session`` and ``seat_ids``: the
# tickets app releases the seats' claims so they go back on sale.
seats_unblocked = Signal()

# Sent (a read: nothing may be written) when the cabinet asks what cancelling ``event`` would do,
# with ``event``. The tickets app answers with an ``EventCancelFigures``: the orders it would
# cancel or refund, their tickets and the money it would return, so the confirmation page states
# them before anything happens.
event_cancel_figures_requested = Signal()


@dataclass(frozen=True)
class EventCancelFigures:
    """What cancelling an event does to its orders."""

    orders: int = 0  # live orders (awaiting payment or paid) that are cancelled or refunded
    paid_orders: int = 0  # of them, paid ones whose money goes back to the buyer
    tickets: int = 0  # valid tickets of those orders that stop working
    refund_amount: Decimal = Decimal("0.00")  # money returned to buyers, KZT

    @property
    def fingerprint(self) -> str:
        """Carried by the confirmation form, so a change meanwhile is noticed."""
        return f"{self.orders}:{self.paid_orders}:{self.tickets}:{self.refund_amount}"

    def __add__(self, other: "EventCancelFigures") -> "EventCancelFigures":
        return EventCancelFigures(
            orders=self.orders + other.orders,
            paid_orders=self.paid_orders + other.paid_orders,
            tickets=self.tickets + other.tickets,
            refund_amount=self.refund_amount + other.refund_amount,
        )
