"""``/api/v1/organizer/orders...`` and attendees: an organizer's sales for its own systems (API
key with the ``orders:read`` scope).

The buyer's data comes through privacy's guard exactly as the cabinet shows it — masked while
the buyer is blocked or has withdrawn consent — and every answer that carries buyers' data is
written to the disclosure log, naming the key."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from eventum.api.auth import key_with_scope, organizer_auth
from eventum.api.errors import ApiError, error_responses
from eventum.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_slice, page_rows
from organizers.models import ApiKey
from tickets.buyer_privacy import buyers_disclosed, orders_shown_to_others, organizer_recipient
from tickets.models import Order
from tickets.selectors import attendees_of_event, order_for_cabinet, orders_of_organizer

router = Router(tags=["organizer"], auth=organizer_auth)

ORDERS_READ = "orders:read"
CENT = Decimal("0.01")


class OrdersQuery(Schema):
    event: str = ""
    status: str = ""
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class BuyerShownOut(Schema):
    name: str
    email: str
    phone: str
    masked: bool


class OrganizerOrderOut(Schema):
    code: str
    status: str
    event_slug: str
    buyer: BuyerShownOut
    total: Decimal
    currency: str
    created_at: datetime
    paid_at: datetime | None


class OrganizerOrderListOut(Schema):
    items: list[OrganizerOrderOut]
    next_cursor: str | None


class OrganizerTicketOut(Schema):
    id: int
    ticket_type: str
    session_starts_at: datetime
    seat: str | None
    status: str
    checked_in_at: datetime | None


class OrganizerOrderDetailOut(OrganizerOrderOut):
    postal_address: str | None
    tickets: list[OrganizerTicketOut]


class AttendeeOut(Schema):
    ticket_id: int
    order: str
    holder: BuyerShownOut
    ticket_type: str
    session_starts_at: datetime
    seat: str | None
    checked_in_at: datetime | None


class AttendeeListOut(Schema):
    items: list[AttendeeOut]
    next_cursor: str | None


def _shown(order: Order) -> BuyerShownOut:
    shown = order.shown
    return BuyerShownOut(name=shown.name, email=shown.email, phone=shown.phone, masked=shown.masked)


def _order_row(order: Order) -> OrganizerOrderOut:
    return OrganizerOrderOut(
        code=order.code,
        status=order.status,
        event_slug=order.event.slug,
        buyer=_shown(order),
        total=Decimal(order.total).quantize(CENT),
        currency=order.currency,
        created_at=order.created_at,
        paid_at=order.paid_at,
    )


def _disclosed(key: ApiKey, orders: list[Order], *, purpose: str, fields: tuple[str, ...]) -> None:
    buyers_disclosed(
        actor=f"API key “{key.label}” (#{key.pk})",
        recipient=organizer_recipient(key.organizer),
        orders=orders,
        purpose=purpose,
        channel="api",
        fields=fields,
    )


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError("invalid_limit", _("The limit must be between 1 and 100."))
    return limit


@router.get(
    "/organizer/orders",
    response={200: OrganizerOrderListOut, **error_responses(400, 401, 403)},
    url_name="api_organizer_orders",
    summary="The organizer's orders, newest first (filter by event slug and status)",
)
def organizer_orders(request: HttpRequest, query: Query[OrdersQuery]) -> OrganizerOrderListOut:
    key = key_with_scope(request, ORDERS_READ)
    if query.status and query.status not in Order.Status.values:
        raise ApiError("invalid_filter", _("No such order status."))
    qs = orders_of_organizer(
        organizer=key.organizer, status=query.status, event_slug=query.event[:120]
    )
    ids, next_cursor = cursor_slice(qs, cursor=query.cursor, limit=_limit(query.limit))
    orders = orders_shown_to_others(page_rows(list(qs.filter(pk__in=ids)), ids))
    _disclosed(
        key,
        orders,  # type: ignore[arg-type]
        purpose=_("Order list read through the API"),
        fields=("name", "email", "phone"),
    )
    return OrganizerOrderListOut(
        items=[_order_row(o) for o in orders],  # type: ignore[arg-type]
        next_cursor=next_cursor,
    )


@router.get(
    "/organizer/orders/{code}",
    response={200: OrganizerOrderDetailOut, **error_responses(401, 403, 404)},
    url_name="api_organizer_order",
    summary="One of the organizer's orders with its tickets",
)
def organizer_order(request: HttpRequest, code: str) -> OrganizerOrderDetailOut:
    key = key_with_scope(request, ORDERS_READ)
    order = order_for_cabinet(organizer=key.organizer, code=code.upper()[:12])
    if order is None:
        raise ApiError("order_not_found", _("No such order of your organizer."), status=404)
    order = orders_shown_to_others([order])[0]
    _disclosed(
        key,
        [order],
        purpose=_("Order read through the API"),
        fields=("name", "email", "phone", "postal_address"),
    )
    return OrganizerOrderDetailOut(
        **_order_row(order).dict(),
        postal_address=None if order.shown.masked else (order.postal_address or None),
        tickets=[
            OrganizerTicketOut(
                id=item.pk,
                ticket_type=item.ticket_type.name,
                session_starts_at=item.ticket_type.session.starts_at,
                seat=item.seat_label or None,
                status=item.status,
                checked_in_at=item.checked_in_at,
            )
            for item in order.items.all()
        ],
    )


@router.get(
    "/organizer/events/{event_id}/attendees",
    response={200: AttendeeListOut, **error_responses(400, 401, 403)},
    url_name="api_organizer_attendees",
    summary="The valid tickets of an event's paid orders, with their holders",
)
def organizer_attendees(
    request: HttpRequest, event_id: int, page: Query[PageQuery]
) -> AttendeeListOut:
    """An event of another organizer has no attendees here (an empty list, like an unknown id)."""
    key = key_with_scope(request, ORDERS_READ)
    qs = attendees_of_event(organizer=key.organizer, event_id=event_id)
    ids, next_cursor = cursor_slice(qs, cursor=page.cursor, limit=_limit(page.limit))
    items = page_rows(list(qs.filter(pk__in=ids)), ids)
    orders = orders_shown_to_others({item.order_id: item.order for item in items}.values())  # type: ignore[attr-defined]
    shown = {order.pk: order for order in orders}
    _disclosed(
        key,
        orders,
        purpose=_("Attendee list read through the API"),
        fields=("name", "email", "phone"),
    )
    return AttendeeListOut(
        items=[
            AttendeeOut(
                ticket_id=item.pk,
                order=shown[item.order_id].code,  # type: ignore[attr-defined]
                holder=_shown(shown[item.order_id]),  # type: ignore[attr-defined]
                ticket_type=item.ticket_type.name,  # type: ignore[attr-defined]
                session_starts_at=item.ticket_type.session.starts_at,  # type: ignore[attr-defined]
                seat=item.seat_label or None,  # type: ignore[attr-defined]
                checked_in_at=item.checked_in_at,  # type: ignore[attr-defined]
            )
            for item in items
        ],
        next_cursor=next_cursor,
    )
