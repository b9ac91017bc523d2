"""The waiting list's offer e-mail, in the language the person joined in."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tickets.delivery.links import site_url
from tickets.waitlist.models import WaitlistEntry


def waitlist_offer_message(entry: WaitlistEntry) -> EmailMultiAlternatives:
    ticket_type = entry.ticket_type
    event = ticket_type.session.event
    with translation.override(entry.language):
        context = {
            "entry": entry,
            "ticket_type": ticket_type,
            "event": event,
            "offer_url": site_url(reverse("tickets:waitlist_offer", args=[entry.offer_token])),
            "leave_url": site_url(reverse("tickets:waitlist_leave", args=[entry.offer_token])),
        }
        subject = _("A ticket is waiting for you: %(event)s") % {"event": event}
        body = render_to_string("tickets/email/waitlist_offer.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[entry.email])
