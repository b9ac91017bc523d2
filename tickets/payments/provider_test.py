"""The built-in test provider's page (approve or decline, no real money moves), once for the
portal (``tickets.views.buyer``) and the widget (``tickets.widget.views``)."""

from django.conf import settings

from organizers.models import Organizer
from tickets.models import Payment
from tickets.payments.services import payment_complete
from tickets.services.order_states import Actor


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
