"""Payments: start one with a provider, record its outcome exactly once."""

from django.db import transaction
from django.utils import timezone

from tickets.errors import InvalidTransition, PaymentError
from tickets.models import Order, Payment
from tickets.payments import provider_for
from tickets.services.orders import Actor, order_mark_paid, order_risk_check


@transaction.atomic
def payment_start(*, order_id: int, provider_name: str, return_url: str = "") -> Payment:
    """Create a payment of the order's total with ``provider_name``; ``redirect_url`` is set."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != Order.Status.PENDING or order.total <= 0:
        raise InvalidTransition()
    if order.payment_due_at and order.payment_due_at <= timezone.now():
        raise InvalidTransition()
    try:
        provider = provider_for(provider_name)
    except KeyError as exc:
        raise PaymentError() from exc
    # A second click on "Pay" reuses the payment already started with this provider.
    started = (
        order.payments.filter(
            provider=provider.name, status=Payment.Status.CREATED, amount=order.total
        )
        .exclude(redirect_url="")
        .order_by("-created_at")
        .first()
    )
    if started is not None:
        return started
    payment = Payment.objects.create(
        order=order, provider=provider.name, amount=order.total, currency=order.currency
    )
    payment.redirect_url = provider.start(payment=payment, return_url=return_url)
    payment.save(update_fields=["redirect_url"])
    return payment


@transaction.atomic
def payment_complete(
    *,
    payment_id: int,
    succeeded: bool,
    actor: Actor,
    transaction_id: str | None = None,
    note: str = "",
) -> Payment:
    """Record the provider's answer. The same answer twice changes nothing the second time.

    A success marks the order paid (``order_mark_paid`` may raise ``SoldOut`` for a late
    payment of an expired order whose tickets are gone; the caller then refunds).
    """
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    if payment.status == Payment.Status.SUCCEEDED:
        return payment
    if not succeeded:
        if payment.status == Payment.Status.CREATED:
            payment.status = Payment.Status.FAILED
            payment.completed_at = timezone.now()
            payment.save(update_fields=["status", "completed_at"])
            order_risk_check(payment.order, event_kind="payment_failed")
        return payment
    if payment.order.payments.filter(status=Payment.Status.SUCCEEDED).exists():
        # Money arrived twice for one order: keep both on record and ask staff to refund one.
        Order.objects.filter(pk=payment.order_id).update(
            needs_review=True, review_reason="paid twice: refund one payment"
        )
    payment.status = Payment.Status.SUCCEEDED
    payment.completed_at = timezone.now()
    if transaction_id:
        payment.provider_transaction_id = transaction_id
    payment.save(update_fields=["status", "completed_at", "provider_transaction_id"])
    order = order_mark_paid(
        order_id=payment.order_id, actor=actor, note=note or f"{payment.provider}"
    )
    _ip_event(order, "payment_succeeded")
    return payment


def _ip_event(order: Order, kind: str) -> None:
    """Note a successful payment in privacy's per-IP log (it only flags on failures)."""
    try:
        from privacy.services import ip_event_record
    except ImportError:
        return
    if order.ip_address:
        ip_event_record(ip=order.ip_address, kind=kind, reference=order.code)
