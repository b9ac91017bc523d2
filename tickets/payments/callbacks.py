"""CloudPayments notifications: verify, check, apply once, and keep an audit entry of each.

Notifications may come twice, out of order or late; each case ends consistent:

* the same Pay or Refund twice: applied once (their transaction ids are unique);
* Pay after Fail: the failed attempt stays failed, the new transaction pays the order;
  Fail after Pay: changes nothing (only a started payment can fail);
* Refund before its Pay: both are recorded, a pending order is cancelled and the late Pay
  is then a duplicate;
* a Refund of a payment we have no record of, for an order that was paid (or has another
  payment on record), or for no order we know: nothing is recorded as paid or refunded; the
  notification is flagged for staff review (admin filter, order history) and answered
  ``{"code": 0}`` so that CloudPayments does not send it again and again;
* Pay after the order expired: the tickets are taken again if free, else the money is
  refunded at once and the buyer told (``payment_refund_late``);
* a wrong amount or currency: not applied, the order is flagged for review; a bad signature:
  refused (403) and only audited.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from tickets.errors import TicketsError
from tickets.models import Order, OrderLog, Payment, PaymentNotification, Refund
from tickets.payments import cloudpayments as cp
from tickets.payments.notifications import notification_record
from tickets.payments.selectors import ORDER_BY_CODE, pay_notification_reads
from tickets.payments.services import payment_arrived, payment_complete
from tickets.services.order_lifecycle import order_cancel
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor

PROVIDER = "cloudpayments"
_DUPLICATE = "duplicate: already applied"
KINDS = ("check", "pay", "fail", "refund")


@dataclass
class CallbackResult:
    http_status: int
    code: int | None
    outcome: str
    order: Order | None = None
    needs_review: bool = False  # the notification is kept for staff to look at

    @property
    def body(self) -> dict:
        return {"code": self.code} if self.code is not None else {"message": self.outcome}


def _code(data: Mapping) -> str:
    return str(data.get("InvoiceId", "")).strip().upper()


def _order(data: Mapping) -> Order | None:
    code = _code(data)
    return ORDER_BY_CODE.first(code) if code else None


def _matches(order: Order, data: Mapping) -> str:
    """An empty string when the amount and currency are the order's; else what is wrong."""
    amount = cp.amount_of(data)
    if amount is None or amount != order.total:
        return f"amount {data.get('Amount')!r} != {order.total}"
    if str(data.get("Currency", "")).upper() != order.currency:
        return f"currency {data.get('Currency')!r} != {order.currency}"
    return ""


def _check(data: Mapping) -> CallbackResult:
    order = _order(data)
    if order is None:
        return CallbackResult(200, cp.CODE_BAD_INVOICE, "unknown invoice")
    problem = _matches(order, data)
    if problem:
        return CallbackResult(200, cp.CODE_BAD_AMOUNT, problem, order)
    if order.status != Order.Status.PENDING:
        return CallbackResult(200, cp.CODE_REJECTED, f"order is {order.status}", order)
    return CallbackResult(200, cp.CODE_OK, "payable", order)


