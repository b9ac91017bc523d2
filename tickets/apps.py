from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets and orders")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from events.signals import (
            availability_read,
            event_cancel_figures_requested,
            event_cancelled,
            seats_blocked,
            seats_unblocked,
        )
        from privacy.signals import (
            order_subject_lookup,
            subject_data_requested,
            subject_references_requested,
        )
        from tickets import receivers, subject_data

        availability_read.connect(
            receivers.release_expired_on_availability_read,
            dispatch_uid="tickets.release_expired_on_availability_read",
        )
        event_cancelled.connect(
            receivers.cancel_orders_on_event_cancelled,
            dispatch_uid="tickets.cancel_orders_on_event_cancelled",
        )
        event_cancel_figures_requested.connect(
            receivers.cancel_figures_for_event,
            dispatch_uid="tickets.cancel_figures_for_event",
        )
        email_confirmed.connect(
            receivers.claim_orders_on_email_confirmed,
            dispatch_uid="tickets.claim_orders_on_email_confirmed",
        )
        user_logged_in.connect(
            receivers.claim_orders_on_login, dispatch_uid="tickets.claim_orders_on_login"
        )
        order_subject_lookup.connect(
            receivers.order_subject_for_privacy, dispatch_uid="tickets.order_subject_for_privacy"
        )
        subject_data_requested.connect(
            subject_data.subject_sections_for_privacy,
            dispatch_uid="tickets.subject_sections_for_privacy",
        )
        subject_references_requested.connect(
            subject_data.subject_references_for_privacy,
            dispatch_uid="tickets.subject_references_for_privacy",
        )
        seats_blocked.connect(
            receivers.claim_seats_on_seats_blocked,
            dispatch_uid="tickets.claim_seats_on_seats_blocked",
        )
        seats_unblocked.connect(
            receivers.release_seats_on_seats_unblocked,
            dispatch_uid="tickets.release_seats_on_seats_unblocked",
        )
