"""``{% seat_plan session as plan %}`` (the hall map of a seated session, else None) and
``{% cart_seats cart as seats %}`` (labels of the seats a cart holds, for checkout).

The event page asks once which of its sessions are seated; only those read their plan.
"""

from django import template

from events.seating.svg import seat_map_svg
from tickets.models import SeatClaim
from tickets.seating.selectors import seated_session_ids, session_plan

register = template.Library()


@register.simple_tag(takes_context=True)
def session_is_seated(context: template.Context, session) -> bool:
    """Is the session sold by seats? One query per event and request."""
    request = context.get("request")
    cache = getattr(request, "_tickets_seated_sessions", None) if request else None
    if cache is None or session.event_id not in cache:
        ids = list(session.event.sessions.values_list("pk", flat=True))
        cache = cache or {}
        cache[session.event_id] = seated_session_ids(session_ids=ids)
        if request is not None:
            request._tickets_seated_sessions = cache
    return session.pk in cache[session.event_id]


@register.simple_tag(takes_context=True)
def seat_plan(context: template.Context, session):
    if not session_is_seated(context, session):
        return None
    plan = session_plan(session_id=session.pk)
    if plan is None:
        return None
    plan.svg = seat_map_svg(seats=plan.seats, colors=plan.colors)
    return plan


@register.simple_tag
def cart_seats(cart) -> list[str]:
    """Labels of the seats the cart holds in live reservations."""
    return list(
        SeatClaim.objects.filter(
            reservation__cart=cart,
            reservation__released_at__isnull=True,
            reservation__order__isnull=True,
            order_item__isnull=True,
        )
        .order_by("seat__section", "seat__y", "seat__x")
        .values_list("seat__label", flat=True)
    )
