"""Payment providers behind one small interface.

A provider turns a ``Payment`` into a page the buyer is sent to (``start``) and returns money
(``refund``). Results come back through the provider's callbacks, handled in its module.
"""

from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tickets.models import Payment
from tickets.payments.cloudpayments import CloudPaymentsProvider


class PaymentProvider(Protocol):
    name: str
    label: str
    # Who receives the buyer's data when a payment starts, in which country, and which fields:
    # every start writes a row in privacy's disclosure log (none when nothing personal is sent).
    recipient: str
    recipient_country: str
    personal_fields: tuple[str, ...]

    def start(self, *, payment: Payment, return_url: str) -> str:
        """Prepare the payment with the provider; the URL to send the buyer to."""

    def refund(self, *, payment: Payment, amount: Decimal) -> str:
        """Return ``amount`` of ``payment``; the provider's id of the refund."""


class TestProvider:
    """The embedded default: a page of our own where the buyer approves or declines."""

    name = "test"
    label = _("Test payment (no real money)")
    recipient = "eventum (test provider)"
    recipient_country = "KZ"
    personal_fields: tuple[str, ...] = ()  # a page of our own: nothing leaves the system

    def start(self, *, payment: Payment, return_url: str) -> str:
        from django.urls import reverse

        return reverse("tickets:test_payment", kwargs={"public_id": payment.public_id})

    def refund(self, *, payment: Payment, amount: Decimal) -> str:
        import secrets

        return f"test-refund-{secrets.token_hex(8)}"


# Every provider, by the name settings and payments use; the core asks this registry only.
PROVIDERS: dict[str, type[PaymentProvider]] = {
    "test": TestProvider,
    "cloudpayments": CloudPaymentsProvider,
}


def provider_for(name: str) -> PaymentProvider:
    """The provider registered as ``name`` (``KeyError`` for an unknown one)."""
    return PROVIDERS[name]()


def providers_enabled() -> list[PaymentProvider]:
    return [provider_for(name) for name in settings.TICKETS_PAYMENT_PROVIDERS]