def _pay(data: Mapping) -> CallbackResult:
    code = _code(data)
    transaction_id = str(data.get("TransactionId", "")).strip()
    if not code or not transaction_id:
        return CallbackResult(200, cp.CODE_BAD_INVOICE, "unknown invoice or transaction", None)
    reads = pay_notification_reads(
        order_code=code, provider=PROVIDER, transaction_id=transaction_id
    )
    order = reads.order
    if order is None:
        return CallbackResult(200, cp.CODE_BAD_INVOICE, "unknown invoice or transaction", None)
    if reads.transaction_known:
        return CallbackResult(200, cp.CODE_OK, _DUPLICATE, order)
    problem = _matches(order, data)
    if problem:
        Order.objects.filter(pk=order.pk).update(
            needs_review=True, review_reason=f"CloudPayments paid {problem}"[:300]
        )
        return CallbackResult(200, cp.CODE_BAD_AMOUNT, problem, order)
    # the order's latest started CloudPayments payment completed, or a new one written
    # succeeded; a twin notification that paid with the same transaction meanwhile makes the
    # payment's write fail on its unique transaction id (``IntegrityError``: see
    # ``cloudpayments_notification_handle``)
    actor, note = Actor(label="cloudpayments"), f"CloudPayments {transaction_id}"
    if reads.payment_started is not None:
        payment = payment_complete(
            payment_id=reads.payment_started,
            succeeded=True,
            transaction_id=transaction_id,
            actor=actor,
            note=note,
        )
    else:
        payment = payment_arrived(
            order=order, provider=PROVIDER, transaction_id=transaction_id, actor=actor, note=note
        )
    # all the answer needs; a payment that paid the order carries it as it is now, else the
    # order is read again
    order.status = payment.order.status
    if order.status == Order.Status.PAID:
        return CallbackResult(200, cp.CODE_OK, "paid", order)
    # A late payment whose tickets were gone: payment_complete refunded it (or flagged it).
    if Refund.objects.filter(payment=payment).exists():
        return CallbackResult(200, cp.CODE_OK, "paid after expiry, tickets gone: refunded", order)
    return CallbackResult(200, cp.CODE_OK, "paid after expiry, refund failed: flagged", order)


def _fail(data: Mapping) -> CallbackResult:
    order = _order(data)
    if order is None:
        return CallbackResult(200, cp.CODE_OK, "unknown invoice", None)
    payment = order.payments.filter(provider=PROVIDER, status=Payment.Status.CREATED).first()
    if payment is not None:
        payment_complete(payment_id=payment.pk, succeeded=False, actor=Actor(label=PROVIDER))
    return CallbackResult(200, cp.CODE_OK, f"failed: {data.get('Reason', '')}"[:200], order)


def _refund(data: Mapping) -> CallbackResult:
    refund_id = str(data.get("TransactionId", "")).strip()
    original = str(data.get("PaymentTransactionId", "")).strip()
    payment = (
        Payment.objects.select_related("order")
        .filter(provider=PROVIDER, provider_transaction_id=original)
        .first()
    )
    if payment is None:
        return _refund_of_unknown_payment(data, refund_id=refund_id, original=original)
    if not refund_id:
        return _flag_refund(data, payment.order, "refund without its TransactionId")
    order = payment.order
    if Refund.objects.filter(payment=payment, provider_refund_id=refund_id).exists():
        return CallbackResult(200, cp.CODE_OK, "duplicate: refund already recorded", order)
    amount = cp.amount_of(data)
    remaining = order.total - order.refunded_amount
    if order.status != Order.Status.PAID or amount != remaining:
        Order.objects.filter(pk=order.pk).update(
            needs_review=True,
            review_reason=f"CloudPayments refund {refund_id} of {amount} needs a manual match",
        )
        return CallbackResult(200, cp.CODE_OK, "refund flagged for review", order, True)
    try:
        order_refund(
            order_id=order.pk,
            actor=Actor(label=PROVIDER),
            reason="refunded in CloudPayments",
            external_refund_id=refund_id,
        )
    except TicketsError as exc:
        return CallbackResult(200, cp.CODE_OK, f"refund not applied: {exc}", order)
    return CallbackResult(200, cp.CODE_OK, "refunded", order)


def _awaits_its_payment(order: Order) -> bool:
    """Could an unknown payment be this order's own, its Pay notification late or lost?

    Only while nothing paid for the order: it is pending, or it expired or was cancelled
    unpaid. A paid (or refunded) order, or one with a payment on record, was paid by another
    transaction, so a refund of an unknown one is not this order's to apply.
    """
    unpaid = (Order.Status.PENDING, Order.Status.EXPIRED, Order.Status.CANCELLED)
    return (
        order.status in unpaid
        and not order.payments.filter(status=Payment.Status.SUCCEEDED).exists()
    )


def _refund_of_unknown_payment(data: Mapping, *, refund_id: str, original: str) -> CallbackResult:
    order = _order(data)
    if order is not None:
        order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    amount = cp.amount_of(data)
    if not refund_id or not original or amount is None or amount <= 0 or order is None:
        return _flag_refund(data, order, "refund of an unknown payment")
    if not _awaits_its_payment(order):
        return _flag_refund(
            data, order, f"refund of payment {original}, which this order never had"
        )
    return _refund_before_pay(order, amount=amount, refund_id=refund_id, original=original)


