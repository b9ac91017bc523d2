"""``{% event_transfer_terms event as terms %}``: the ticket transfer rules of ``event``."""

from django import template

from events.models import Event
from tickets.transfers.rules import TransferTerms
from tickets.transfers.selectors import transfer_terms_for_event

register = template.Library()


@register.simple_tag
def event_transfer_terms(event: Event) -> TransferTerms:
    return transfer_terms_for_event(event)
