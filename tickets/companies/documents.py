"""What a company's payment documents say: the invoice (счёт на оплату) and the act of services
rendered (акт оказанных услуг), read from the order into plain values for the PDF."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from organizers.models import Organizer
from privacy.services.workdays import working_days_deadline
from tickets.companies.amount_words import amount_in_words
from tickets.companies.models import OrderCompany
from tickets.models import Order, OrderItem

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Party:
    legal_name: str
    bin_iin: str
    address: str
    iban: str = ""
    bank_name: str = ""
    bik: str = ""
    kbe: str = ""


@dataclass(frozen=True)
class DocumentLine:
    title: str
    quantity: int
    price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CompanyDocument:
    """One invoice or act, everything printed on it."""

    kind: str  # "invoice" or "act"
    number: str
    issued_on: date
    language: str
    supplier: Party
    buyer: Party
    contact_name: str
    lines: tuple[DocumentLine, ...]
    total: Decimal
    vat_percent: Decimal | None
    vat_amount: Decimal | None
    amount_words: str
    purpose: str
    due_at: datetime | None
    paid_at: datetime | None
    order_code: str
    event_title: str


def payment_purpose(order: Order) -> str:
    """The purpose the payer writes in the payment order: the order's code, which the bank
    statement import finds the order by."""
    return f"Оплата по заказу {order.code} / {order.code} тапсырысы бойынша төлем"


def vat_included(total: Decimal, organizer: Organizer) -> Decimal | None:
    """The VAT inside a price that includes it (total × rate / (100 + rate)), or ``None``."""
    rate = organizer.vat_rate_percent
    if rate is None:
        return None
    return (total * rate / (Decimal(100) + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def supplier_of(organizer: Organizer) -> Party:
    """The organizer as the supplier: bank transfers are paid to its own account, and its
    accountant marks them paid or imports the statement of that account."""
    return Party(
        legal_name=organizer.legal_name,
        bin_iin=organizer.bin_iin,
        address=organizer.legal_address,
        iban=organizer.iban,
        bank_name=organizer.bank_name,
        bik=organizer.bik,
        kbe=organizer.beneficiary_code,
    )


def document_lines(order: Order) -> tuple[DocumentLine, ...]:
    """The valid tickets grouped by type and price paid, in the order's language."""
    groups = (
        OrderItem.objects.filter(order=order, status=OrderItem.Status.VALID)
        .values("ticket_type_id", "amount")
        .annotate(quantity=Count("id"))
        .order_by("ticket_type_id", "amount")
    )
    types = {item.ticket_type_id: item.ticket_type for item in order.items.all()}
    lines = []
    for group in groups:
        ticket_type = types[group["ticket_type_id"]]
        starts_at = timezone.localtime(ticket_type.session.starts_at)
        title = f"{order.event.title} — {ticket_type.name}, {starts_at:%d.%m.%Y %H:%M}"
        lines.append(
            DocumentLine(
                title=title,
                quantity=group["quantity"],
                price=group["amount"],
                amount=group["amount"] * group["quantity"],
            )
        )
    return tuple(lines)


def invoice_due_at(order: Order, *, now: datetime) -> datetime | None:
    """When the invoice must be paid: the order's own deadline while it waits for payment (a
    bank transfer moves it to its last working day), else the event's working days from now;
    ``None`` once the order is paid."""
    if order.status != Order.Status.PENDING:
        return None
    if order.payment_due_at is not None:
        return order.payment_due_at
    return working_days_deadline(now, order.event.bank_transfer_days)


def company_document(
    order: Order, company: OrderCompany, *, kind: str, number: str, issued_on: date
) -> CompanyDocument:
    """The invoice or act of ``order`` (its event, organizer and items loaded by the caller)."""
    organizer = order.event.organizer
    language = order.language if order.language in dict(settings.LANGUAGES) else "ru"
    lines = document_lines(order)
    total = sum((line.amount for line in lines), Decimal("0"))
    now = timezone.now()
    return CompanyDocument(
        kind=kind,
        number=number,
        issued_on=issued_on,
        language=language,
        supplier=supplier_of(organizer),
        buyer=Party(
            legal_name=company.legal_name, bin_iin=company.bin_iin, address=company.legal_address
        ),
        contact_name=order.full_name,
        lines=lines,
        total=total,
        vat_percent=organizer.vat_rate_percent,
        vat_amount=vat_included(total, organizer),
        amount_words=amount_in_words(total, language),
        purpose=payment_purpose(order),
        due_at=invoice_due_at(order, now=now) if kind == "invoice" else None,
        paid_at=order.paid_at,
        order_code=order.code,
        event_title=str(order.event.title),
    )
