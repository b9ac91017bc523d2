"""Domain errors of the buyer's refund (messages a buyer reads)."""

from django.utils.translation import gettext_lazy as _

from tickets.errors import TicketsError


class RefundNotAllowed(TicketsError):
    """The rules do not allow this return; the message quotes the rule."""

    default_message = _("These tickets cannot be returned.")


class RefundQuoteChanged(TicketsError):
    default_message = _(
        "The amount to return has changed since the page was opened. Check it and confirm again."
    )


class RefundRequestWaiting(TicketsError):
    default_message = _("A refund request for this order is already waiting for the organizer.")


class RefundRequestDecided(TicketsError):
    default_message = _("This refund request has already been decided.")
