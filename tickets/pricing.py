"""Prices of a set of tickets with an optional promo code: one rule for the page and the order.

The discount is spread over the tickets it applies to, to the tiyn, so that refunding one
ticket returns exactly what was paid for it.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from events.models import Event, TicketType
from tickets.errors import PromoCodeInvalid, PromoCodeUsedUp
from tickets.models import PromoCode

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class TicketPrice:
    ticket_type: TicketType
    price: Decimal
    discount: Decimal = Decimal("0.00")

    @property
    def amount(self) -> Decimal:
        return self.price - self.discount


@dataclass
class Line:
    ticket_type: TicketType
    quantity: int
    tickets: list[TicketPrice] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((t.price for t in self.tickets), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return sum((t.amount for t in self.tickets), Decimal("0.00"))


@dataclass
class Quote:
    lines: list[Line]
    promo_code: PromoCode | None

    @property
    def tickets(self) -> list[TicketPrice]:
        return [t for line in self.lines for t in line.tickets]

    @property
    def subtotal(self) -> Decimal:
        return sum((line.subtotal for line in self.lines), Decimal("0.00"))

    @property
    def discount(self) -> Decimal:
        return sum((t.discount for t in self.tickets), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


def promo_find(*, code: str, event: Event, check_usage: bool = True) -> PromoCode:
    """The organizer's valid promo code for this event, or ``PromoCodeInvalid``/``UsedUp``."""
    promo = PromoCode.objects.filter(
        organizer_id=event.organizer_id, code=code.strip().upper()
    ).first()
    if promo is None or not promo.is_valid_at(timezone.now()):
        raise PromoCodeInvalid()
    if promo.event_id not in (None, event.pk):
        raise PromoCodeInvalid()
    if (
        promo.ticket_type_id is not None
        and not TicketType.objects.filter(pk=promo.ticket_type_id, session__event=event).exists()
    ):
        raise PromoCodeInvalid()
    if check_usage and promo.usage_limit is not None and promo.times_used >= promo.usage_limit:
        raise PromoCodeUsedUp()
    return promo


def quote(*, items: list[tuple[TicketType, int]], promo_code: PromoCode | None) -> Quote:
    """Price ``items`` (ticket type, quantity) with ``promo_code`` applied where it fits."""
    lines = []
    for ticket_type, quantity in items:
        line = Line(ticket_type=ticket_type, quantity=quantity)
        line.tickets = [
            TicketPrice(ticket_type=ticket_type, price=money(ticket_type.price))
            for _n in range(quantity)
        ]
        lines.append(line)
    result = Quote(lines=lines, promo_code=promo_code)
    if promo_code is not None:
        _apply(result, promo_code)
    return result


def _apply(result: Quote, promo: PromoCode) -> None:
    eligible = [t for t in result.tickets if t.price > 0 and promo.applies_to(t.ticket_type)]
    if not eligible:
        return
    if promo.kind == PromoCode.Kind.PERCENT:
        for ticket in eligible:
            ticket.discount = min(money(ticket.price * promo.value / 100), ticket.price)
        return
    base = sum((t.price for t in eligible), Decimal("0.00"))
    off = min(money(promo.value), base)
    given = Decimal("0.00")
    for ticket in eligible[:-1]:
        ticket.discount = min(money(off * ticket.price / base), ticket.price)
        given += ticket.discount
    last = eligible[-1]
    last.discount = min(off - given, last.price)
