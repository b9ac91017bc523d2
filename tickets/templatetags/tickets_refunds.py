"""``{% event_refund_rules event as rules %}``: the refund rules in force for ``event``."""

from django import template

from events.models import Event
from tickets.refunds.rules import RefundRules
from tickets.refunds.selectors import refund_rules_for_event

register = template.Library()


@register.simple_tag
def event_refund_rules(event: Event) -> RefundRules:
    return refund_rules_for_event(event)
