"""Template tags of ticket delivery: is the order's PDF ready yet, which wallets are offered."""

from dataclasses import dataclass
from datetime import timedelta

from django import template
from django.utils import timezone

from tickets.delivery.services import order_pdf_current
from tickets.models import Order, TicketPdf
from tickets.wallet.credentials import apple_wallet_enabled, google_wallet_enabled

register = template.Library()


# After this long without a stored file the worker is behind or was never asked (orders
# written by a seed command): the page offers the download, which renders on demand.
PREPARING_FOR = timedelta(minutes=2)


@dataclass
class TicketsState:
    ready: bool
    pdf: TicketPdf | None
    preparing: bool = False


@register.simple_tag
def order_tickets_state(order: Order) -> TicketsState:
    """Whether the paid order's PDF tickets are stored (and current) or still being prepared."""
    if order.status != Order.Status.PAID:
        return TicketsState(ready=False, pdf=None)
    pdf = order_pdf_current(order)
    if pdf is not None:
        return TicketsState(ready=True, pdf=pdf)
    changed_at = max(
        [order.paid_at or order.created_at] + [item.secret_issued_at for item in order.items.all()]
    )
    fresh = timezone.now() - changed_at < PREPARING_FOR
    return TicketsState(ready=not fresh, pdf=None, preparing=fresh)


@register.simple_tag
def wallet_offers() -> dict[str, bool]:
    """Which wallet buttons the order page shows (those whose keys are configured)."""
    return {"apple": apple_wallet_enabled(), "google": google_wallet_enabled()}
