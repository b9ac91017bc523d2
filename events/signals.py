"""Signals the catalogue sends so that other apps can act without events importing them.

``availability_read`` is sent with ``ticket_type_ids`` just before a page reads availability;
the tickets app listens and returns expired cart holds to sale first, so shown availability
never depends on the periodic clean-up task alone.
"""

from django.dispatch import Signal

availability_read = Signal()
