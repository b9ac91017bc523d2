"""The new holder's e-mail: their ticket as a PDF, in the language the buyer used."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tickets.transfers.models import TicketTransfer
from tickets.wallet import apple


def transfer_email_message(
    transfer: TicketTransfer, *, pdf: bytes, pkpass: bytes | None = None
) -> EmailMultiAlternatives:
    """“A ticket to … was given to you”, the ticket attached (no link to the buyer's order):
    the PDF and, when Apple Wallet is on, a wallet pass with the new QR code."""
    item = transfer.item
    order = item.order
    with translation.override(transfer.language):
        context = {"transfer": transfer, "item": item, "event": order.event}
        subject = _("A ticket for you: %(event)s") % {"event": order.event}
        body = render_to_string("tickets/email/ticket_transferred.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[transfer.to_email])
    message.attach(f"ticket-{order.code}-{item.pk}.pdf", pdf, "application/pdf")
    if pkpass is not None:
        message.attach(f"ticket-{order.code}-{item.pk}.pkpass", pkpass, apple.MEDIA_TYPE)
    return message
