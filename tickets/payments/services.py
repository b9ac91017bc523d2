"""Payments: start one with a provider, record its outcome exactly once.

A payment that arrives after its order expired takes the tickets again when they are still
free; when they are gone, the money is recorded and at once refunded through the provider,
and the buyer is told why (``payment_refund_late``).
"""

import logging
from collections.abc import Mapping
from decimal import Decimal

from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventum.rows import RowQuery, Statement, instances_inserted, statements_run
from organizers.models import Organizer
from privacy.services import disclosure_record, ip_event_statements
from tickets.delivery.emails import email_late_payment_refunded
from tickets.errors import InvalidTransition, PaymentError, RefundError, SoldOut
from tickets.models import Order, OrderLog, Payment, PaymentMethodSetting, Refund
from tickets.payments.base import BasePaymentProvider
from tickets.payments.providers import provider_for
from tickets.payments.selectors import payment_arrived_statements, payment_succeed_statements
from tickets.services.order_lifecycle import order_mark_paid
from tickets.services.order_states import Actor, order_risk_check

logger = logging.getLogger(__name__)

LATE_REFUND_REASON = "paid after the order expired; its tickets were sold meanwhile"


@transaction.atomic
def payment_start(*, order_id: int, provider_name: str, return_url: str = "") -> Payment:
    """Create a payment of the order's total with ``provider_name``; ``redirect_url`` is set."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != Order.Status.PENDING or order.total <= 0:
        raise InvalidTransition()
    if order.payment_due_at and order.payment_due_at <= timezone.now():
        raise InvalidTransition()
    # Which methods a buyer may pick is the pages' question (the organizer's choice); here any
    # registered provider that takes the order's currency.
    try:
        provider = provider_for(provider_name)
    except KeyError as exc:
        raise PaymentError() from exc
    if not provider.accepts(order.currency):
        raise PaymentError()
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
    started_with = provider.start(payment=payment, return_url=return_url)
    payment.redirect_url = started_with.redirect_url
    payment.provider_reference = started_with.reference
    payment.provider_data = {**started_with.data, "widget": started_with.widget}
    payment.save(update_fields=["redirect_url", "provider_reference", "provider_data"])
    _provider_disclosed(provider, order)
    return payment


def _provider_disclosed(provider: BasePaymentProvider, order: Order) -> None:
    """The buyer's data sent to the payment provider, to whom and to which country."""
    if not provider.personal_fields:
        return
    disclosure_record(
        actor=f"payment:{provider.name}",
        recipient=f"{provider.recipient} ({provider.processing_country})",
        subjects=[order.email],
        fields=list(provider.personal_fields),
        purpose=f"Payment of order {order.code}",
        channel="payment",
    )


# the payment an answer is about, locked: built once (every provider's answer reads it)
_PAYMENT_LOCKED = RowQuery(Payment, where='{table}."id" = %s', lock=True)


@transaction.atomic(savepoint=False)  # a caller that catches its errors has its own block
def payment_complete(
    *,
    payment_id: int,
    succeeded: bool,
    actor: Actor,
    transaction_id: str | None = None,
    note: str = "",
) -> Payment:
    """Record the provider's answer. The same answer twice changes nothing the second time.

    A success marks the order paid. A late payment of an expired order whose tickets are gone
    is kept on record and refunded at once (``payment_refund_late``); the order stays expired.
    """
    payment = _PAYMENT_LOCKED.first(payment_id)
    if payment is None:
        raise Payment.DoesNotExist(f"no payment {payment_id}")
    if payment.status == Payment.Status.SUCCEEDED:
        return payment
    if not succeeded:
        if payment.status == Payment.Status.CREATED:
            payment.status = Payment.Status.FAILED
            payment.completed_at = timezone.now()
            payment.save(update_fields=["status", "completed_at"])
            order_risk_check(payment.order, event_kind="payment_failed")
        return payment
    payment.status = Payment.Status.SUCCEEDED
    payment.completed_at = timezone.now()
    if transaction_id:
        payment.provider_transaction_id = transaction_id
    using = router.db_for_write(Payment)
    _updated, paid_before = statements_run(using, payment_succeed_statements(payment, using=using))
    return _payment_succeeded(payment, paid_twice=bool(paid_before), actor=actor, note=note)