def _flag_refund(data: Mapping, order: Order | None, problem: str) -> CallbackResult:
    """Record nothing as paid or refunded; flag the notification (and its order) for staff.

    A signed refund that matches none of our payments means money moved in a way we cannot
    explain (a second charge, a refund made in the wrong shop, a mistyped invoice): a person
    has to look at it. The same notification sent again is not flagged twice.
    """
    refund_id = str(data.get("TransactionId", "")).strip()[:64]
    amount = data.get("Amount", "")
    reason = f"CloudPayments refund {refund_id or '?'} of {amount}: {problem}; nothing recorded"
    already = (
        bool(refund_id)
        and PaymentNotification.objects.flagged()
        .filter(provider=PROVIDER, kind="refund", transaction_id=refund_id)
        .exists()
    )
    if already:
        return CallbackResult(200, cp.CODE_OK, f"duplicate: {problem}, already flagged", order)
    if order is not None:
        Order.objects.filter(pk=order.pk).update(needs_review=True, review_reason=reason[:300])
        OrderLog.objects.create(
            order=order,
            from_status=order.status,
            to_status=order.status,
            actor_label=PROVIDER,
            note=f"{reason}, flagged for staff review"[:300],
        )
    return CallbackResult(200, cp.CODE_OK, f"{problem}: flagged for review", order, True)


def _refund_before_pay(
    order: Order, *, amount: Decimal, refund_id: str, original: str
) -> CallbackResult:
    """The refund of a payment we never heard of (its Pay notification is late or lost) for an
    order that nothing paid yet (``order`` is locked by the caller).

    The payment and its refund are both recorded, so the late Pay is a duplicate and sells
    nothing; a pending order is cancelled (its tickets go back on sale), since its money has
    come and gone.
    """
    amount = min(amount, order.total)
    payment = Payment.objects.create(
        order=order,
        provider=PROVIDER,
        amount=amount,
        currency=order.currency,
        status=Payment.Status.SUCCEEDED,
        provider_transaction_id=original,
        completed_at=timezone.now(),
    )
    Refund.objects.create(
        order=order,
        payment=payment,
        amount=amount,
        reason="refunded in CloudPayments before its payment was reported",
        provider_refund_id=refund_id,
    )
    if order.status == Order.Status.PENDING:
        order_cancel(
            order_id=order.pk,
            actor=Actor(label=PROVIDER),
            reason=f"payment {original} refunded before it was reported",
        )
        order.refresh_from_db()
    if order.status != Order.Status.PAID:
        order.refunded_amount = min(order.total, order.refunded_amount + amount)
        order.save(update_fields=["refunded_amount", "updated_at"])
    return CallbackResult(200, cp.CODE_OK, "refund before its payment: both recorded", order)


HANDLERS = {"check": _check, "pay": _pay, "fail": _fail, "refund": _refund}


def cloudpayments_notification_handle(
    *, kind: str, body: bytes, content_type: str, headers: Mapping[str, str], ip: str | None
) -> CallbackResult:
    """Verify and apply one notification; every call leaves a ``PaymentNotification`` row."""
    data = cp.notification_data(body, content_type)
    valid = cp.signature_valid(body, headers)
    if not valid:
        result = CallbackResult(403, None, "bad signature")
    else:
        try:
            with transaction.atomic():
                result = HANDLERS[kind](data)
        except IntegrityError:
            if kind != "pay":
                raise
            # a twin Pay applied the same transaction first: this one's writes are rolled back
            # with its transaction (no savepoint of its own on the common path)
            result = CallbackResult(200, cp.CODE_OK, _DUPLICATE, _order(data))
    notification_record(
        provider=PROVIDER,
        kind=kind,
        data=data,
        signature_valid=valid,
        outcome=result.outcome,
        needs_review=result.needs_review,
        order=result.order,
        transaction_id=str(data.get("TransactionId", "")),
        ip=ip,
    )
    return result
