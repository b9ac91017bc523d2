"""Signal receivers connected in ``TicketsConfig.ready``."""

from typing import Any

from tickets.services.inventory import reservations_release


def release_expired_on_availability_read(
    sender: Any, ticket_type_ids: list[int] | None = None, **kwargs: Any
) -> None:
    """Before a page shows availability, expired cart holds of those types go back on sale."""
    if ticket_type_ids:
        reservations_release(ticket_type_ids=ticket_type_ids, only_expired=True)


def cancel_orders_on_event_cancelled(sender: Any, event: Any = None, **kwargs: Any) -> None:
    """An event was cancelled: cancel or refund its orders and tell the buyers."""
    from tickets.services.orders import orders_cancel_for_event

    if event is not None:
        orders_cancel_for_event(event=event)


def claim_seats_on_seats_blocked(
    sender: Any, session: Any = None, seat_ids: list[int] | None = None, **kwargs: Any
) -> None:
    """The organizer blocks seats: they are claimed as blocked, or ``LayoutError`` says why not."""
    from tickets.services.seats import seats_block

    if session is not None and seat_ids:
        seats_block(session_id=session.pk, seat_ids=seat_ids)


def release_seats_on_seats_unblocked(
    sender: Any, session: Any = None, seat_ids: list[int] | None = None, **kwargs: Any
) -> None:
    """Unblocked seats go back on sale."""
    from tickets.services.seats import seats_unblock

    if session is not None and seat_ids:
        seats_unblock(session_id=session.pk, seat_ids=seat_ids)


def claim_orders_on_email_confirmed(sender: Any, email_address: Any = None, **kwargs: Any) -> None:
    """A guest's orders become the account's once its owner verifies the same e-mail."""
    from tickets.services.orders import orders_claim_for_user

    if email_address is not None and email_address.verified:
        orders_claim_for_user(user=email_address.user, email=email_address.email)


def claim_orders_on_login(
    sender: Any, request: Any = None, user: Any = None, **kwargs: Any
) -> None:
    """Also on sign-in, for every verified address of the user."""
    from allauth.account.models import EmailAddress

    from tickets.services.orders import orders_claim_for_user

    if user is None:
        return
    for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    ):
        orders_claim_for_user(user=user, email=email)


def order_subject_for_privacy(sender: Any, code: str = "", **kwargs: Any) -> dict | None:
    """Privacy asks who placed the order ``code`` (a blocking or access request names it)."""
    from tickets.models import Order

    order = Order.objects.filter(code=(code or "").strip().upper()).select_related("user").first()
    if order is None:
        return None
    return {"email": order.email, "phone": order.phone, "name": order.full_name, "user": order.user}


def cancel_figures_for_event(sender: Any, event: Any = None, **kwargs: Any):
    """The cabinet asks what cancelling ``event`` would do to its orders (a read)."""
    from tickets.selectors import event_cancel_figures

    if event is None:
        return None
    return event_cancel_figures(event_id=event.pk)
