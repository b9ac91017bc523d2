"""Importing a bank statement: each incoming payment is matched to a waiting order by the order
number in its purpose and by amount. An exact match pays the order; anything else is kept for a
person to decide (pay the order anyway, or ignore the payment).

A payment is identified by its document number, date, amount, payer and purpose: importing the
same statement again (or a longer one that repeats it) applies nothing twice.
"""

import hashlib
import re
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from organizers.models import Organizer
from tickets.banktransfer.errors import (
    BankTransferError,
    BankTransferNotWaiting,
    BankTransferTicketsGone,
)
from tickets.banktransfer.models import BankStatement, BankStatementLine, BankTransfer
from tickets.banktransfer.services import bank_transfer_mark_paid
from tickets.banktransfer.statement import StatementPayment, statement_parse
from tickets.models import Order, Payment
from tickets.services.order_creation import CODE_ALPHABET, CODE_LENGTH

Status = BankStatementLine.Status
Problem = BankStatementLine.Problem

# Cyrillic letters that look like Latin ones: a payer may type the order number with them.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХУЗ", "ABEKMHOPCTXY3")
_CODE = re.compile(rf"(?<![0-9A-Z])[{CODE_ALPHABET}]{{{CODE_LENGTH}}}(?![0-9A-Z])")


def codes_in_purpose(purpose: str) -> list[str]:
    """Every word of the purpose that could be an order number (in order, once each)."""
    text = purpose.upper().translate(_LOOKALIKES)
    return list(dict.fromkeys(_CODE.findall(text)))


def _fingerprint(payment: StatementPayment) -> str:
    parts = (
        payment.number,
        payment.document_date.isoformat() if payment.document_date else "",
        str(payment.amount),
        payment.payer_bin,
        payment.payer_account,
        " ".join(payment.purpose.split()),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Match:
    order: Order | None
    problem: str


def _match(organizer: Organizer, payment: StatementPayment) -> Match:
    """Which order the payment is for, and what stops paying it at once."""
    codes = codes_in_purpose(payment.purpose)
    orders = list(Order.objects.filter(event__organizer=organizer, code__in=codes))
    if not orders:
        return Match(None, Problem.NO_CODE)
    if len(orders) > 1:
        return Match(None, Problem.SEVERAL)
    order = orders[0]
    if order.status == Order.Status.PAID:
        return Match(order, Problem.ALREADY_PAID)
    transfer = BankTransfer.objects.filter(order=order).select_related("payment").first()
    if (
        transfer is None
        or order.status != Order.Status.PENDING
        or transfer.payment.status != Payment.Status.CREATED
    ):
        return Match(order, Problem.NOT_WAITING)
    if payment.amount != transfer.amount:
        return Match(order, Problem.AMOUNT)
    return Match(order, Problem.NONE)


def _already_recorded(order: Order, payment: StatementPayment) -> bool:
    """The accountant marked this very payment by hand before the statement came."""
    return (
        payment.number != ""
        and order.status == Order.Status.PAID
        and order.payments.filter(
            bank_record__document_number=payment.number, status=Payment.Status.SUCCEEDED
        ).exists()
    )


def _line_apply(
    *, organizer: Organizer, statement: BankStatement, payment: StatementPayment, user
) -> BankStatementLine | None:
    """Record one payment of the statement and pay its order when it matches exactly; ``None``
    when this payment was imported before."""
    fingerprint = _fingerprint(payment)
    match = _match(organizer, payment)
    status = Status.TO_DECIDE
    already = match.problem == Problem.ALREADY_PAID and match.order is not None
    if already and _already_recorded(match.order, payment):
        status = Status.RECORDED
    try:
        with transaction.atomic():
            line = BankStatementLine.objects.create(
                organizer=organizer,
                statement=statement,
                fingerprint=fingerprint,
                number=payment.number,
                document_date=payment.document_date,
                paid_on=payment.paid_on,
                amount=payment.amount,
                payer_name=payment.payer_name,
                payer_bin=payment.payer_bin,
                payer_account=payment.payer_account,
                purpose=payment.purpose,
                order=match.order,
                status=status,
                problem="" if status == Status.RECORDED else match.problem,
            )
    except IntegrityError:
        return None  # imported before: it was applied (or listed) then
    if match.problem == Problem.NONE and match.order is not None:
        try:
            with transaction.atomic():
                bank_transfer_mark_paid(
                    order_id=match.order.pk,
                    paid_on=payment.paid_on or timezone.localdate(),
                    document_number=payment.number or fingerprint[:12],
                    user=user,
                    statement_line=line,
                )
        except BankTransferTicketsGone:
            line.problem = Problem.TICKETS_GONE
        except BankTransferNotWaiting:
            line.problem = Problem.NOT_WAITING
        else:
            line.status = Status.PAID
            line.problem = Problem.NONE
        line.save(update_fields=["status", "problem"])
    return line


@transaction.atomic
def statement_import(
    *, organizer: Organizer, file_name: str, raw: bytes, user: User | None
) -> BankStatement:
    """Read the statement file (``StatementInvalid`` for a bad one), record each incoming
    payment once and pay the orders that match exactly."""
    parsed = statement_parse(raw, account=organizer.iban)
    statement = BankStatement.objects.create(
        organizer=organizer,
        file_name=file_name[:200],
        file_sha256=hashlib.sha256(raw).hexdigest(),
        account=parsed.account[:34],
        documents=parsed.documents,
        incoming=len(parsed.payments),
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    for payment in parsed.payments:
        line = _line_apply(organizer=organizer, statement=statement, payment=payment, user=user)
        if line is None:
            continue
        statement.new_lines += 1
        if line.status == Status.PAID:
            statement.paid += 1
        elif line.status == Status.TO_DECIDE:
            statement.to_decide += 1
    statement.save(update_fields=["new_lines", "paid", "to_decide"])
    return statement


def _line_lock(organizer: Organizer, line_id: int) -> BankStatementLine:
    line = BankStatementLine.objects.select_for_update().get(organizer=organizer, pk=line_id)
    if line.status != Status.TO_DECIDE:
        raise BankTransferError(BankTransferError.default_message)
    return line


@transaction.atomic
def statement_line_ignore(
    *, organizer: Organizer, line_id: int, user: User | None
) -> BankStatementLine:
    """A person decided the payment is not for an order (or is settled elsewhere)."""
    line = _line_lock(organizer, line_id)
    line.status = Status.IGNORED
    line.decided_by = user if user is not None and user.is_authenticated else None
    line.decided_at = timezone.now()
    line.save(update_fields=["status", "decided_by", "decided_at"])
    return line


@transaction.atomic
def statement_line_pay(
    *, organizer: Organizer, line_id: int, order_code: str, user: User | None
) -> BankStatementLine:
    """A person decided the payment is for order ``order_code`` (one of the organizer's,
    waiting for a transfer or expired with its tickets still free): it is paid with the
    statement's document, whatever the amount."""
    line = _line_lock(organizer, line_id)
    order = Order.objects.filter(
        event__organizer=organizer, code=order_code.strip().upper()
    ).first()
    if order is None:
        raise BankTransferNotWaiting()
    bank_transfer_mark_paid(
        order_id=order.pk,
        paid_on=line.paid_on or timezone.localdate(),
        document_number=line.number or line.fingerprint[:12],
        amount=line.amount,
        user=user,
        statement_line=line,
    )
    line.order = order
    line.status = Status.PAID
    line.decided_by = user if user is not None and user.is_authenticated else None
    line.decided_at = timezone.now()
    line.save(update_fields=["order", "status", "decided_by", "decided_at"])
    return line
