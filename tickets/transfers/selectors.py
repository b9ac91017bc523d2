"""Reads of transfers: the rules of an event and each ticket of an order with what it may do."""

from dataclasses import dataclass

from django.db.models import Count

from events.models import Event
from tickets.models import Order, OrderItem
from tickets.transfers.models import TransferRules
from tickets.transfers.rules import TransferTerms


def transfer_terms_for_event(event: Event) -> TransferTerms:
    return TransferTerms.of(TransferRules.objects.filter(event_id=event.pk).first())


def transfer_rules_of(event: Event) -> TransferRules | None:
    return TransferRules.objects.filter(event_id=event.pk).first()


@dataclass
class TicketForTransfer:
    item: OrderItem
    done: int
    refused: str


def order_tickets_for_transfer(*, order: Order) -> tuple[TransferTerms, list[TicketForTransfer]]:
    """The event's terms and the order's valid tickets, each with its transfers so far and why
    it cannot be given away now (empty when it can). Three queries."""
    terms = transfer_terms_for_event(order.event)
    items = list(
        order.items.filter(status=OrderItem.Status.VALID)
        .select_related("ticket_type__session")
        .annotate(transfers_done=Count("transfers"))
        .order_by("id")
    )
    return terms, [
        TicketForTransfer(
            item=item,
            done=item.transfers_done,
            refused=terms.refusal(item, order=order, done=item.transfers_done),
        )
        for item in items
    ]
