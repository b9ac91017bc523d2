"""``{% held_quantity ticket_type %}``: how many of these tickets the visitor's cart holds now.

One query per page: the cart's quantities are read once and kept on the request. In the
event page's shared parts, kept for every visitor (``events.caching.fragments``), the tag
leaves a marker that ``{% held_filled html %}`` replaces with this visitor's quantities.
"""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from events.caching.fragments import SHARED_RENDER
from tickets.access import CART_SESSION_KEY
from tickets.selectors import cart_quantities

register = template.Library()

HELD_MARKER = "__eventum_held_{}__"
_HELD_MARKERS = re.compile(r"__eventum_held_(\d+)__")


def _held(context: template.Context) -> dict[int, int]:
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return {}
    held = getattr(request, "_tickets_cart_quantities", None)
    if held is None:
        token = request.session.get(CART_SESSION_KEY)
        held = cart_quantities(cart_token=token) if token else {}
        request._tickets_cart_quantities = held
    return held


@register.simple_tag(takes_context=True)
def held_quantity(context: template.Context, ticket_type) -> int | str:
    if context.get(SHARED_RENDER):
        return HELD_MARKER.format(ticket_type.pk)
    return _held(context).get(ticket_type.pk, 0)


@register.simple_tag(takes_context=True)
def held_filled(context: template.Context, html: str) -> SafeString:
    """``html`` (rendered markup) with the markers of ``held_quantity`` replaced by the
    quantities this visitor's cart holds; the cart is read only when there is a marker."""
    if "__eventum_held_" not in html:
        return mark_safe(html)  # markup rendered by the event page's template
    held = _held(context)
    return mark_safe(  # the same markup, numbers put in
        _HELD_MARKERS.sub(lambda match: str(held.get(int(match.group(1)), 0)), html)
    )
