"""Writes of bank transfers: the buyer chooses one, the accountant records the money, the
deadline passes (reminder first), money goes back by transfer.

Paying goes through the same path as a card payment (``payment_complete`` →
``order_mark_paid``): the tickets are issued and e-mailed exactly as for a card.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.services.workdays import is_working_day, working_days_deadline
from tickets.banktransfer.emails import email_bank_transfer_reminder
from tickets.banktransfer.errors import (
    BankTransferError,
    BankTransferNotOffered,
    BankTransferNotWaiting,
    BankTransferTicketsGone,
)
from tickets.banktransfer.models import (
    BankStatementLine,
    BankTransfer,
    BankTransferPayment,
    BankTransferReturn,
)
from tickets.banktransfer.provider import BANK_TRANSFER
from tickets.banktransfer.selectors import bank_transfer_offered
from tickets.companies.invoices import issue_invoice
from tickets.errors import RefundError
from tickets.models import Order, OrderItem, OrderLog, Payment, RefundRequest
from tickets.payments.services import payment_complete
from tickets.services.order_lifecycle import order_expire
from tickets.services.order_refunds import order_refund
from tickets.services.order_states import Actor, order_lock

# The reminder goes out at this hour (Almaty) of the last working day before the deadline.
REMINDER_HOUR = 9
RETURN_REASON = "returned by bank transfer"


def _user(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def reminder_time(*, deadline: datetime, chosen_at: datetime) -> datetime | None:
    """09:00 (Almaty) of the last working day before the deadline's day; ``None`` when that is
    not after the moment the transfer was chosen (the buyer has just read the details)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    day = timezone.localtime(deadline, zone).date() - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    remind_at = datetime.combine(day, time(REMINDER_HOUR), tzinfo=zone)
    return remind_at if remind_at > chosen_at else None


@transaction.atomic
def start_bank_transfer(order: Order) -> BankTransfer:
    """The buyer pays ``order`` by bank transfer: its tickets stay held until the end of the
    event's ``bank_transfer_days``-th working day (the order's ``payment_due_at`` moves there),
    a payment of the order's total waits on record, and the invoice with that due date is
    issued and e-mailed (after commit). Choosing it again returns the same transfer. Raises
    ``BankTransferNotOffered`` when the event or order does not allow it."""
    order = order_lock(order.pk)
    existing = BankTransfer.objects.filter(order=order).select_related("payment").first()
    if existing is not None and existing.payment.status == Payment.Status.CREATED:
        return existing
    now = timezone.now()
    if order.payment_due_at is not None and order.payment_due_at <= now:
        raise BankTransferNotOffered()
    if existing is not None or not bank_transfer_offered(order):
        raise BankTransferNotOffered()
    deadline = working_days_deadline(now, order.event.bank_transfer_days)
    payment = Payment.objects.create(
        order=order, provider=BANK_TRANSFER, amount=order.total, currency=order.currency
    )
    transfer = BankTransfer.objects.create(
        order=order,
        payment=payment,
        amount=order.total,
        deadline=deadline,
        remind_at=reminder_time(deadline=deadline, chosen_at=now),
    )
    order.payment_due_at = deadline
    order.save(update_fields=["payment_due_at", "updated_at"])
    OrderLog.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        actor_label="buyer",
        note=f"bank transfer chosen: pay {order.total} by {deadline:%Y-%m-%d}",
    )
    issue_invoice(order)
    return transfer


@transaction.atomic
def bank_transfer_mark_paid(
    *,
    order_id: int,
    paid_on: date,
    document_number: str,
    user: User | None,
    amount: Decimal | None = None,
    statement_line: BankStatementLine | None = None,
) -> BankTransferPayment:
    """The money for the order came by transfer: record the bank document and pay the order as
    a card payment would (tickets issued and e-mailed). An expired order takes its tickets
    again if they are still free; when they were sold, nothing is recorded
    (``BankTransferTicketsGone``). Raises ``BankTransferNotWaiting`` for an order that is
    paid, cancelled or never chose a bank transfer."""
    order = order_lock(order_id)
    transfer = BankTransfer.objects.select_for_update().filter(order=order).first()
    if transfer is None or order.status not in (Order.Status.PENDING, Order.Status.EXPIRED):
        raise BankTransferNotWaiting()
    payment = Payment.objects.select_for_update().get(pk=transfer.payment_id)
    if payment.status == Payment.Status.SUCCEEDED:
        raise BankTransferNotWaiting()
    document_number = document_number.strip()
    if not document_number:
        raise BankTransferError(_("Enter the number of the bank's payment document."))
    received = transfer.amount if amount is None else amount
    if received <= 0:
        raise BankTransferError(_("The amount must be more than zero."))
    if payment.amount != received:
        payment.amount = received
        payment.save(update_fields=["amount"])
    record = BankTransferPayment.objects.create(
        payment=payment,
        order=order,
        paid_on=paid_on,
        document_number=document_number[:64],
        amount=received,
        statement_line=statement_line,
        recorded_by=_user(user),
    )
    actor = Actor(user=_user(user), label="accountant" if statement_line is None else "statement")
    note = f"bank transfer No {document_number} of {paid_on:%d.%m.%Y}, {received}"
    payment_complete(payment_id=payment.pk, succeeded=True, actor=actor, note=note)
    if not Order.objects.filter(pk=order.pk, status=Order.Status.PAID).exists():
        # Expired, and its tickets were sold meanwhile: undo everything, the money goes back.
        raise BankTransferTicketsGone()
    return record


