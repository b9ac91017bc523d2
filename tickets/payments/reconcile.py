"""Settling payments by asking their provider: after a notification that is only a hint
(Halyk's postLink), and periodically for payments stuck in "created" (a lost notification must
not leave a paid buyer without tickets). Every status answer is kept on record."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tickets.errors import TicketsError
from tickets.models import Order, Payment
from tickets.payments.base import BasePaymentProvider, ProviderState, ProviderStatus
from tickets.payments.notifications import notification_record
from tickets.payments.providers import provider_for
from tickets.payments.services import payment_complete
from tickets.services.order_states import Actor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettleOutcome:
    state: ProviderState
    text: str
    needs_review: bool = False


def payment_status_fetch(*, payment: Payment, provider: BasePaymentProvider) -> ProviderStatus:
    """The provider's status of ``payment``, kept on record (``kind="status"``)."""
    status = provider.status(payment=payment)
    notification_record(
        provider=provider.name,
        kind="status",
        data={
            "state": str(status.state),
            "amount": str(status.amount),
            "currency": status.currency,
            "answer": dict(status.raw),
        },
        signature_valid=True,
        outcome=f"status: {status.state}",
        order=payment.order,
        transaction_id=status.transaction_id,
    )
    return status


def _flag(order: Order, reason: str) -> None:
    Order.objects.filter(pk=order.pk).update(needs_review=True, review_reason=reason[:300])


def payment_settle(
    *, payment: Payment, provider: BasePaymentProvider, actor: Actor
) -> SettleOutcome:
    """Ask the provider about ``payment`` and apply the answer once: paid (with the right
    amount and currency, else the order is flagged for staff), failed, or nothing yet."""
    status = payment_status_fetch(payment=payment, provider=provider)
    if status.state == ProviderState.FAILED:
        payment_complete(payment_id=payment.pk, succeeded=False, actor=actor)
        return SettleOutcome(status.state, "failed")
    if status.state == ProviderState.PENDING:
        return SettleOutcome(status.state, "pending: nothing applied")
    if status.amount != payment.amount or status.currency.upper() != payment.currency:
        problem = f"{provider.name} paid {status.amount} {status.currency} != {payment.amount}"
        _flag(payment.order, f"{problem} {payment.currency}")
        return SettleOutcome(status.state, f"wrong amount or currency: {problem}", True)
    taken = bool(status.transaction_id) and (
        Payment.objects.filter(
            provider=provider.name, provider_transaction_id=status.transaction_id
        )
        .exclude(pk=payment.pk)
        .exists()
    )
    if payment.status == Payment.Status.SUCCEEDED or taken:
        return SettleOutcome(status.state, "duplicate: already applied")
    try:
        with transaction.atomic():
            payment_complete(
                payment_id=payment.pk,
                succeeded=True,
                transaction_id=status.transaction_id or None,
                actor=actor,
                note=f"{provider.name} {status.transaction_id}",
            )
    except IntegrityError:
        return SettleOutcome(status.state, "duplicate: already applied")
    return SettleOutcome(status.state, "paid")


def payments_reconcile(*, limit: int = 200) -> int:
    """Ask the providers about payments still "created" after
    ``PAYMENTS_RECONCILE_AFTER_MINUTES`` (up to ``PAYMENTS_RECONCILE_WITHIN_HOURS`` old) and
    settle them. One still unknown at its provider a day later is recorded as failed (the
    provider's payment form has long expired). Returns how many changed state."""
    now = timezone.now()
    after = now - timedelta(minutes=settings.PAYMENTS_RECONCILE_AFTER_MINUTES)
    within = now - timedelta(hours=settings.PAYMENTS_RECONCILE_WITHIN_HOURS)
    abandoned = now - timedelta(hours=settings.PAYMENTS_ABANDONED_AFTER_HOURS)
    stuck = (
        Payment.objects.select_related("order")
        .filter(status=Payment.Status.CREATED, created_at__lt=after, created_at__gte=within)
        .exclude(redirect_url="")
        .order_by("created_at")[:limit]
    )
    actor = Actor(label="system")
    changed = 0
    for payment in stuck:
        try:
            provider = provider_for(payment.provider)
            outcome = payment_settle(payment=payment, provider=provider, actor=actor)
        except KeyError:
            continue  # its provider is no longer installed: staff settle it by hand
        except TicketsError as exc:  # the provider did not answer: the next run asks again
            logger.warning("Payment %s: status not known: %s", payment.pk, exc.message)
            continue
        if outcome.state == ProviderState.PENDING and payment.created_at < abandoned:
            payment_complete(payment_id=payment.pk, succeeded=False, actor=actor)
            changed += 1
        elif outcome.state != ProviderState.PENDING and not outcome.needs_review:
            changed += 1
    return changed
