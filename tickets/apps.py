from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets and orders")

    def ready(self) -> None:
        # Imported here, not at the top: models and services may only be imported once the
        # app registry is ready.
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from privacy.signals import (
            order_subject_lookup,
            subject_data_requested,
            subject_references_requested,
        )
        from tickets import hooks, receivers, subject_data

        hooks.hooks_register()
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
