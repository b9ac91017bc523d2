from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets and orders")

    def ready(self) -> None:
        from events.signals import availability_read, event_cancelled
        from tickets import receivers

        availability_read.connect(
            receivers.release_expired_on_availability_read,
            dispatch_uid="tickets.release_expired_on_availability_read",
        )
        event_cancelled.connect(
            receivers.cancel_orders_on_event_cancelled,
            dispatch_uid="tickets.cancel_orders_on_event_cancelled",
        )
