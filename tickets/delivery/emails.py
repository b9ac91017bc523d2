"""Buyer e-mails, rendered in the buyer's language and sent after the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from eventum.mail import email_enqueue
from tickets.delivery.calendar import order_calendar
from tickets.delivery.links import site_url
from tickets.models import Order
from tickets.refunds.selectors import refund_rules_for_event


def _send(order: Order, *, subject: str, template: str, **extra) -> None:
    context = {
        **extra,
        "order": order,
        "items": list(order.items.select_related("ticket_type__session")),
        "order_url": site_url(order.get_absolute_url()),
    }
    text = render_to_string(f"tickets/email/{template}.txt", context)
    html = render_to_string(f"tickets/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[order.email])
    message.attach_alternative(html, "text/html")
    email_enqueue(message)


def email_tickets_message(
    order: Order, *, to: str, pdf: bytes | None, kind: str = "confirmation"
) -> EmailMultiAlternatives:
    """“Your order is paid” (or the tickets again) with the PDF attached, in the buyer's language.

    Built by the delivery task, which sends it itself (the attachment is not JSON for
    ``email_enqueue``) and records the outcome.
    """
    with translation.override(order.language or settings.LANGUAGE_CODE):
        subject = _("Order %(code)s: %(event)s") % {"code": order.code, "event": order.event}
        if kind == "session_moved":
            subject = _("New date: %(event)s — order %(code)s") % {
                "code": order.code,
                "event": order.event,
            }
        if kind == "resend":
            subject = _("Your tickets again — order %(code)s: %(event)s") % {
                "code": order.code,
                "event": order.event,
            }
        context = {
            "order": order,
            "items": list(order.items.select_related("ticket_type__session")),
            "order_url": site_url(order.get_absolute_url()),
            "attached": pdf is not None,
            "moved": kind == "session_moved",
            "refund_rules": refund_rules_for_event(order.event),
        }
        text = render_to_string("tickets/email/order_confirmation.txt", context)
        html = render_to_string("tickets/email/order_confirmation.html", context)
        message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
        message.attach_alternative(html, "text/html")
        if pdf is not None:
            message.attach(f"tickets-{order.code}.pdf", pdf, "application/pdf")
        # the sessions for the buyer's calendar (no secret link inside: a calendar may be shared)
        message.attach(f"eventum-{order.code}.ics", order_calendar(order), "text/calendar")
    return message


def email_event_cancelled(order: Order) -> None:
    """Tell the buyer the event is cancelled and what happened to the money."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        _send(
            order,
            subject=_("Event cancelled: %(event)s") % {"event": order.event},
            template="event_cancelled",
        )


def email_order_changed(order: Order, *, refunded=None) -> None:
    """The organizer cancelled the order or refunded (some of) its tickets."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        _send(
            order,
            subject=_("Order %(code)s changed") % {"code": order.code},
            template="order_changed",
            refunded=refunded,
        )


def email_late_payment_refunded(order: Order, *, amount, expired: bool = True) -> None:
    """The payment came after the order expired and its tickets were sold (or after it was
    cancelled): it is refunded."""
    with translation.override(order.language or settings.LANGUAGE_CODE):
        _send(
            order,
            subject=_("Order %(code)s: your payment is refunded") % {"code": order.code},
            template="late_payment_refunded",
            refunded=amount,
            expired=expired,
        )
