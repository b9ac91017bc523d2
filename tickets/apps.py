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
        from tickets import hooks, receivers, subject_data, webhooks
        from tickets.cabinet_sections import cabinet_sections_register

        hooks.hooks_register()
        webhooks.webhooks_register()
        cabinet_sections_register()
        self._payment_providers_register()
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

    @staticmethod
    def _payment_providers_register() -> None:
        """The payment methods this app brings (another app may register its own)."""
        # Provider modules import models: only once the app registry is ready.
        from tickets.banktransfer.provider import BankTransferProvider
        from tickets.payments.cloudpayments import CloudPaymentsProvider
        from tickets.payments.freedompay import FreedomPayProvider
        from tickets.payments.halyk import HalykEpayProvider
        from tickets.payments.provider_test import ProviderForTesting
        from tickets.payments.providers import provider_register

        for provider_class in (
            ProviderForTesting,
            CloudPaymentsProvider,
            HalykEpayProvider,
            FreedomPayProvider,
            BankTransferProvider,
        ):
            provider_register(provider_class)
