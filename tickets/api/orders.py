"""``/api/v1/me/orders``, ``/api/v1/orders/{code}...``: the signed-in buyer's orders and tickets.

Only the account that placed an order sees it through the API (someone else's order is the
same 404 as an unknown code); the organizer's team reads orders through its own keys."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from eventum.api.auth import buyer_auth
from eventum.api.errors import ApiError, error_responses
from eventum.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, cursor_slice, page_rows
from tickets.api.schemas import (
    OrderListOut,
    OrderOut,
    OrderStatusOut,
    order_card,
    order_out,
    order_status,
)
from tickets.buyer_privacy import order_shown_to_buyer
from tickets.delivery.services import order_pdf_current, order_pdf_generate, render_order_pdf
from tickets.models import Order, OrderItem
from tickets.selectors import order_for_page, orders_of_user

router = Router(tags=["orders"], auth=buyer_auth)

NO_ORDER = _("No such order in your account.")
NO_TICKETS = _("The order has no tickets to print: it is not paid, or its tickets are refunded.")
PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "The tickets as PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class Page(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _own_order(request: HttpRequest, code: str) -> Order:
    order = order_for_page(code=code.upper()[:12])
    if order is None or order.user_id != request.user.pk:
        raise ApiError("order_not_found", NO_ORDER, status=404)
    return order_shown_to_buyer(order)


@router.get(
    "/me/orders",
    response={200: OrderListOut, **error_responses(400, 401)},
    url_name="api_my_orders",
    summary="The signed-in buyer's orders, newest first",
)
def my_orders(request: HttpRequest, page: Query[Page]) -> OrderListOut:
    if not 1 <= page.limit <= MAX_LIMIT:
        raise ApiError("invalid_limit", _("The limit must be between 1 and 100."))
    qs = orders_of_user(user=request.user)
    ids, next_cursor = cursor_slice(qs, cursor=page.cursor, limit=page.limit)
    orders = page_rows(list(qs.filter(pk__in=ids)), ids)
    return OrderListOut(items=[order_card(o) for o in orders], next_cursor=next_cursor)  # type: ignore[arg-type]


@router.get(
    "/orders/{code}",
    response={200: OrderOut, **error_responses(401, 404)},
    url_name="api_order",
    summary="One order with its tickets (QR payloads once paid)",
)
def order_detail(request: HttpRequest, code: str) -> OrderOut:
    return order_out(request, _own_order(request, code))


@router.get(
    "/orders/{code}/status",
    response={200: OrderStatusOut, **error_responses(401, 404)},
    url_name="api_order_status",
    summary="The order's status (poll it after sending the buyer to pay)",
)
def order_status_view(request: HttpRequest, code: str) -> OrderStatusOut:
    return order_status(_own_order(request, code))


def _pdf(content: bytes | FileResponse, filename: str) -> HttpResponse:
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = content
    response["Cache-Control"] = "private, no-store"
    return response


def _layout(asked: str) -> str:
    return "phone" if asked == "phone" else "a4"


def _paid(request: HttpRequest, code: str) -> Order:
    order = _own_order(request, code)
    if order.status != Order.Status.PAID:
        raise ApiError("no_tickets", NO_TICKETS, status=409)
    return order


@router.get(
    "/orders/{code}/tickets.pdf",
    response=error_responses(401, 404, 409),
    openapi_extra=PDF_RESPONSE,
    url_name="api_order_pdf",
    summary="All tickets of a paid order as one PDF (A4, or layout=phone)",
)
def order_pdf(request: HttpRequest, code: str, layout: str = "a4") -> HttpResponse:
    order = _paid(request, code)
    if _layout(layout) == "phone":
        try:
            return _pdf(render_order_pdf(order, layout="phone"), f"tickets-{order.code}.pdf")
        except OrderItem.DoesNotExist as exc:
            raise ApiError("no_tickets", NO_TICKETS, status=409) from exc
    # The stored file, or made now if the worker has not made it yet (as on the order page).
    stored = order_pdf_current(order) or order_pdf_generate(order_id=order.pk)
    if stored is None:
        raise ApiError("no_tickets", NO_TICKETS, status=409)
    handle = stored.file.open("rb")
    return _pdf(
        FileResponse(
            handle,
            filename=f"tickets-{order.code}.pdf",
            as_attachment=True,
            content_type="application/pdf",
        ),
        "",
    )


@router.get(
    "/orders/{code}/tickets/{item_id}.pdf",
    response=error_responses(401, 404, 409),
    openapi_extra=PDF_RESPONSE,
    url_name="api_ticket_pdf",
    summary="One ticket of a paid order as a PDF (A4, or layout=phone)",
)
def ticket_pdf(request: HttpRequest, code: str, item_id: int, layout: str = "a4") -> HttpResponse:
    order = _paid(request, code)
    try:
        pdf = render_order_pdf(
            order, layout="phone" if layout == "phone" else "a4", item_id=item_id
        )
    except OrderItem.DoesNotExist as exc:
        raise ApiError("ticket_not_found", _("No such ticket in this order."), status=404) from exc
    return _pdf(pdf, f"ticket-{order.code}-{item_id}.pdf")