@transaction.atomic(savepoint=False)  # a caller that catches its errors has its own block
def payment_arrived(
    *, order: Order, provider: str, transaction_id: str, actor: Actor, note: str = ""
) -> Payment:
    """Record a payment of the order's total that succeeded with no payment of ours started
    for it (the provider's form was opened elsewhere, or the started one already failed): it
    is written succeeded at once, then marks the order paid as ``payment_complete``'s success
    does. A twin notification that wrote the same transaction first makes the insert fail on
    the unique transaction id (``IntegrityError``, for the caller's transaction)."""
    payment = Payment(
        order=order,
        provider=provider,
        amount=order.total,
        currency=order.currency,
        status=Payment.Status.SUCCEEDED,
        completed_at=timezone.now(),
        provider_transaction_id=transaction_id,
    )
    using = router.db_for_write(Payment)
    paid_before, inserted = statements_run(using, payment_arrived_statements(payment, using=using))
    instances_inserted([payment], inserted, using=using)
    return _payment_succeeded(payment, paid_twice=bool(paid_before), actor=actor, note=note)


def _payment_succeeded(payment: Payment, *, paid_twice: bool, actor: Actor, note: str) -> Payment:
    """A payment written as succeeded: its order marked paid (or, expired with its tickets
    gone or cancelled, the money given back); ``paid_twice``: another payment of the order
    succeeded before it."""
    if paid_twice:
        # Money arrived twice for one order: keep both on record and ask staff to refund one.
        Order.objects.filter(pk=payment.order_id).update(
            needs_review=True, review_reason="paid twice: refund one payment"
        )
    try:
        order = order_mark_paid(
            order_id=payment.order_id,
            actor=actor,
            note=note or f"{payment.provider}",
            written_with=_paid_ip_event,
        )
    except (SoldOut, InvalidTransition):
        # Expired with its tickets gone, or cancelled: order_mark_paid rolled its savepoint
        # back, nothing was taken; the money goes back.
        payment_refund_late(payment=payment, actor=actor)
        return payment
    payment.order = order  # as it is now (paid): the caller's answer needs no second read
    return payment


def payment_refund_late(*, payment: Payment, actor: Actor) -> Refund | None:
    """Give back a payment for an expired order whose tickets were sold meanwhile (or for
    an order cancelled before the money arrived).

    Runs inside ``payment_complete``'s transaction. The refund goes through the payment's
    provider; the buyer gets an e-mail (after commit) saying the money is on its way back.
    If the provider refuses, the order is flagged for staff to refund by hand instead.
    Returns the refund, or ``None`` when it could not be made.
    """
    order = Order.objects.select_for_update(of=("self",)).get(pk=payment.order_id)
    if Refund.objects.filter(payment=payment).exists():
        return None
    try:
        provider_refund_id = provider_for(payment.provider).refund(
            payment=payment, amount=payment.amount
        )
    except (RefundError, KeyError) as exc:
        reason = getattr(exc, "message", exc)
        Order.objects.filter(pk=order.pk).update(
            needs_review=True,
            review_reason=f"paid after expiry, tickets sold out; refund failed: {reason}"[:300],
        )
        logger.warning("Late payment %s of order %s not refunded: %s", payment.pk, order, reason)
        return None
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        amount=payment.amount,
        reason=LATE_REFUND_REASON,
        provider_refund_id=provider_refund_id or None,
    )
    order.refunded_amount = min(order.total, order.refunded_amount + payment.amount)
    order.save(update_fields=["refunded_amount", "updated_at"])
    OrderLog.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        actor=actor.user if actor.user is not None and actor.user.is_authenticated else None,
        actor_label=actor.label,
        note=f"late payment of {payment.amount} refunded: {order.status}, no tickets"[:300],
    )
    email_late_payment_refunded(
        order, amount=Decimal(payment.amount), expired=order.status == Order.Status.EXPIRED
    )
    return refund


def _paid_ip_event(order: Order) -> list[Statement]:
    """A successful payment noted in privacy's per-IP log (it only flags on failures), written
    with the order's move to paid."""
    return ip_event_statements(
        ip=order.ip_address or "", kind="payment_succeeded", reference=order.code
    )


class NoPaymentMethod(PaymentError):
    default_message = _("Keep at least one payment method switched on, or buyers cannot pay.")


@transaction.atomic
def payment_methods_save(
    *, organizer: Organizer, choices: Mapping[str, tuple[bool, int]]
) -> list[PaymentMethodSetting]:
    """Store the organizer's choice per provider name: (offered, position). Raises
    ``NoPaymentMethod`` when none would be offered."""
    if not any(enabled for enabled, _position in choices.values()):
        raise NoPaymentMethod()
    rows = []
    for provider, (enabled, position) in choices.items():
        row, _created = PaymentMethodSetting.objects.update_or_create(
            organizer=organizer,
            provider=provider,
            defaults={"enabled": enabled, "position": position},
        )
        rows.append(row)
    return rows
