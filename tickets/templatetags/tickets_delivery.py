"""Template tags of ticket delivery: is the order's PDF ready yet."""

from dataclasses import dataclass

from django import template

from tickets.models import Order, TicketPdf

register = template.Library()


@dataclass
class TicketsState:
    ready: bool
    pdf: TicketPdf | None


@register.simple_tag
def order_tickets_state(order: Order) -> TicketsState:
    """Whether the paid order's PDF tickets are stored (and current) or still being prepared."""
    from tickets.services.delivery import order_pdf_current

    if order.status != Order.Status.PAID:
        return TicketsState(ready=False, pdf=None)
    pdf = order_pdf_current(order)
    return TicketsState(ready=pdf is not None, pdf=pdf)
