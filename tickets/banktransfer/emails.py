"""E-mails to the buyer about a bank transfer, in the buyer's language, sent after commit."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from eventum.mail import email_enqueue
from tickets.banktransfer.models import BankTransfer
from tickets.banktransfer.selectors import payment_details
from tickets.delivery.links import site_url


def email_bank_transfer_reminder(transfer: BankTransfer) -> None:
    """The deadline is a working day away: the bank details again, and what happens after."""
    order = transfer.order
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = {
            "order": order,
            "details": payment_details(transfer),
            "order_url": site_url(order.get_absolute_url()),
        }
        subject = _("Order %(code)s: pay the bank transfer by %(deadline)s") % {
            "code": order.code,
            "deadline": date_format(timezone.localtime(transfer.deadline), "j E Y"),
        }
        text = render_to_string("tickets/banktransfer/email/reminder.txt", context)
        html = render_to_string("tickets/banktransfer/email/reminder.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[order.email])
    message.attach_alternative(html, "text/html")
    email_enqueue(message)
