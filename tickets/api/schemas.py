"""What the order endpoints answer (field names are part of the API: change with care)."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Schema

from tickets.models import Order, OrderItem
from tickets.qr import qr_payload

CENT = Decimal("0.01")


def _money(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT)


class EventRefOut(Schema):
    slug: str
    title: str


class OrderCardOut(Schema):
    code: str
    status: str
    event: EventRefOut
    tickets: int
    total: Decimal
    currency: str
    created_at: datetime


class OrderListOut(Schema):
    items: list[OrderCardOut]
    next_cursor: str | None


class TicketOut(Schema):
    id: int
    ticket_type: str
    session_starts_at: datetime
    seat: str | None
    status: str
    price: Decimal
    amount: Decimal
    checked_in_at: datetime | None
    qr_payload: str | None
    pdf_url: str | None


class BuyerOut(Schema):
    name: str
    surname: str
    email: str
    phone: str


class OrderStatusOut(Schema):
    code: str
    status: str
    payment_due_at: datetime | None
    paid_at: datetime | None


class OrderOut(OrderStatusOut):
    event: EventRefOut
    buyer: BuyerOut
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    refunded_amount: Decimal
    currency: str
    created_at: datetime
    tickets: list[TicketOut]
    pdf_url: str | None


def order_card(order: Order) -> OrderCardOut:
    return OrderCardOut(
        code=order.code,
        status=order.status,
        event=EventRefOut(slug=order.event.slug, title=order.event.title),
        tickets=getattr(order, "tickets", 0),
        total=_money(order.total),
        currency=order.currency,
        created_at=order.created_at,
    )


def order_status(order: Order) -> OrderStatusOut:
    return OrderStatusOut(
        code=order.code,
        status=order.status,
        payment_due_at=order.payment_due_at,
        paid_at=order.paid_at,
    )


def _ticket(request: HttpRequest, order: Order, item: OrderItem, *, usable: bool) -> TicketOut:
    """The QR payload and PDF only while the ticket gets one in: a paid order, a valid ticket."""
    valid = usable and item.status == OrderItem.Status.VALID
    pdf = reverse("api:api_ticket_pdf", kwargs={"code": order.code, "item_id": item.pk})
    return TicketOut(
        id=item.pk,
        ticket_type=item.ticket_type.name,
        session_starts_at=item.ticket_type.session.starts_at,
        seat=item.seat_label or None,
        status=item.status,
        price=_money(item.price),
        amount=_money(item.amount),
        checked_in_at=item.checked_in_at,
        qr_payload=qr_payload(item) if valid else None,
        pdf_url=request.build_absolute_uri(pdf) if valid else None,
    )


def order_out(request: HttpRequest, order: Order) -> OrderOut:
    paid = order.status == Order.Status.PAID
    pdf = reverse("api:api_order_pdf", kwargs={"code": order.code})
    return OrderOut(
        code=order.code,
        status=order.status,
        payment_due_at=order.payment_due_at,
        paid_at=order.paid_at,
        event=EventRefOut(slug=order.event.slug, title=order.event.title),
        buyer=BuyerOut(
            name=order.name, surname=order.surname, email=order.email, phone=order.phone
        ),
        subtotal=_money(order.subtotal),
        discount=_money(order.discount),
        total=_money(order.total),
        refunded_amount=_money(order.refunded_amount),
        currency=order.currency,
        created_at=order.created_at,
        tickets=[_ticket(request, order, item, usable=paid) for item in order.items.all()],
        pdf_url=request.build_absolute_uri(pdf) if paid else None,
    )
