"""Bank transfer as a payment method of the registry.

No provider sits behind it: the buyer gets the organizer's bank details on the order page, the
organizer's accountant records the money (by hand or from the bank statement), and money goes
back by the organizer's own transfer. So ``start`` only points at the order page, ``status``
has nothing to ask, and ``refund`` refuses: a refund of a bank-transfer order is recorded as a
transfer (``services.bank_transfer_return_record``), never sent to a card provider.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tickets.banktransfer.errors import ReturnByTransferOnly
from tickets.models import Payment
from tickets.payments.base import (
    BasePaymentProvider,
    NotificationResult,
    PaymentStart,
    ProviderState,
    ProviderStatus,
)

BANK_TRANSFER = "bank_transfer"


class BankTransferProvider(BasePaymentProvider):
    name = BANK_TRANSFER
    label = _("Bank transfer against an invoice (for organisations)")
    logo = "tickets/payments/bank-transfer.svg"
    recipient = "the organizer (bank transfer)"
    processing_country = "KZ"
    personal_fields = ()  # the buyer's bank sends the money; nothing leaves the portal
    in_widget = False

    def start(self, *, payment: Payment, return_url: str) -> PaymentStart:
        return PaymentStart(redirect_url=payment.order.get_absolute_url())

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
        return NotificationResult(404, "bank transfers send no notifications")

    def status(self, *, payment: Payment) -> ProviderStatus:
        state = {
            Payment.Status.SUCCEEDED: ProviderState.PAID,
            Payment.Status.FAILED: ProviderState.FAILED,
        }.get(Payment.Status(payment.status), ProviderState.PENDING)
        return ProviderStatus(state=state, amount=payment.amount, currency=payment.currency)

    def refund(self, *, payment: Payment, amount: Decimal) -> str:
        raise ReturnByTransferOnly()
