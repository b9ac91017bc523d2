"""Statuses of orders and tickets in templates: ``{% order_status order as state %}``,
``{% ticket_status item order as state %}`` and ``{% status_badge state %}``."""

from django import template

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


@register.inclusion_tag("tickets/_status_badge.html")
def status_badge(state: statuses.StatusLabel, testid: str = "") -> dict:
    return {"state": state, "testid": testid}
