"""Receivers of other apps' signals (accounts, privacy), connected in ``TicketsConfig.ready``.

The events app's flows (cancelling an event, blocking seats) are not signals: they are the
explicit hooks of ``tickets.hooks``.
"""

from typing import Any

from allauth.account.models import EmailAddress

from tickets.models import Order
from tickets.services.order_lifecycle import orders_claim_for_user


def claim_orders_on_email_confirmed(sender: Any, email_address: Any = None, **kwargs: Any) -> None:
    """A guest's orders become the account's once its owner verifies the same e-mail."""
    if email_address is not None and email_address.verified:
        orders_claim_for_user(user=email_address.user, email=email_address.email)


def claim_orders_on_login(
    sender: Any, request: Any = None, user: Any = None, **kwargs: Any
) -> None:
    """Also on sign-in, for every verified address of the user."""
    if user is None:
        return
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    ):
        orders_claim_for_user(user=user, email=email)


def order_subject_for_privacy(sender: Any, code: str = "", **kwargs: Any) -> dict | None:
    """Privacy asks who placed the order ``code`` (a blocking or access request names it)."""
    order = Order.objects.filter(code=(code or "").strip().upper()).select_related("user").first()
    if order is None:
        return None
    return {"email": order.email, "phone": order.phone, "name": order.full_name, "user": order.user}
