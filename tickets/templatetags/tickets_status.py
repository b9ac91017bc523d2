"""Statuses of orders and tickets in templates: ``{% order_status order as state %}``,
``{% ticket_status item order as state %}`` and ``{% status_badge state %}``."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tickets import order_status as statuses
from tickets.models import Order, OrderItem

register = template.Library()


@register.simple_tag
def order_status(order: Order) -> statuses.StatusLabel:
    return statuses.order_status(order)


@register.simple_tag
def ticket_status(
    item: OrderItem, order: Order, reader: str = statuses.Reader.BUYER
) -> statuses.StatusLabel:
    return statuses.ticket_status(item, order, statuses.Reader(reader))


@register.simple_tag
def status_badge(state: statuses.StatusLabel, testid: str = "") -> SafeString:
    """The status as a badge: its words, its tone as a class, its key for CSS and tests.

    Built in Python, not an included template: lists show one per row (fifty on the cabinet's
    order list), and a sub-template per row costs more than the rest of the row."""
    testid_attr = format_html(' data-testid="{}"', testid) if testid else ""
    return format_html(
        '<span class="badge badge-{} status-badge" data-status="{}"{}>{}</span>\n',
        state.tone,
        state.key,
        testid_attr,
        state.label,
    )
