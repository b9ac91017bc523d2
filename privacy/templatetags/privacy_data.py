"""Filters for rendering the subject's data (any JSON-like structure) as a readable page."""

from collections.abc import Mapping

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Names of privacy's own keys; other apps' sections show their keys as they give them.
LABELS = {
    "email": _("E-mail"),
    "phone": _("Phone"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "date_joined": _("Signed up"),
    "last_login": _("Last signed in"),
    "email_addresses": _("E-mail addresses"),
    "verified": _("Verified"),
    "primary": _("Primary"),
    "time": _("Time"),
    "purpose": _("Purpose"),
    "action": _("Decision"),
    "policy_version": _("Policy version"),
    "wording": _("Wording shown"),
    "channel": _("Channel"),
    "source": _("Source"),
    "ip_address": _("IP address"),
    "ip": _("IP address"),
    "is_blocked": _("Blocked now"),
    "requests": _("Requests"),
    "number": _("Number"),
    "received_at": _("Received"),
    "received_on": _("Received"),
    "status": _("Status"),
    "grounds": _("Grounds"),
    "blocked_at": _("Blocked at"),
    "unblocked_at": _("Unblocked at"),
    "topic": _("Subject"),
    "answered": _("Answered"),
    "recipient": _("Recipient"),
    "fields": _("Data passed"),
    "total": _("Total"),
    "rows": _("Latest"),
    "method": _("Method"),
    "path": _("Page"),
    "browser": _("Browser"),
    "kind": _("What happened"),
    "order": _("Order"),
    "day": _("Day"),
    "error_responses": _("Responses with errors"),
    "signed_in_requests": _("Requests signed in"),
    "data": _("Data"),
    "recipients": _("Recipients"),
    "basis": _("Grounds"),
    "retention": _("Kept for"),
}


@register.filter
def is_mapping(value) -> bool:
    return isinstance(value, Mapping)


@register.filter
def is_sequence(value) -> bool:
    return isinstance(value, list | tuple)


@register.filter
def data_label(key, labels=None) -> str:
    """The readable name of ``key``: the section's own ``labels`` first, then privacy's."""
    if isinstance(labels, Mapping) and key in labels:
        return str(labels[key])
    return str(LABELS.get(key, key))


@register.filter
def data_value(value):
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value
