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
