"""The buyer's own ticket in a wallet or a calendar. The buyer only (signed in as the owner or
with the order's secret link): these files are for the buyer's phone, never a disclosure."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from tickets.access import is_buyer
from tickets.delivery.calendar import order_calendar
from tickets.models import Order, OrderItem
from tickets.wallet import apple, google
from tickets.wallet.credentials import apple_signer, google_wallet_key


def _buyers_paid_order(request: HttpRequest, code: str) -> Order:
    order = get_object_or_404(
        Order.objects.select_related("event__venue__city", "event__organizer"), code=code.upper()
    )
    if order.status != Order.Status.PAID or not is_buyer(request, order):
        raise Http404
    return order


def _valid_item(order: Order, item_id: int) -> OrderItem:
    item = (
        order.items.select_related("ticket_type__session")
        .filter(pk=item_id, status=OrderItem.Status.VALID)
        .first()
    )
    if item is None:
        raise Http404
    return item


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def order_calendar_ics(request: HttpRequest, code: str) -> HttpResponse:
    """The order's sessions as an .ics file."""
    order = _buyers_paid_order(request, code)
    response = HttpResponse(order_calendar(order), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="eventum-{order.code}.ics"'
    return _private(response)


def ticket_apple_wallet(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    """One ticket as a signed Apple Wallet pass."""
    order = _buyers_paid_order(request, code)
    signer = apple_signer()
    if signer is None:
        raise Http404
    item = _valid_item(order, item_id)
    response = HttpResponse(apple.pkpass(order, item, signer), content_type=apple.MEDIA_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{apple.serial_number(order, item)}.pkpass"'
    )
    return _private(response)


def ticket_google_wallet(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    """Off to Google Wallet with the signed save link of one ticket."""
    order = _buyers_paid_order(request, code)
    key = google_wallet_key()
    if key is None:
        raise Http404
    item = _valid_item(order, item_id)
    origin = f"{request.scheme}://{request.get_host()}"
    return _private(redirect(google.save_link(order, item, key=key, origin=origin)))
