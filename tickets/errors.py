"""Domain errors of the sales path. Each carries a message a buyer can read (translated)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise


class TicketsError(Exception):
    """Base class: ``message`` is shown to the buyer or organizer as is."""

    default_message: "str | StrPromise" = _(
        "Something went wrong with your order. Please try again."
    )

    def __init__(self, message: "str | StrPromise | None" = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class SoldOut(TicketsError):
    default_message = _("Sorry, these tickets are sold out.")


class OrderLimitExceeded(TicketsError):
    default_message = _("Too many tickets of this type in one order.")


class NotOnSale(TicketsError):
    default_message = _("These tickets are not on sale now.")


class ConsentTermsChanged(TicketsError):
    default_message = _(
        "The terms of consent changed while the page was open. Read them again below and "
        "confirm your order."
    )


class CartEmpty(TicketsError):
    default_message = _("Your cart is empty. Choose tickets first.")


class ReservationExpired(TicketsError):
    default_message = _("Your reservation has expired and the tickets went back on sale.")


class PromoCodeInvalid(TicketsError):
    default_message = _("This promo code does not exist or does not apply to these tickets.")


class PromoCodeUsedUp(TicketsError):
    default_message = _("This promo code has already been used the maximum number of times.")


class InvalidTransition(TicketsError):
    default_message = _("This action is not possible for the order in its current state.")


class PaymentError(TicketsError):
    default_message = _("The payment could not be processed. Please try again later.")


class RefundError(TicketsError):
    default_message = _("The refund could not be made.")


class BuyerDataBlocked(TicketsError):
    """The buyer's personal data is blocked (from the moment of their request): no new order
    may process it. Tickets bought before stay valid."""

    default_message = _(
        "The personal data given here (e-mail, phone or account) is blocked at the request of "
        "its owner, so we cannot take a new order with it. Tickets bought earlier stay valid. "
        "If the block should be lifted or you think this is a mistake, write to "
        "info@eventum.one and name the e-mail or phone you used."
    )
