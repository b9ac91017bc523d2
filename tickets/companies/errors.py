"""Errors of company orders; messages are shown to the buyer as they are."""

from django.utils.translation import gettext_lazy as _

from tickets.errors import TicketsError


class CompanyPurchaseNotAllowed(TicketsError):
    default_message = _("The organizer does not sell tickets of this event to organisations.")


class TooManyHolderNames(TicketsError):
    default_message = _(
        "There are more holder names than tickets in the order: give one name a line, "
        "at most one per ticket."
    )
