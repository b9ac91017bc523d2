"""The cabinet's navigation, as registered by the apps (``organizers.cabinet``)."""

from typing import Any

from django import template

from organizers.cabinet import NavEntry, cabinet_nav

register = template.Library()


@register.simple_tag(takes_context=True)
def cabinet_navigation(context: dict[str, Any]) -> list[NavEntry]:
    """The links the signed-in member's role opens, the current page marked."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if request is None or membership is None:
        return []
    match = request.resolver_match
    return cabinet_nav(membership=membership, current_url_name=match.view_name if match else None)
