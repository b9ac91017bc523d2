"""The cabinet's head and navigation, as registered by the apps (``organizers.cabinet``)."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from organizers.cabinet import NavEntry, cabinet_nav

register = template.Library()

HEAD_TEMPLATE = "organizers/_cabinet_head.html"
HEADS_KEPT = 2000
# What the head shows depends on these alone (see ``_head_key``): it is written once for each
# and kept for the process, a few thousand at most (then started afresh).
_heads: dict[tuple[Any, ...], str] = {}


@register.simple_tag(takes_context=True)
def cabinet_navigation(context: dict[str, Any]) -> list[NavEntry]:
    """The links the signed-in member's role opens, the current page marked."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if request is None or membership is None:
        return []
    match = request.resolver_match
    return cabinet_nav(membership=membership, current_url_name=match.view_name if match else None)


def _head_key(request: Any) -> tuple[Any, ...]:
    organizer, membership = request.organizer, request.membership
    match = request.resolver_match
    return (
        get_language(),
        get_script_prefix(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        organizer.pk,
        organizer.slug,
        organizer.public_name,
        organizer.status,
        membership.role,
        match.view_name if match else None,
    )


@register.simple_tag(takes_context=True)
def cabinet_head(context: template.Context) -> SafeString:
    """``HEAD_TEMPLATE``: the organizer's name and status, the member's role and the
    navigation. The same on every page of a section, so it is rendered once per organizer,
    role, page and language, and then reused: every cabinet request shows it."""
    request = context["request"]
    key = _head_key(request)
    html = _heads.get(key)
    if html is None:
        owner = context.template
        engine = owner.engine if owner is not None else template.Engine.get_default()
        html = engine.get_template(HEAD_TEMPLATE).render(context)
        if len(_heads) >= HEADS_KEPT:
            _heads.clear()
        _heads[key] = html
    return mark_safe(html)  # rendered by the template, which escapes