@transaction.atomic
def bank_transfer_remind(*, transfer_id: int, now: datetime | None = None) -> bool:
    """Send the reminder of one waiting transfer once, when its time has come."""
    now = now or timezone.now()
    transfer = (
        BankTransfer.objects.select_for_update(of=("self",))
        .select_related("order__event__organizer", "payment")
        .get(pk=transfer_id)
    )
    order = transfer.order
    if (
        transfer.reminded_at is not None
        or transfer.remind_at is None
        or transfer.remind_at > now
        or order.status != Order.Status.PENDING
        or transfer.payment.status != Payment.Status.CREATED
        or (order.payment_due_at is not None and order.payment_due_at <= now)
    ):
        return False
    transfer.reminded_at = now
    transfer.save(update_fields=["reminded_at"])
    email_bank_transfer_reminder(transfer)
    return True


@transaction.atomic
def bank_transfer_close(*, transfer_id: int, now: datetime | None = None) -> bool:
    """Past its deadline, an unpaid transfer's order expires (its tickets go back on sale) and
    its waiting payment is closed as failed; likewise once the order was cancelled or paid
    another way. Returns whether anything changed."""
    now = now or timezone.now()
    order_id = BankTransfer.objects.values_list("order_id", flat=True).get(pk=transfer_id)
    order_lock(order_id)  # the order first, as every other write of the order locks
    transfer = BankTransfer.objects.select_for_update(of=("self",)).get(pk=transfer_id)
    expired = order_expire(order_id=transfer.order_id, now=now)
    payment = Payment.objects.select_for_update().get(pk=transfer.payment_id)
    status = Order.objects.values_list("status", flat=True).get(pk=transfer.order_id)
    if payment.status != Payment.Status.CREATED or status == Order.Status.PENDING:
        return expired
    payment.status = Payment.Status.FAILED
    payment.completed_at = now
    payment.save(update_fields=["status", "completed_at"])
    return True


def bank_transfers_tick(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic duty: reminders that are due, then transfers past their deadline (or whose
    order ended otherwise) closed. Each in its own transaction."""
    now = now or timezone.now()
    due = BankTransfer.objects.filter(
        remind_at__lte=now,
        reminded_at__isnull=True,
        order__status=Order.Status.PENDING,
        payment__status=Payment.Status.CREATED,
    )
    reminded = sum(
        bank_transfer_remind(transfer_id=pk, now=now) for pk in due.values_list("pk", flat=True)
    )
    waiting = BankTransfer.objects.filter(payment__status=Payment.Status.CREATED)
    over = waiting.filter(order__payment_due_at__lte=now) | waiting.exclude(
        order__status=Order.Status.PENDING
    )
    closed = sum(
        bank_transfer_close(transfer_id=pk, now=now)
        for pk in over.distinct().values_list("pk", flat=True)
    )
    return {"reminded": reminded, "closed": closed}


@transaction.atomic
def bank_transfer_return_record(
    *,
    order_id: int,
    amount: Decimal,
    returned_on: date,
    document_number: str,
    user: User | None,
) -> BankTransferReturn:
    """The organizer returned money of a bank-transfer order by its own transfer: the tickets
    of the buyer's waiting refund request (else every valid ticket) are refunded (back on sale,
    QR codes dead) and the request is approved; ``amount`` is what went back (less than the
    tickets' price when the refund rules keep a fee); the buyer is told. No card provider is
    asked."""
    order = order_lock(order_id)
    if not order.payments.filter(provider=BANK_TRANSFER, status=Payment.Status.SUCCEEDED).exists():
        raise RefundError(_("This order was not paid by bank transfer."))
    document_number = document_number.strip()
    if not document_number:
        raise RefundError(_("Enter the number of the bank's payment document."))
    request = (
        RefundRequest.objects.select_for_update()
        .filter(order=order, status=RefundRequest.Status.PENDING)
        .first()
    )
    valid = order.items.filter(status=OrderItem.Status.VALID)
    if request is not None:
        valid = valid.filter(pk__in=request.items.values("pk"))
    items = list(valid)
    if not items:
        raise RefundError(_("Choose at least one valid ticket to refund."))
    paid = sum((i.amount for i in items), Decimal("0.00"))
    if not Decimal("0") < amount <= paid:
        raise RefundError(
            _("The amount returned must be more than zero and at most %(paid)s ₸.") % {"paid": paid}
        )
    order_refund(
        order_id=order.pk,
        actor=Actor(user=_user(user), label="accountant"),
        item_ids=[item.pk for item in items],
        reason=f"{RETURN_REASON}: No {document_number} of {returned_on:%d.%m.%Y}",
        external_refund_id=f"transfer:{document_number}"[:64],
        notify_buyer=True,
        kept=paid - amount,
    )
    refund = order.refunds.order_by("-created_at", "-id").first()
    assert refund is not None  # order_refund made it in this transaction
    if request is not None:
        request.refund = refund
        request.status = RefundRequest.Status.APPROVED
        request.decided_by = _user(user)
        request.decided_at = timezone.now()
        request.save(update_fields=["refund", "status", "decided_by", "decided_at"])
    return BankTransferReturn.objects.create(
        refund=refund,
        returned_on=returned_on,
        document_number=document_number[:64],
        amount=amount,
        recorded_by=_user(user),
    )
