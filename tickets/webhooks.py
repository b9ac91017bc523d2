"""What the tickets app tells organizers' webhooks, and how: the payloads of ``order.paid``,
``order.refunded``, ``order.cancelled``, ``ticket.checked_in`` and ``event.sold_out``.

The moves that make these events call the ``webhook_*`` functions below in their own
transaction (``order_transition``, ``order_refund``, the check-in decision, and for a sell-out
``tickets.soldout.services`` when an order is paid), so a webhook exists exactly when the change
does. Buyers come through privacy's guard as the
organizer's API shows them (masked while blocked or after withdrawing consent), unmasked hand-
overs are written to the disclosure log, and before every attempt ``payload_guard`` masks a
buyer restricted since.
"""

from decimal import Decimal
from typing import Any

from django.db.models import F

from events.models import Event, Session, TicketType
from organizers.webhooks.models import WebhookEventType
from organizers.webhooks.services import webhook_emit, webhook_payload_guard_register
from privacy.services import Subject, subjects_guard
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.models import Order, OrderItem

CENT = Decimal("0.01")
WEBHOOK_PURPOSE = "Webhook to the organizer's system"
ORDER_EVENTS = {
    Order.Status.PAID: WebhookEventType.ORDER_PAID,
    Order.Status.CANCELLED: WebhookEventType.ORDER_CANCELLED,
}


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def _event_data(event: Event) -> dict[str, Any]:
    return {"id": event.pk, "slug": event.slug, "title": event.title}


def _buyer(order: Order) -> dict[str, Any]:
    shown = order.shown
    return {"name": shown.name, "email": shown.email, "phone": shown.phone, "masked": shown.masked}


def _disclosed(order: Order, *, purpose: str, fields: tuple[str, ...]) -> None:
    buyers_disclosed(
        actor="webhook",
        recipient=organizer_recipient(order.event.organizer),
        orders=[order],
        purpose=purpose,
        channel="api",
        fields=fields,
    )


def _order_data(order: Order, **extra: Any) -> dict[str, Any]:
    order = orders_shown_to_others([order])[0]
    _disclosed(order, purpose=WEBHOOK_PURPOSE, fields=("name", "email", "phone"))
    items = OrderItem.objects.filter(order=order).select_related("ticket_type__session")
    return {
        "order": {
            "code": order.code,
            "status": order.status,
            "event": _event_data(order.event),
            "buyer": _buyer(order),
            "total": _money(order.total),
            "refunded_amount": _money(order.refunded_amount),
            "currency": order.currency,
            "created_at": order.created_at,
            "paid_at": order.paid_at,
            "tickets": [
                {
                    "id": item.pk,
                    "ticket_type": item.ticket_type.name,
                    "session_id": item.ticket_type.session_id,
                    "session_starts_at": item.ticket_type.session.starts_at,
                    "seat": item.seat_label or None,
                    "status": item.status,
                }
                for item in items.order_by("pk")
            ],
        },
        **extra,
    }


def webhook_order_moved(order: Order) -> None:
    """``order_transition`` moved the order: ``order.paid`` or ``order.cancelled`` (a full
    refund is told by ``webhook_order_refunded``)."""
    event_type = ORDER_EVENTS.get(order.status)
    if event_type is None:
        return
    webhook_emit(
        organizer_id=order.event.organizer_id,
        event_type=event_type,
        data=lambda: _order_data(order),
    )


def webhook_order_refunded(order: Order, *, amount: Decimal, item_ids: list[int]) -> None:
    """Money went back for some or all tickets of the order (``order_refund``)."""
    webhook_emit(
        organizer_id=order.event.organizer_id,
        event_type=WebhookEventType.ORDER_REFUNDED,
        data=lambda: _order_data(
            order, refund={"amount": _money(amount), "ticket_ids": sorted(item_ids)}
        ),
    )


def webhook_ticket_checked_in(item: OrderItem, *, scanner: str) -> None:
    """The door let the ticket in (the check-in decision's winning call)."""

    def data() -> dict[str, Any]:
        order = orders_shown_to_others([item.order])[0]
        _disclosed(order, purpose=WEBHOOK_PURPOSE, fields=("name",))
        session = item.ticket_type.session
        return {
            "ticket": {
                "id": item.pk,
                "number": f"{order.code}-{item.pk}",
                "ticket_type": item.ticket_type.name,
                "seat": item.seat_label or None,
                "checked_in_at": item.checked_in_at,
                "scanner": scanner,
            },
            "order": {"code": order.code, "buyer": _buyer(order)},
            "event": _event_data(order.event),
            "session": {"id": session.pk, "starts_at": session.starts_at},
        }

    webhook_emit(
        organizer_id=item.order.event.organizer_id,
        event_type=WebhookEventType.TICKET_CHECKED_IN,
        data=data,
    )


def webhook_session_sold_out(session: Session) -> None:
    """The session's last ticket was sold (``tickets.soldout.services`` opened its sell-out):
    ``event.sold_out``, saying whether the event's other sessions are gone too."""
    event = session.event

    def data() -> dict[str, Any]:
        others_left = (
            TicketType.objects.filter(session__event=event, quantity_taken__lt=F("quantity"))
            .exclude(session=session)
            .exists()
        )
        return {
            "event": _event_data(event),
            "session": {"id": session.pk, "starts_at": session.starts_at},
            "event_sold_out": not others_left,
        }

    webhook_emit(
        organizer_id=event.organizer_id, event_type=WebhookEventType.EVENT_SOLD_OUT, data=data
    )


def _mask_buyer(buyer: dict[str, Any], code: str) -> dict[str, Any]:
    order = Order.objects.filter(code=code).first()
    if order is None:
        guard = subjects_guard([Subject(email=buyer.get("email", ""))])
        shown = guard.display(
            name=buyer.get("name", ""), email=buyer.get("email", ""), phone=buyer.get("phone", "")
        )
    else:
        order = orders_shown_to_others([order])[0]
        shown = order.shown
    if not shown.masked:
        return buyer
    return {"name": shown.name, "email": shown.email, "phone": shown.phone, "masked": True}


def payload_guard(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Before each attempt: a buyer restricted since the event is masked now."""
    order = (payload.get("data") or {}).get("order")
    if not isinstance(order, dict):
        return payload
    buyer = order.get("buyer")
    if not isinstance(buyer, dict) or buyer.get("masked"):
        return payload
    order["buyer"] = _mask_buyer(buyer, str(order.get("code", "")))
    return payload


def payload_anonymous(payload: Any) -> Any:
    """A stored payload once its order is made anonymous: the buyer goes, the rest (codes,
    amounts, tickets, dates) stays."""
    if not isinstance(payload, dict):
        return payload
    order = (payload.get("data") or {}).get("order")
    if isinstance(order, dict) and isinstance(order.get("buyer"), dict):
        order["buyer"] = {"name": "", "email": "", "phone": "", "masked": True}
    return payload


def webhooks_register() -> None:
    webhook_payload_guard_register(payload_guard)
