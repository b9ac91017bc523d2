"""Refund e-mails: to the buyer in their language, to the organizer without the buyer's
personal data (order number, tickets and money only: a blocked buyer's data never reaches the
organizer this way). All of them leave through the outbox after the commit."""

from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from eventum.mail import email_enqueue
from tickets.delivery.links import site_url
from tickets.models import Order, OrderItem


def _enqueue(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(f"tickets/email/{template}.txt", context)
    email_enqueue(EmailMultiAlternatives(subject=subject, body=body, to=[to]))


def email_buyer_refund(
    order: Order,
    *,
    items: list[OrderItem],
    amount: Decimal,
    fee: Decimal,
    outcome: str,
    note: str = "",
) -> None:
    """Tell the buyer: ``refunded`` (money on its way, tickets no longer valid), ``waiting``
    (the organizer decides) or ``refused`` (with the organizer's ``note``)."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        subjects = {
            "refunded": _("Order %(code)s: tickets returned"),
            "waiting": _("Order %(code)s: refund request received"),
            "refused": _("Order %(code)s: refund request refused"),
        }
        context = {
            "order": order,
            "items": items,
            "amount": amount,
            "fee": fee,
            "outcome": outcome,
            "note": note,
            "order_url": site_url(order.get_absolute_url()),
        }
        _enqueue(
            to=order.email,
            subject=subjects[outcome] % {"code": order.code},
            template="refund_buyer",
            context=context,
        )


def email_organizer_refund(
    order: Order, *, items: list[OrderItem], amount: Decimal, fee: Decimal, waiting: bool
) -> None:
    """Tell the organizer a buyer returned tickets (or asks to: ``waiting``), in the language
    the organizer chose for the portal's e-mails."""
    organizer = order.event.organizer
    if not organizer.email:
        return
    with translation.override(organizer.language or settings.LANGUAGE_CODE):
        if waiting:
            subject = _("Refund request for order %(code)s: %(event)s")
            link = reverse("tickets:cabinet_refund_requests", args=[organizer.slug])
        else:
            subject = _("Tickets returned, order %(code)s: %(event)s")
            link = reverse("tickets:cabinet_order", args=[organizer.slug, order.code])
        context = {
            "order": order,
            "items": items,
            "amount": amount,
            "fee": fee,
            "waiting": waiting,
            "link": site_url(link),
        }
        _enqueue(
            to=organizer.email,
            subject=subject % {"code": order.code, "event": order.event},
            template="refund_organizer",
            context=context,
        )
