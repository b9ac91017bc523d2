"""Reads of bank transfers: may this order be paid by transfer, what the buyer is told, the
cabinet's lists."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from organizers.models import Organizer
from tickets.banktransfer.models import BankStatement, BankStatementLine, BankTransfer
from tickets.banktransfer.provider import BANK_TRANSFER
from tickets.companies.documents import payment_purpose
from tickets.models import Order, OrderCompany, OrderItem, Payment


def bank_transfer_offered(order: Order) -> bool:
    """May the buyer choose to pay ``order`` by bank transfer? The event allows it, the order
    is bought for an organisation and waits for money, it has at least the event's fewest
    tickets, and the organizer's bank details are known (they go on the invoice)."""
    event = order.event
    organizer = event.organizer
    if not event.allow_bank_transfer or order.status != Order.Status.PENDING or order.total <= 0:
        return False
    if not OrderCompany.objects.filter(order=order).exists():
        return False
    if not (organizer.iban and organizer.bik and organizer.bin_iin and organizer.legal_name):
        return False
    tickets = order.items.filter(status=OrderItem.Status.VALID).count()
    return tickets >= event.bank_transfer_min_tickets


def bank_transfer_of(order: Order) -> BankTransfer | None:
    """The order's bank transfer, if the buyer chose one."""
    return BankTransfer.objects.filter(order=order).select_related("payment").first()


@dataclass(frozen=True)
class PaymentDetails:
    """The bank details the buyer pays to, as the order page and the e-mails show them."""

    legal_name: str
    bin_iin: str
    iban: str
    bank_name: str
    bik: str
    kbe: str
    amount: Decimal
    purpose: str
    deadline: datetime


def payment_details(transfer: BankTransfer) -> PaymentDetails:
    order = transfer.order
    organizer = order.event.organizer
    return PaymentDetails(
        legal_name=organizer.legal_name,
        bin_iin=organizer.bin_iin,
        iban=organizer.iban,
        bank_name=organizer.bank_name,
        bik=organizer.bik,
        kbe=organizer.beneficiary_code,
        amount=transfer.amount,
        purpose=payment_purpose(order),
        deadline=transfer.deadline,
    )


def transfers_waiting(*, organizer: Organizer) -> QuerySet[BankTransfer]:
    """Orders of the organizer waiting for a transfer, the nearest deadline first."""
    return (
        BankTransfer.objects.filter(
            order__event__organizer=organizer,
            order__status=Order.Status.PENDING,
            payment__status=Payment.Status.CREATED,
        )
        .select_related("order__event", "payment")
        .order_by("deadline", "pk")
    )


def transfers_recent(*, organizer: Organizer, limit: int = 20) -> QuerySet[BankTransfer]:
    """The organizer's bank-transfer orders that no longer wait (paid, expired, refunded)."""
    return (
        BankTransfer.objects.filter(order__event__organizer=organizer)
        .exclude(order__status=Order.Status.PENDING, payment__status=Payment.Status.CREATED)
        .select_related("order__event", "payment__bank_record")
        .order_by("-order__updated_at", "-pk")[:limit]
    )


def lines_to_decide(*, organizer: Organizer) -> QuerySet[BankStatementLine]:
    return (
        BankStatementLine.objects.filter(
            organizer=organizer, status=BankStatementLine.Status.TO_DECIDE
        )
        .select_related("order")
        .order_by("paid_on", "pk")
    )


def statements_recent(*, organizer: Organizer, limit: int = 10) -> QuerySet[BankStatement]:
    return BankStatement.objects.filter(organizer=organizer).order_by("-uploaded_at", "-pk")[:limit]


def order_paid_by_transfer(order: Order) -> bool:
    """Was the order's money received by bank transfer (so it goes back by transfer)?"""
    return order.payments.filter(provider=BANK_TRANSFER, status=Payment.Status.SUCCEEDED).exists()
