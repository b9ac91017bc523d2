"""Who may see an order: its buyer (account or secret link), the organizer's team, staff."""

import secrets

from django.http import HttpRequest

from organizers.models import Membership
from organizers.roles import ROLES_ORDERS
from tickets.models import Order

CART_SESSION_KEY = "tickets_cart_token"
ORDERS_SESSION_KEY = "tickets_order_secrets"


def cart_token_for(request: HttpRequest, *, create: bool = False) -> str | None:
    """The portal keeps the cart token in the session (an embed may pass it signed instead)."""
    from tickets.services.cart import cart_token_new

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


def is_organizer_team(request: HttpRequest, order: Order, roles=ROLES_ORDERS) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, organizer_id=order.event.organizer_id, role__in=roles
        ).exists()
    )


def may_see_order(request: HttpRequest, order: Order) -> bool:
    return (
        (request.user.is_authenticated and request.user.is_staff)
        or is_buyer(request, order)
        or is_organizer_team(request, order)
    )


def may_download_answers(request: HttpRequest, order: Order) -> bool:
    """Attachments are personal data: an organizer's team loses them while the buyer is blocked."""
    from privacy.services import subject_is_blocked

    if (request.user.is_authenticated and request.user.is_staff) or is_buyer(request, order):
        return True
    return is_organizer_team(request, order) and not subject_is_blocked(
        email=order.email, phone=order.phone, user=order.user
    )
