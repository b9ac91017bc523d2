"""``{% held_quantity ticket_type %}``: how many of these tickets the visitor's cart holds now.

One query per page: the cart's quantities are read once and kept on the request.
"""

from django import template

from tickets.access import CART_SESSION_KEY
from tickets.selectors import cart_quantities

register = template.Library()


@register.simple_tag(takes_context=True)
def held_quantity(context: template.Context, ticket_type) -> int:
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return 0
    held = getattr(request, "_tickets_cart_quantities", None)
    if held is None:
        token = request.session.get(CART_SESSION_KEY)
        held = cart_quantities(cart_token=token) if token else {}
        request._tickets_cart_quantities = held
    return held.get(ticket_type.pk, 0)
