"""Signals the catalogue sends so that other apps can act without events importing them.

``availability_read`` is sent with ``ticket_type_ids`` just before a page reads availability;
the tickets app listens and returns expired cart holds to sale first, so shown availability
never depends on the periodic clean-up task alone.
"""

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
