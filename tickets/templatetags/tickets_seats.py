"""``{% seat_plan session as plan %}`` (the hall map of a seated session, else None) and
``{% cart_seats cart as seats %}`` (labels of the seats a cart holds, for checkout).

The event page asks once which of its sessions are seated; only those read their plan.
"""

from django import template
from django.utils.translation import gettext as _

from events.seating.layouts import seat_label_shown
from events.seating.svg import seat_map_svg
from eventum.money import format_kzt
from tickets.models import SeatClaim
from tickets.seating.selectors import seated_session_ids, session_plan

register = template.Library()


@register.filter
def seat(label: str) -> str:
    """A ticket's stored seat label in the page's language (“Партер, row 5, seat 12”)."""
    return seat_label_shown(label)


@register.simple_tag(takes_context=True)
def session_is_seated(context: template.Context, session) -> bool:
    """Is the session sold by seats? One query per event and request."""
    request = context.get("request")
    cache = getattr(request, "_tickets_seated_sessions", None) if request else None
    if cache is None or session.event_id not in cache:
        cache = cache or {}
        cache[session.event_id] = seated_session_ids(event_id=session.event_id)
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
    plan.svg = seat_map_svg(
        seats=plan.seats, colors=plan.colors, categories=seat_categories_described(plan)
    )
    return plan


def seat_categories_described(plan) -> dict[int, str]:
    """Category id → “VIP, 25 000 ₸” (or “…, not on sale”): what each seat's name ends with."""
    return {
        offer.category.pk: (
            f"{offer.name}, {format_kzt(offer.price) if offer.price else _('Free')}"
            if offer.ticket_type_id is not None
            else f"{offer.name}, {_('not on sale')}"
        )
        for offer in plan.offers
    }


@register.simple_tag
def cart_seats(cart) -> list[str]:
    """The seats the cart holds in live reservations, each named in full: “Партер, ряд 3,
    место 5 — VIP, 25 000 ₸” (as on the map)."""
    claims = (
        SeatClaim.objects.filter(
            reservation__cart=cart,
            reservation__released_at__isnull=True,
            reservation__order__isnull=True,
            order_item__isnull=True,
        )
        .select_related("seat", "ticket_type")
        .order_by("seat__section", "seat__y", "seat__x")
    )
    return [_seat_named(seat_label_shown(claim.seat.label), claim.ticket_type) for claim in claims]


def _seat_named(label: str, ticket_type) -> str:
    if ticket_type is None:
        return label
    price = format_kzt(ticket_type.price) if ticket_type.price else _("Free")
    return f"{label} — {ticket_type.name}, {price}"
