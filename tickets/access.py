"""Who may see an order: its buyer (account or secret link) and staff with a second factor.

The organizer's team never uses the buyer's own order page: it has its cabinet page, where the
buyer's data comes through privacy's guard (masked while the buyer is blocked or has withdrawn
consent). Staff privileges need a session that passed the second factor (``staff_privileged``).
"""

import secrets

from django.http import HttpRequest

from eventum.admin_security import staff_privileged
from tickets.models import Order
from tickets.services.cart import cart_token_new

CART_SESSION_KEY = "tickets_cart_token"
ORDERS_SESSION_KEY = "tickets_order_secrets"


def cart_token_for(request: HttpRequest, *, create: bool = False) -> str | None:
    """The portal keeps the cart token in the session (an embed may pass it signed instead)."""
    token = request.session.get(CART_SESSION_KEY)
    if token is None and create:
        token = cart_token_new()
        request.session[CART_SESSION_KEY] = token
    return token


def order_remember(request: HttpRequest, order: Order) -> None:
    remembered = dict(request.session.get(ORDERS_SESSION_KEY, {}))
    remembered[order.code] = order.secret
    request.session[ORDERS_SESSION_KEY] = remembered


def order_secret_given(request: HttpRequest) -> str:
    return request.GET.get("s") or request.POST.get("s") or ""


def is_buyer(request: HttpRequest, order: Order) -> bool:
    """The signed-in owner, or whoever holds the order's secret link."""
    user = request.user
    if user.is_authenticated and order.user_id == user.pk:
        return True
    given = order_secret_given(request) or request.session.get(ORDERS_SESSION_KEY, {}).get(
        order.code, ""
    )
    if given and secrets.compare_digest(given, order.secret):
        order_remember(request, order)
        return True
    return False


def may_see_order(request: HttpRequest, order: Order) -> bool:
    """The buyer, or staff with a second factor (who see it through the privacy guard)."""
    return is_buyer(request, order) or staff_privileged(request)


def is_staff_view(request: HttpRequest, order: Order) -> bool:
    """Staff looking at someone else's order: a disclosure, shown masked if restricted."""
    return not is_buyer(request, order) and staff_privileged(request)
