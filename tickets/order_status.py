"""What an order or a ticket is, in words a buyer understands: the one place that maps state to
a label and a tone.

The stored ``Order.status`` is the state machine's word; a buyer needs more: a pending order
whose payment the bank declined, a free order (nothing was paid), a paid order with some
tickets refunded, the tickets of an order that was never paid. Pages, the widget, PDF tickets
and e-mails all ask here, so they say the same thing in ru, kk and en.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from tickets.models import Order, OrderItem, Payment

if TYPE_CHECKING:
    from tickets.order_search import OrderRow


class Tone(StrEnum):
    """How a status looks; the words always carry the meaning, the tone only supports it."""

    SUCCESS = "success"
    WARNING = "warning"
    DANGER = "danger"
    INFO = "info"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class StatusLabel:
    key: str  # stable: CSS classes and tests
    label: Promise | str
    tone: Tone
    explanation: Promise | str = ""

    def __str__(self) -> str:
        return str(self.label)


ORDER_STATUSES: dict[str, StatusLabel] = {
    s.key: s
    for s in (
        StatusLabel(
            "pending",
            pgettext_lazy("order status", "Awaiting payment"),
            Tone.WARNING,
            _("The tickets are held for you until the time to pay runs out."),
        ),
        StatusLabel(
            "declined",
            pgettext_lazy("order status", "Payment declined"),
            Tone.DANGER,
            _("The bank declined the payment. You can try again while the order waits."),
        ),
        StatusLabel(
            "paid",
            pgettext_lazy("order status", "Paid"),
            Tone.SUCCESS,
            _("The order is paid; the tickets are valid."),
        ),
        StatusLabel(
            "free",
            pgettext_lazy("order status", "Free, confirmed"),
            Tone.SUCCESS,
            _("Nothing to pay: the free tickets are confirmed."),
        ),
        StatusLabel(
            "partly_refunded",
            pgettext_lazy("order status", "Partly refunded"),
            Tone.INFO,
            _("Some tickets were refunded; the others stay valid."),
        ),
        StatusLabel(
            "refunded",
            pgettext_lazy("order status", "Refunded"),
            Tone.NEUTRAL,
            _("The tickets are cancelled and the money is returned to the card."),
        ),
        StatusLabel(
            "cancelled",
            pgettext_lazy("order status", "Cancelled"),
            Tone.NEUTRAL,
            _("The order is cancelled; its tickets are back on sale."),
        ),
        StatusLabel(
            "cancelled_refunded",
            pgettext_lazy("order status", "Cancelled, money returned"),
            Tone.NEUTRAL,
            _("The order is cancelled and the money paid for it is returned to the card."),
        ),
        StatusLabel(
            "late_refunded",
            pgettext_lazy("order status", "Paid too late, money returned"),
            Tone.NEUTRAL,
            _(
                "The payment arrived after the time to pay had run out: no tickets were issued "
                "and the full amount is returned to the card."
            ),
        ),
        StatusLabel(
            "expired",
            pgettext_lazy("order status", "Not paid in time"),
            Tone.NEUTRAL,
            _("The order was not paid in time; its tickets went back on sale."),
        ),
    )
}

TICKET_STATUSES: dict[str, StatusLabel] = {
    s.key: s
    for s in (
        StatusLabel("valid", pgettext_lazy("ticket status", "Valid"), Tone.SUCCESS),
        StatusLabel("used", pgettext_lazy("ticket status", "Used at the entrance"), Tone.INFO),
        StatusLabel("unpaid", pgettext_lazy("ticket status", "Not paid yet"), Tone.WARNING),
        StatusLabel("not_issued", pgettext_lazy("ticket status", "Not issued"), Tone.NEUTRAL),
        StatusLabel("refunded", pgettext_lazy("ticket status", "Refunded"), Tone.NEUTRAL),
        StatusLabel("cancelled", pgettext_lazy("ticket status", "Cancelled"), Tone.NEUTRAL),
        StatusLabel(
            "transferred",
            pgettext_lazy("ticket status", "Transferred to another person"),
            Tone.SUCCESS,
        ),
    )
}


class Reader(StrEnum):
    """Who reads a ticket's status: a transferred ticket says so to its buyer (with the new
    holder's name, which the buyer gave), to the organizer without the name (it may be
    restricted), and on the ticket itself — in the new holder's hands — it is simply valid."""

    BUYER = "buyer"
    ORGANIZER = "organizer"
    TICKET = "ticket"


