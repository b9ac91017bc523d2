"""The built-in test provider: a page of our own where the buyer approves or declines (no real
money moves), once for the portal (``tickets.views.buyer``) and the widget
(``tickets.widget.views``)."""

import secrets
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizers.models import Organizer
from tickets.models import Payment
from tickets.payments.base import (
    BasePaymentProvider,
    NotificationResult,
    PaymentStart,
    ProviderState,
    ProviderStatus,
)
from tickets.payments.services import payment_complete
from tickets.services.order_states import Actor


class ProviderForTesting(BasePaymentProvider):
    """The embedded default: a page of our own where the buyer approves or declines."""

    name = "test"
    label = _("Test payment (no real money)")
    logo = "tickets/payments/test.svg"
    recipient = "eventum (test provider)"
    processing_country = "KZ"
    personal_fields = ()  # a page of our own: nothing leaves the system
    in_widget = True

    def start(self, *, payment: Payment, return_url: str) -> PaymentStart:
        url = reverse("tickets:test_payment", kwargs={"public_id": payment.public_id})
        return PaymentStart(redirect_url=url)

    def notification_handle(
        self,
        *,
        kind: str,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str],
        ip: str | None,
        url: str,
    ) -> NotificationResult:
        # Its answers come from its own page (provider_test_decide), never as callbacks.
        return NotificationResult(404, "the test provider sends no notifications")

    def status(self, *, payment: Payment) -> ProviderStatus:
        state = {
            Payment.Status.SUCCEEDED: ProviderState.PAID,
            Payment.Status.FAILED: ProviderState.FAILED,
        }.get(Payment.Status(payment.status), ProviderState.PENDING)
        return ProviderStatus(state=state, amount=payment.amount, currency=payment.currency)

    def refund(self, *, payment: Payment, amount: Decimal) -> str:
        return f"test-refund-{secrets.token_hex(8)}"


def provider_test_payment(*, public_id: str, organizer: Organizer | None = None) -> Payment | None:
    """The test provider's payment ``public_id`` (of ``organizer``'s events, if given); ``None``
    when there is none or the test provider is not enabled."""
    if "test" not in settings.TICKETS_PAYMENT_PROVIDERS:
        return None
    payments = Payment.objects.select_related("order__event").filter(
        public_id=public_id, provider="test"
    )
    if organizer is not None:
        payments = payments.filter(order__event__organizer=organizer)
    return payments.first()


def provider_test_decide(*, payment: Payment, decision: str) -> bool:
    """Complete the payment as the page's button says: ``approve`` succeeds (with a made-up
    transaction id), anything else declines. Returns whether it was approved; raises what
    ``payment_complete`` raises (``TicketsError``)."""
    approved = decision == "approve"
    payment_complete(
        payment_id=payment.pk,
        succeeded=approved,
        transaction_id=f"test-{payment.public_id}" if approved else None,
        actor=Actor(label="test provider"),
    )
    return approved
