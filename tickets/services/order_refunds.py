"""Refunds: money back for a paid order, whole or some of its tickets."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tickets.delivery.services import order_pdf_enqueue
from tickets.errors import InvalidTransition, RefundError
from tickets.models import Order, OrderItem, OrderLog, Payment, Refund
from tickets.payments.providers import provider_for
from tickets.reports.services.sales_summary import sales_summary_refund
from tickets.services.order_states import (
    Actor,
    S,
    order_change_notify,
    order_lock,
    order_transition,
    tickets_return,
)
from tickets.wallet.services import wallet_passes_changed
from tickets.webhooks import webhook_order_refunded


@transaction.atomic
def order_refund(
    *,
    order_id: int,
    actor: Actor,
    item_ids: list[int] | None = None,
    reason: str = "",
    external_refund_id: str | None = None,
    notify_buyer: bool = False,
    kept: Decimal = Decimal("0.00"),
) -> Order:
    """Refund a paid order in full or some of its tickets; the tickets go back on sale.

    The provider refund is requested while the order row is locked, so a double click
    cannot refund twice. Raises ``RefundError`` when the provider refuses.
    ``external_refund_id`` records a refund already made at the provider (its notification).
    ``kept`` is the fee the event's refund rules keep of these tickets (a buyer's return).
    """
    order = order_lock(order_id)
    if order.status != S.PAID:
        raise InvalidTransition()
    valid = order.items.filter(status=OrderItem.Status.VALID)
    if item_ids is not None:
        valid = valid.filter(pk__in=item_ids)
    items = list(valid)
    if not items:
        raise RefundError(_("Choose at least one valid ticket to refund."))
    paid = sum((i.amount for i in items), Decimal("0.00"))
    if not Decimal("0") <= kept <= paid:
        raise RefundError()
    amount = paid - kept
    payment = (
        order.payments.filter(status=Payment.Status.SUCCEEDED).order_by("-completed_at").first()
    )
    provider_refund_id = external_refund_id
    if amount > 0 and external_refund_id is None:
        if payment is None:
            raise RefundError(_("There is no successful payment to refund."))
        provider_refund_id = provider_for(payment.provider).refund(payment=payment, amount=amount)
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        amount=amount,
        reason=reason[:300],
        provider_refund_id=provider_refund_id,
        created_by=actor.user if actor.user is not None and actor.user.is_authenticated else None,
    )
    OrderItem.objects.filter(pk__in=[i.pk for i in items]).update(
        status=OrderItem.Status.REFUNDED, refund=refund
    )
    tickets_return(items)
    wallet_passes_changed(item_ids=[i.pk for i in items])  # the phones' passes become void
    order.refunded_amount = order.refunded_amount + amount
    order.save(update_fields=["refunded_amount", "updated_at"])
    sales_summary_refund(order, item_ids=[i.pk for i in items], amount=amount)
    note = reason or _("refund of %(count)d ticket(s)") % {"count": len(items)}
    if not order.items.filter(status=OrderItem.Status.VALID).exists():
        order_transition(order, S.REFUNDED, actor=actor, note=note)
    else:
        OrderLog.objects.create(
            order=order,
            from_status=S.PAID,
            to_status=S.PAID,
            actor=refund.created_by,
            actor_label=actor.label,
            note=f"partial refund {amount}: {note}"[:300],
        )
        order_pdf_enqueue(order_id=order.pk)  # print the PDF again without the refunded ones
    webhook_order_refunded(order, amount=amount, item_ids=[i.pk for i in items])
    if notify_buyer:
        order_change_notify(order, amount)
    return order