def _transferred(item: OrderItem, reader: Reader) -> StatusLabel:
    plain = TICKET_STATUSES["transferred"]
    if reader != Reader.BUYER or not item.holder_name:
        return plain
    label = pgettext("ticket status", "Transferred to %(name)s") % {"name": item.holder_name}
    return StatusLabel(plain.key, label, plain.tone)


def last_payment_status() -> Subquery:
    """Annotate a list of orders with their last payment attempt's outcome (as
    ``last_payment_status``), so a declined payment costs no query per row."""
    return Subquery(
        Payment.objects.filter(order=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("status")[:1]
    )


def payment_declined(order: "Order | OrderRow") -> bool:
    """Is the order still waiting after its last payment attempt failed?

    Reads the ``last_payment_status`` annotation of the list selectors or the prefetched
    payments of the detail selectors when there; otherwise one small query.
    """
    if order.status != Order.Status.PENDING:
        return False
    if hasattr(order, "last_payment_status"):
        return order.last_payment_status == Payment.Status.FAILED
    prefetched = getattr(order, "_prefetched_objects_cache", {}).get("payments")
    if prefetched is not None:
        attempts = sorted(prefetched, key=lambda p: (p.created_at, p.pk))
        return bool(attempts) and attempts[-1].status == Payment.Status.FAILED
    last = (
        Payment.objects.filter(order=order)
        .order_by("-created_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    return last == Payment.Status.FAILED


def order_status(order: "Order | OrderRow") -> StatusLabel:
    """The order's status as the buyer and the organizer should read it."""
    status = order.status
    if status == Order.Status.PENDING:
        return ORDER_STATUSES["declined" if payment_declined(order) else "pending"]
    if status == Order.Status.PAID:
        if order.total == 0:
            return ORDER_STATUSES["free"]
        if order.refunded_amount > 0:
            return ORDER_STATUSES["partly_refunded"]
        return ORDER_STATUSES["paid"]
    if order.refunded_amount > 0 and status == Order.Status.EXPIRED:
        return ORDER_STATUSES["late_refunded"]  # a payment that came late, given back
    if order.refunded_amount > 0 and status == Order.Status.CANCELLED:
        return ORDER_STATUSES["cancelled_refunded"]
    return ORDER_STATUSES[str(status)]


def ticket_status(item: OrderItem, order: Order, reader: Reader = Reader.BUYER) -> StatusLabel:
    """One ticket's status: valid only when its order is paid (or free) and it was not given
    back; a ticket of an unpaid, expired or cancelled order is never shown as valid. A valid
    ticket given to someone else reads "transferred" (see ``Reader``)."""
    if item.status == OrderItem.Status.REFUNDED:
        return TICKET_STATUSES["refunded"]
    if item.status == OrderItem.Status.CANCELLED or order.status == Order.Status.CANCELLED:
        return TICKET_STATUSES["cancelled"]
    if order.status == Order.Status.REFUNDED:
        return TICKET_STATUSES["refunded"]
    if order.status == Order.Status.PENDING:
        return TICKET_STATUSES["unpaid"]
    if order.status == Order.Status.EXPIRED:
        return TICKET_STATUSES["not_issued"]
    if item.checked_in_at is not None:
        return TICKET_STATUSES["used"]
    if item.holder_email and reader != Reader.TICKET:
        return _transferred(item, reader)
    return TICKET_STATUSES["valid"]
